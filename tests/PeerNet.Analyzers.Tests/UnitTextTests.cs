using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PeerNet.Analyzers.Flow;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// The gate reads what each unit (member declaration) mentions and assigns from the tree's text, not from a
/// walk of all its tokens. Against the token walk, on every unit: the identifiers read from the text are a
/// superset of the tokens' values (more names looked at, never fewer), the assigned names are the same, and a
/// unit that mentions an annotation's name by token does by text. Where the text does not spell an
/// identifier's value (a Unicode escape, a formatting character) the text is not used.
/// </summary>
public class UnitTextTests
{
    private const string Shapes = """
        using System;
        using System.Collections.Generic;
        using System.Collections.Concurrent;
        [AttributeUsage(AttributeTargets.All)] class CachedSnapshotReadAttribute : Attribute { }
        class Holder
        {
            public int Field, Other = 2, Third;
            public Holder Next;
            public int[] Items = new int[4];
            public List<int> List = new();
            public Dictionary<string, int> Map = new();
            public ConcurrentDictionary<string, int> Concurrent = new();
            public int this[int i] { get => Items[i]; set => Items[i] = value; }
            public int Prop { get; set; } = 3;
            public event Action Changed;
            public static Holder Shared;
            public Holder Self => this;
            public int Get() => 1;
        }
        class Shapes
        {
            Holder _h = new Holder { Field = 1, Prop = 2, [0] = 3 };
            int _count;
            int _x, _y;
            string _s;
            [CachedSnapshotRead] public int Annotated => 1;
            void Simple() { _count = 1; _h.Field = 2; this._x += 3; _h.Next.Prop -= 4; _s ??= "a"; _y <<= 1; _y >>= 1; _y >>>= 1; }
            void Comparisons(int a) { var b = a == _count; var c = a != _x; var d = a <= _y; var e = a >= _y; Func<int, int> f = v => v; }
            void Locals() { int local = 1; var other = local; local = 2; for (int i = 0; i < 3; i++) { } foreach (var item in _h.Items) { } }
            void Elements() { _h.Items[0] = 1; _h[1] = 2; _h.Map["k"] = 3; _h?.Items[0].ToString(); var n = _h.Items?[0]; var arr = new int[] { 1 }[0]; int[] z = [1, 2]; }
            void Stores() { _h.List.Add(1); _h.Map.TryAdd("k", 1); _h.Concurrent.GetOrAdd("k", 1); _h?.List.Add(2); Holder.Shared.List.AddRange(new[] { 1 }); _h.List.Insert(0, 1); _h.Get().ToString(); }
            void Generic() { var q = new Queue<int>(); q.Enqueue(1); _h.List.Add<int>(1); }
            void RefOut(ref int r) { Take(ref _count, out _x, in _y); Take(ref _h.Field, out var fresh, in _h.Items[0]); Take(ref r, out _, in r); }
            void Take(ref int a, out int b, in int c) { b = a + c; }
            void Conditional() { _h?.Next?.Prop = 5; }
            void Events() { _h.Changed += () => { }; _h.Changed -= null; }
            void Initializers() { var h = new Holder { Prop = 9, Next = new Holder { Field = 8 } }; var w = (h, 1) with { }; }
            void Tuples() { (_x, _y) = (1, 2); (var p, var q) = (3, 4); }
            void Commented() { // _ghost = 1; x.Add(2); y[0] = 3;
                /* _other = 2; out _z; */ _s = "a = b; c[0] = d; ref e"; }
            int Arrow => _count = 4;
            int Accessors { get => _x; set => _x = value; }
            static int Static = Holder.Shared.Prop = 7;
            void Verbatim() { int @class = 1; @class = 2; _s = @"x = [y]"; _s = $"{_x = 3}"; }
            void Lambdas() { Action a = () => _x = 1; Func<int> g = () => _h.Items[0]; Action<int> s = v => _h.Items[v] = v; }
            void Ternary(bool c) { var r = c ? _h.Items[0] : _h[0]; }
            void Nested() { _h.Next.Next.Items[_h.Items[0]] = _h.List[0]; }
            void Patterns(object o) { if (o is Holder { Field: 1 } h) { h.Field = 2; } }
            void LocalFunction() { void Inner() => _y = 1; Inner(); static int Pure(int v) => v; }
            Shapes() { _x = _y = 1; }
            ~Shapes() { _s = null; }
            public static Shapes operator +(Shapes a, Shapes b) { a._count = 1; return a; }
            void Pointers() { }
        }
        class Escapes
        {
            int Membership\u0043ache;
            void M() { Membership\u0043ache = 1; }
        }
        """;

