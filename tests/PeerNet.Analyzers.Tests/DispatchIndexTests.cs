using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PeerNet.Analyzers.Flow;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// The index behind interface and virtual dispatch (<see cref="DispatchTargets"/>) links each source type to the bases it
/// names, and to everything a base of another assembly inherits. The types it finds implementing an interface or deriving
/// from a type are, in the same order, those whose interfaces (all of them) or base types hold it.
/// </summary>
public class DispatchIndexTests
{
    private const string Shapes = """
        using System;
        using System.Collections.Generic;
        using System.IO;

        public interface IRoot { void Run(); }
        public interface IMiddle : IRoot { }
        public interface ILeaf : IMiddle, IDisposable { }
        public interface IGeneric<T> { T Get(); }
        public interface IOther { }

        public abstract class Base : ILeaf { public abstract void Run(); public void Dispose() { } }
        public class Derived : Base { public override void Run() { } }
        public sealed class MoreDerived : Derived, IGeneric<int>, IGeneric<string>
        {
            int IGeneric<int>.Get() => 0;
            string IGeneric<string>.Get() => "";
        }

        public partial class Split { }
        public partial class Split : IMiddle { public void Run() { } }

        public struct Value : IGeneric<Value>, IEquatable<Value> { public Value Get() => this; public bool Equals(Value other) => true; }
        public record Point(int X) : IOther;
        public record struct Pair(int A, int B);
        public record Named(string Name, int X) : Point(X);

        public class MyStream : MemoryStream { }
        public class Numbers : List<int>, IRoot { public void Run() { } }
        public class Failure : InvalidOperationException { }
        public class Table<K, V> : Dictionary<K, V> where K : notnull { }
        public class Closed : Table<string, int> { }

        public class Outer
        {
            public class Inner : IRoot { public void Run() { } }
            private sealed class Deep : Inner, IGeneric<Outer> { public Outer Get() => null!; }
        }

        public class Plain { }
        public interface IAlone { }
        public class Broken : Missing, IDisposable { public void Dispose() { } }
        public class Loop1 : Loop2 { }
        public class Loop2 : Loop1 { }
        """;

    private const string Consumer = """
        using System;

        public class FromLibrary : Base { public override void Run() { } }
        public class ListedAgain : Numbers, IGeneric<double> { public double Get() => 0; }
        public class StreamAgain : MyStream { }
        public interface IMore : ILeaf { }
        public struct Holder : IMore { public void Run() { } public void Dispose() { } }
        """;

    [Fact]
    public async Task The_index_finds_the_types_whose_interfaces_and_bases_hold_a_type_in_one_compilation()
    {
        var compilation = await DirectRunner.CompileAsync(new[] { ("Shapes.cs", Shapes) }, withPeerNet: false);
        var compared = Compare(compilation);
        Assert.True(compared > 20, $"only {compared} types compared");
    }

    [Fact]
    public async Task The_index_follows_what_the_types_of_a_referenced_project_inherit()
    {
        // In an editor a project reference is the other project's compilation: its types are declared in source, but not in this one.
        var library = await DirectRunner.CompileAsync(new[] { ("Shapes.cs", Shapes) }, withPeerNet: false);
        var consumer = (await DirectRunner.CompileAsync(new[] { ("Consumer.cs", Consumer) }, withPeerNet: false)).AddReferences(library.ToMetadataReference());
        Assert.DoesNotContain(consumer.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        Compare(consumer);
        var found = new DispatchTargets(consumer).SubtypesOf(consumer.GetTypeByMetadataName("IRoot")!).Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(new[] { "FromLibrary", "Holder", "IMore", "ListedAgain", "StreamAgain" }.Where(n => n != "StreamAgain"), found);
    }

    [Fact]
    public async Task On_this_repository_s_library_the_index_finds_what_every_type_s_interfaces_and_bases_hold()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PeerNet.Analyzers.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var sources = Directory.EnumerateFiles(Path.Combine(dir!.FullName, "src", "PeerNet"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (f, File.ReadAllText(f)));
        var compilation = await DirectRunner.CompileAsync(sources, withPeerNet: false);
        var compared = Compare(compilation);
        Assert.True(compared > 10, $"only {compared} types compared");
    }

    /// <summary>For every type some source type inherits from, the index's answer against every source type's interfaces and base types; how many types were compared.</summary>
    private static int Compare(Compilation compilation)
    {
        var sourceTypes = NamedTypes.All(compilation.Assembly.GlobalNamespace)
            .Where(t => t.TypeKind is TypeKind.Class or TypeKind.Struct or TypeKind.Interface)
            .ToList();
        var asked = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var type in sourceTypes)
        {
            foreach (var iface in type.AllInterfaces) asked.Add(iface.OriginalDefinition);
            for (var b = type.BaseType; b is not null && b.SpecialType != SpecialType.System_Object; b = b.BaseType) asked.Add(b.OriginalDefinition);
        }

        var dispatch = new DispatchTargets(compilation);
        foreach (var type in asked)
        {
            var expected = sourceTypes.Where(t => type.TypeKind == TypeKind.Interface
                    ? t.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, type))
                    : BaseChain(t).Any(b => SymbolEqualityComparer.Default.Equals(b, type)))
                .ToList();
            var found = dispatch.SubtypesOf(type);
            Assert.True(expected.SequenceEqual(found, SymbolEqualityComparer.Default),
                $"{type.ToDisplayString()}: expected {string.Join(", ", expected.Select(t => t.ToDisplayString()))}; found {string.Join(", ", found.Select(t => t.ToDisplayString()))}");
        }

        return asked.Count;
    }

    private static IEnumerable<INamedTypeSymbol> BaseChain(INamedTypeSymbol type)
    {
        for (var b = type.BaseType; b is not null && b.SpecialType != SpecialType.System_Object; b = b.BaseType) yield return b.OriginalDefinition;
    }
}
