using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PeerNet.Analyzers.Flow;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// The gate's cheapest filter: whether a tree's text may hold a name as a word. It may say yes wrongly (a
/// comment, a string), never no wrongly for an identifier the code spells out.
/// </summary>
public class TreeTextTests
{
    private const string Source = """
        class Größe
        {
            int naïve_value2 = 0;
            string Text = "inString";
            void M() { var ä = cafeCount + 1; }
        }
        """;

    [Theory]
    [InlineData("Größe")]
    [InlineData("naïve_value2")]
    [InlineData("cafeCount")]
    [InlineData("inString")]
    public void Words_the_text_spells_are_found(string word)
    {
        var tree = CSharpSyntaxTree.ParseText(Source);
        Assert.True(TreeText.MayHoldWord(tree, word));
    }

    [Fact]
    public void An_identifier_with_a_combining_mark_is_one_word()
    {
        var tree = CSharpSyntaxTree.ParseText("class C { int cafe\u0301X; }");
        var identifier = tree.GetRoot().DescendantTokens().Single(t => t.ValueText.EndsWith("X", StringComparison.Ordinal)).ValueText;
        Assert.Equal("cafe\u0301X", identifier);
        Assert.True(TreeText.MayHoldWord(tree, identifier));
        Assert.False(TreeText.MayHoldWord(tree, "X"));
    }

    [Fact]
    public void Words_spelled_with_escapes_or_formatting_characters_are_found_as_the_compiler_reads_them()
    {
        // The identifier's value: an escape stands for its character, a formatting character is dropped.
        var escaped = CSharpSyntaxTree.ParseText("""class C { void M(S store) { store.Get\u0053napshot(); store.\U00000052ead(); } }""");
        var values = escaped.GetRoot().DescendantTokens().Where(t => t.RawKind == (int)SyntaxKind.IdentifierToken).Select(t => t.ValueText).ToList();
        Assert.Contains("GetSnapshot", values);
        Assert.Contains("Read", values);
        Assert.True(TreeText.MayHoldWord(escaped, "GetSnapshot"));
        Assert.True(TreeText.MayHoldWord(escaped, "Read"));
        Assert.True(TreeText.MayHoldWord(escaped, "store")); // the words spelled out are still there
        Assert.True(TreeText.ContainsAny(escaped, new[] { "GetSnapshot" }));

        var joined = CSharpSyntaxTree.ParseText("class C { void M(S store) { store.Get\u200CSnap\u00ADshot(); } }");
        Assert.Contains("GetSnapshot", joined.GetRoot().DescendantTokens().Select(t => t.ValueText));
        Assert.True(TreeText.MayHoldWord(joined, "GetSnapshot"));

        Assert.True(TreeText.HasDecodedWords(escaped));
        Assert.True(TreeText.HasDecodedWords(joined));

        // Escapes standing for what no identifier holds (a space, a quote in a string) and plain non-ASCII text are
        // not read a second time.
        var strings = CSharpSyntaxTree.ParseText("""class C { string s = "a\u0020b\u0022"; string t = "größe – ünïcode"; }""");
        Assert.False(TreeText.HasDecodedWords(strings));
        Assert.True(TreeText.MayHoldWord(strings, "größe"));

        // Broken escapes (too short, not hex, at the end) are read as text, without failing.
        var broken = CSharpSyntaxTree.ParseText("class C { string s = \"\\u12G4\\U0001\"; } // \\u00");
        Assert.True(TreeText.MayHoldWord(broken, "s"));
        Assert.False(TreeText.MayHoldWord(broken, "GetSnapshot"));
    }

    [Theory]
    [InlineData("Count")]
    [InlineData("naïve")]
    [InlineData("value2")]
    [InlineData("GetSnapshot")]
    public void Parts_of_words_and_absent_names_are_not_found(string word)
    {
        var tree = CSharpSyntaxTree.ParseText(Source);
        Assert.False(TreeText.MayHoldWord(tree, word));
    }

    [Fact]
    public void Names_asked_by_hash_get_the_answers_asked_by_name()
    {
        // Both ways MayHoldAnyHash looks: the names' hashes in the tree's words (few names), the tree's words
        // among the names (more names than the tree has words).
        var tree = CSharpSyntaxTree.ParseText(Source);
        var absent = Enumerable.Range(0, 200).Select(i => $"Absent{i}").ToList();
        foreach (var names in new[]
                 {
                     new List<string> { "cafeCount" }, new List<string> { "Count" },
                     absent, absent.Append("naïve_value2").ToList(),
                 })
        {
            var hashes = TreeText.HashesOf(names);
            Assert.Equal(names.Any(n => TreeText.MayHoldWord(tree, n)), TreeText.MayHoldAnyHash(tree, hashes));
        }

        Assert.True(TreeText.MayHoldAnyHash(tree, TreeText.HashesOf(absent.Append("naïve_value2").ToList())));
        Assert.False(TreeText.MayHoldAnyHash(tree, TreeText.HashesOf(absent)));
    }

    [Fact]
    public void Every_word_of_a_large_text_is_found_and_few_absent_ones_are()
    {
        // 4,000 members with distinct names in about 150,000 characters: the filter never loses a word, and takes
        // only a few of 20,000 absent names for words of the text (its bits are one per character).
        var names = Enumerable.Range(0, 4000).Select(i => $"Member{i}_{(i * 7919) % 10007}").ToList();
        var text = "class Big\n{\n" + string.Concat(names.Select(n => $"    int {n} = 1;\n")) + "}\n";
        var tree = CSharpSyntaxTree.ParseText(text);
        foreach (var name in names)
        {
            Assert.True(TreeText.MayHoldWord(tree, name), name);
        }

        Assert.True(TreeText.MayHoldAnyHash(tree, TreeText.HashesOf(names)));
        var absent = Enumerable.Range(0, 20000).Select(i => $"Absent{i}").Count(n => TreeText.MayHoldWord(tree, n));
        Assert.InRange(absent, 0, 1000);
    }
}