    private static void AssertTextReadsAtLeastTheTokens(IEnumerable<SyntaxTree> trees, ref int compared)
    {
        foreach (var (unit, text, tokens) in RelevantSymbols.ReadUnitsBothWays(trees))
        {
            if (text is not { } read) continue;
            compared++;
            var where = $"{unit.SyntaxTree.FilePath}:{unit.GetLocation().GetLineSpan().StartLinePosition.Line + 1}";
            // A missing identifier (broken code: `scoped params T x` before C# 13) has an empty value, which binds to nothing.
            var missing = tokens.Identifiers.Where(i => i.Length > 0).Except(read.Identifiers, StringComparer.Ordinal).ToList();
            Assert.True(missing.Count == 0, $"{where}: the text misses identifiers {string.Join(", ", missing)}");
            Assert.True(
                new HashSet<string>(tokens.Assigned, StringComparer.Ordinal).SetEquals(read.Assigned),
                $"{where}: assigned by tokens [{string.Join(", ", tokens.Assigned.Order())}], by text [{string.Join(", ", read.Assigned.Order())}]");
            Assert.True(!tokens.MentionsAttribute || read.MentionsAttribute, $"{where}: the text misses an annotation's name");
        }
    }

    [Fact]
    public void On_the_shapes_the_text_reads_what_the_tokens_do()
    {
        var tree = CSharpSyntaxTree.ParseText(Shapes, new CSharpParseOptions(LanguageVersion.Preview), path: "shapes.cs");
        var compared = 0;
        AssertTextReadsAtLeastTheTokens(new[] { tree }, ref compared);
        Assert.True(compared > 40, $"only {compared} units compared");

        var units = RelevantSymbols.ReadUnitsBothWays(new[] { tree }).ToList();
        (string[] Identifiers, string[] Assigned, bool MentionsAttribute) Text(string name) =>
            units.Single(u => u.Unit is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax m && m.Identifier.ValueText == name).Text!.Value;

        // What the text must find, spelled out (the comparison alone would pass if both ways lost the same thing).
        Assert.Equal(new[] { "Field", "Prop", "_count", "_s", "_x", "_y" }, Text("Simple").Assigned.Concat(Text("Conditional").Assigned).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "Items", "Map", "_h" }, Text("Elements").Assigned.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "Concurrent", "List", "Map" }, Text("Stores").Assigned.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "Field", "Items", "_count", "_x", "_y" }, Text("RefOut").Assigned.Order(StringComparer.Ordinal));
        Assert.Empty(Text("Comparisons").Assigned);
        Assert.Empty(Text("Locals").Assigned);
        Assert.Empty(Text("Tuples").Assigned);
        Assert.Equal(new[] { "_s" }, Text("Commented").Assigned);
        Assert.Contains("this[]", Text("Elements").Identifiers);
        Assert.DoesNotContain("this[]", Text("Locals").Identifiers);
        Assert.DoesNotContain("this[]", Text("Verbatim").Identifiers); // "[y]" is in a string
        Assert.Contains("class", Text("Verbatim").Identifiers); // @class
        Assert.DoesNotContain("void", Text("Simple").Identifiers); // reserved keywords are no identifiers
        Assert.Contains("_ghost", Text("Commented").Identifiers); // a comment's words: more looked at, never fewer
        Assert.True(units.Single(u => u.Unit is Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax { Identifier.ValueText: "Annotated" }).Text!.Value.MentionsAttribute);

        // An escaped identifier is read from the tokens.
        Assert.Null(units.Single(u => u.Unit is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax { Identifier.ValueText: "M" }).Text);
        Assert.Contains("MembershipCache", units.Single(u => u.Unit is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax { Identifier.ValueText: "M" }).Tokens.Assigned);
    }

    [Fact]
    public void On_this_repository_s_own_code_the_text_reads_what_the_tokens_do()
    {
        // Real code of every kind this repository has: the library, the analyzers, the code fixes, the tests
        // (whose sources in strings are words of their text), benchmarks and samples. PEERNET_UNIT_TEXT_CORPUS
        // may name more directories (a checkout of another codebase) to run the same comparison on.
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PeerNet.Analyzers.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var roots = new List<string> { Path.Combine(dir!.FullName, "src"), Path.Combine(dir.FullName, "tests"), Path.Combine(dir.FullName, "samples"), Path.Combine(dir.FullName, "benchmarks") };
        roots.AddRange((Environment.GetEnvironmentVariable("PEERNET_UNIT_TEXT_CORPUS") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        // All the files read with one word table, as the name closure reads a compilation's trees.
        var trees = roots.Where(Directory.Exists)
            .SelectMany(root => Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                           !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(file => CSharpSyntaxTree.ParseText(File.ReadAllText(file), new CSharpParseOptions(LanguageVersion.Preview), path: file))
            .ToList();
        var compared = 0;
        AssertTextReadsAtLeastTheTokens(trees, ref compared);
        Assert.True(compared > 2000, $"only {compared} units in {trees.Count} files compared");
    }
}
