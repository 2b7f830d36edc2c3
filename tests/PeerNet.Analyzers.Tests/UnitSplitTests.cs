using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PeerNet.Analyzers.Flow;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// How a tree is split into units (member declarations): a walk that enters neither a member nor what can hold no
/// member (directives, attributes, base lists, types, type parameters, enums, delegates). It finds the units, in the
/// same order, and the type declarations' parameters, that a walk entering everything but members finds.
/// </summary>
public class UnitSplitTests
{
    private const string Shapes = """
        extern alias Other;
        using System;
        using System.Collections.Generic;
        using Alias = System.Collections.Generic.Dictionary<string, System.Func<int, int>>;
        using static System.Math;

        var top = 1;
        int Local(int x) => x + top;
        Console.WriteLine(Local(2));

        namespace N
        {
            [Obsolete("x")] public delegate void D(int a, string b);
            public enum E { A = 1, B = A << 2 }
            [AttributeUsage(AttributeTargets.All)] public sealed class Note : Attribute { public Note(string s) { } }

            public record Point(int X, int Y) : IComparable<Point>
            {
                public int CompareTo(Point? other) => X.CompareTo(other?.X ?? 0);
                public int Sum => X + Y;
            }

            public partial class Outer<T> : List<T>, IDisposable where T : class, new()
            {
                [Note("f")] private readonly Dictionary<string, Func<int, int>> _map = new(), _other = new();
                public event Action? Changed;
                public event EventHandler Handled { add { } remove { } }
                public T this[string key] => default!;
                public static Outer<T> operator +(Outer<T> a, Outer<T> b) => a;
                public static implicit operator int(Outer<T> o) => 0;
                public Outer() { }
                ~Outer() { }
                public void Dispose() { }

                private sealed class Inner(int seed)
                {
                    public int Seed { get; } = seed;
                    private int _count = seed switch { 0 => 1, _ => 2 };
                }

                public interface IShape { int Area(); static int Zero => 0; }
                public struct Pair { public int A, B; }
            }

            public partial class Outer<T>
            {
                void Broken( { int
                public int After;
            }

            public class C : Outer<string> { public void M() { } }
        }
        """;

    [Fact]
    public void The_split_finds_what_a_walk_of_everything_but_members_finds()
    {
        var tree = CSharpSyntaxTree.ParseText(Shapes, new CSharpParseOptions(LanguageVersion.Preview));
        var (units, parameters) = Reference(tree);
        var split = RelevantSymbols.SplitOf(tree);
        Assert.Equal(units, split.Units);
        Assert.Equal(parameters, split.TypeParameterNames);
        Assert.Contains(split.TypeParameterNames, n => n == "X");
        Assert.Contains(split.TypeParameterNames, n => n == "seed");
        Assert.True(split.Units.Count > 20, $"only {split.Units.Count} units");
    }

    [Fact]
    public void On_this_repository_s_own_code_the_split_finds_what_a_walk_of_everything_but_members_finds()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PeerNet.Analyzers.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var roots = new List<string> { "src", "tests", "samples", "benchmarks" }.Select(r => Path.Combine(dir!.FullName, r)).ToList();
        roots.AddRange((Environment.GetEnvironmentVariable("PEERNET_UNIT_TEXT_CORPUS") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        var files = roots.Where(Directory.Exists)
            .SelectMany(root => Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                           !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var compared = 0;
        foreach (var file in files)
        {
            var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(file), new CSharpParseOptions(LanguageVersion.Preview), path: file);
            var (units, parameters) = Reference(tree);
            var split = RelevantSymbols.SplitOf(tree);
            Assert.True(units.SequenceEqual(split.Units), file);
            Assert.True(parameters.SequenceEqual(split.TypeParameterNames), file);
            compared += units.Count;
        }

        Assert.True(compared > 2000, $"only {compared} units in {files.Count} files compared");
    }

    [Fact]
    public void The_units_mentioning_a_name_are_the_same_read_one_by_one_and_once_indexed_and_come_in_the_order_of_the_text()
    {
        // A tree answers its first questions by reading its units' identifiers, and indexes them by name after
        // RelevantSymbols.ScansBeforeIndex questions: every name, asked of a fresh tree (read) and of one asked
        // often enough before (indexed), gets the units whose identifiers hold it, in order, each once.
        var source = Shapes + """

            namespace M
            {
                public class Many
                {
                    public int Value;
                    public int A() => Value + Value;
                    public int B() { var Value = 2; return Value; }
                    public int this[int i] => i;
                    public int C(Many m) => m[1] + m.Value;
                    public int D => Value;
                }
            }
            """;
        var options = new CSharpParseOptions(LanguageVersion.Preview);
        var indexed = CSharpSyntaxTree.ParseText(source, options);
        var names = RelevantSymbols.IdentifiersOf(indexed).SelectMany(u => u.Identifiers).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.True(names.Count > 3 * RelevantSymbols.ScansBeforeIndex, $"only {names.Count} names");
        Assert.Contains("this[]", names);
        for (var i = 0; i <= RelevantSymbols.ScansBeforeIndex; i++) RelevantSymbols.MentioningOf(indexed, "Absent" + i);

        foreach (var name in names.Append("Absent").Append("Valu"))
        {
            var read = CSharpSyntaxTree.ParseText(source, options);
            var expected = RelevantSymbols.IdentifiersOf(read).Where(u => u.Identifiers.Contains(name)).Select(u => u.Node.SpanStart).ToList();
            Assert.Equal(expected, RelevantSymbols.MentioningOf(read, name).Select(n => n.SpanStart).ToList());
            Assert.Equal(expected, RelevantSymbols.MentioningOf(indexed, name).Select(n => n.SpanStart).ToList());
        }

        var value = RelevantSymbols.MentioningOf(indexed, "Value").Select(n => n.SpanStart).ToList();
        Assert.Equal(5, value.Count); // the field, A, B, C and D, once each
        Assert.Equal(value.OrderBy(p => p), value);
    }

    /// <summary>The units and type declarations' parameters found by entering every node but a member's.</summary>
    private static (List<SyntaxNode> Units, List<string> Parameters) Reference(SyntaxTree tree)
    {
        var units = new List<SyntaxNode>();
        var parameters = new List<string>();
        foreach (var node in tree.GetRoot().DescendantNodes(n => n is not (BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax or VariableDeclaratorSyntax)))
        {
            switch (node)
            {
                case BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax:
                case VariableDeclaratorSyntax { Parent.Parent: BaseFieldDeclarationSyntax }:
                    units.Add(node);
                    break;
                case ParameterSyntax { Parent: ParameterListSyntax { Parent: TypeDeclarationSyntax } } parameter:
                    parameters.Add(parameter.Identifier.ValueText);
                    break;
            }
        }

        return (units, parameters);
    }
}
