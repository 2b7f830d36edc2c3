using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// The bail-out decided before any symbol is asked for (AnnotationReach): from the source texts and the
/// references' metadata, a compilation that references PeerNet (as after installing the package) but
/// cannot reach an annotated member gets no symbols resolved at all; every way code can reach one still
/// goes on to the full rule.
/// </summary>
public class AnnotationReachTests
{
    private const string Plain = """
        using System.Collections.Generic;
        class Storage
        {
            public Dictionary<string, string> Metadata { get; } = new();
            public Storage GetSnapshot() => this;
            public void SendTo(string key, string value) => Metadata[key] = value;
        }
        """;

    // A user's own copies of the attributes, in a namespace of their own.
    private const string AttributeCopies = """
        namespace Acme.Attrs
        {
            public sealed class CachedSnapshotReadAttribute : System.Attribute { }
            public sealed class RequiresCurrentProtocolAttribute : System.Attribute { }
            public sealed class ConnectionOwnerAttribute : System.Attribute { }
        }
        """;

    private static async Task<CSharpCompilation> CompileAsync(string source, bool withPeerNet = true, params MetadataReference[] references) =>
        (await DirectRunner.CompileAsync(new[] { ("/0/Code.cs", source) }, withPeerNet)).AddReferences(references);

    /// <summary>
    /// A library whose annotated members are in <paramref name="annotated"/> is reached by code naming that namespace,
    /// and not by code naming only <paramref name="other"/> (another of its namespaces) and <paramref name="alsoNamed"/>.
    /// </summary>
    private static async Task AssertReachedOnlyThrough(MetadataReference library, string annotated, string other, string alsoNamed = "", string? because = null)
    {
        Assert.False(AnnotationReach.MayReachAnnotations(await CompileAsync(Plain, withPeerNet: true, library), default), because);
        Assert.False(AnnotationReach.MayReachAnnotations(await CompileAsync($"using {other};\n{alsoNamed}" + Plain, withPeerNet: true, library), default), because);
        Assert.True(AnnotationReach.MayReachAnnotations(await CompileAsync($"using {annotated};\n" + Plain, withPeerNet: true, library), default), because);
    }

    private static async Task<MetadataReference> LibraryAsync(string name, string source, bool withPeerNet, params MetadataReference[] references)
    {
        var library = (await DirectRunner.CompileAsync(new[] { ($"/{name}/{name}.cs", source) }, withPeerNet)).WithAssemblyName(name).AddReferences(references);
        using var image = new MemoryStream();
        var emitted = library.Emit(image);
        Assert.True(emitted.Success, string.Join("; ", emitted.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }

    [Fact]
    public async Task PeerNet_referenced_but_never_named_reaches_nothing_and_resolves_no_symbols()
    {
        var compilation = await CompileAsync(Plain);
        Assert.False(AnnotationReach.MayReachAnnotations(compilation, default));
        Assert.Null(WellKnownSymbols.TryCreate(compilation, new DirectRunner.DictionaryOptionsProvider(new Dictionary<string, string>())));
    }

    [Fact]
    public async Task Something_configured_goes_on_to_the_full_rule()
    {
        var compilation = await CompileAsync(Plain);
        var configured = new DirectRunner.DictionaryOptionsProvider(new Dictionary<string, string> { ["peernet.sources"] = "M:Storage.GetSnapshot" });
        Assert.NotNull(WellKnownSymbols.TryCreate(compilation, configured));
    }

    [Theory]
    [InlineData("using PeerNet;\nclass C { }")]
    [InlineData("global using PeerNet;")]
    [InlineData("class C { PeerNet.ProtocolId P; }")]
    [InlineData("using Id = PeerNet.ProtocolId;\nclass C { Id P; }")]
    [InlineData("class C { [CachedSnapshotRead] int Read() => 0; }")]
    [InlineData("class C { [RequiresCurrentProtocolAttribute] void Send() { } }")]
    [InlineData("using Peer\\u004Eet;\nclass C { }")] // the compiler reads PeerNet
    [InlineData("class C { [CachedSnapshot\\U00000052ead] int Read() => 0; }")]
    public async Task Naming_PeerNet_or_an_annotation_anywhere_reaches(string source)
    {
        var compilation = await CompileAsync(source + "\n" + Plain);
        Assert.True(AnnotationReach.MayReachAnnotations(compilation, default));
    }

    [Fact]
    public async Task A_reference_built_on_PeerNet_reaches_without_naming_it()
    {
        var library = await LibraryAsync("Lib", "namespace Lib { public static class Node { public static PeerNet.PeersAndMetadata Store { get; } = new(); } }", withPeerNet: true);
        var compilation = await CompileAsync(Plain, withPeerNet: true, library);
        Assert.True(AnnotationReach.MayReachAnnotations(compilation, default));
    }

    /// <summary>A reference whose metadata cannot be read (a file locked or gone since the build resolved it).</summary>
    private sealed class UnreadableReference : PortableExecutableReference
    {
        private readonly Exception _error;

        public UnreadableReference(Exception error)
            : base(MetadataReferenceProperties.Assembly, "/gone/Lib.dll") => _error = error;

        protected override DocumentationProvider CreateDocumentationProvider() => DocumentationProvider.Default;

        protected override Metadata GetMetadataImpl() => throw _error;

        protected override PortableExecutableReference WithPropertiesImpl(MetadataReferenceProperties properties) => this;
    }

    [Theory]
    [InlineData("io")]
    [InlineData("access")]
    [InlineData("image")]
    public async Task A_reference_that_cannot_be_read_goes_on_to_the_full_rule_without_throwing(string error)
    {
        Exception thrown = error switch
        {
            "io" => new FileNotFoundException("gone", "/gone/Lib.dll"),
            "access" => new UnauthorizedAccessException("locked"),
            _ => new BadImageFormatException("bad"),
        };
        var compilation = await CompileAsync(Plain, withPeerNet: true, new UnreadableReference(thrown));
        Assert.True(AnnotationReach.MayReachAnnotations(compilation, default));
    }

    [Fact]
    public async Task A_project_reference_still_being_compiled_goes_on_to_the_full_rule()
    {
        var project = await DirectRunner.CompileAsync(new[] { ("/p/P.cs", "namespace P { public class Q { } }") });
        var compilation = await CompileAsync(Plain, withPeerNet: true, project.WithAssemblyName("P").ToMetadataReference());
        Assert.True(AnnotationReach.MayReachAnnotations(compilation, default));
    }

    /// <summary>
    /// A library annotating one kind of member, in namespace Contoso, with its own attribute copies (in Acme);
    /// its other public type is in Fabrikam. Only code naming Contoso can reach the annotated member.
    /// </summary>
    [Theory]
    [InlineData("method", "[CachedSnapshotRead] public int Read() => 0;")]
    [InlineData("property", "[CachedSnapshotRead] public int Version => 0;")]
    [InlineData("getter", "public int Version { [CachedSnapshotRead] get => 0; }")]
    [InlineData("field", "[CachedSnapshotRead] public int Field;")]
    [InlineData("parameter", "public void Send([RequiresCurrentProtocol] int protocol) { }")]
    [InlineData("return value", "[return: CachedSnapshotRead] public int Read() => 0;")]
    [InlineData("nested type's member", "public sealed class Inner { [CachedSnapshotRead] public int Read() => 0; }")]
    public async Task A_reference_with_its_own_annotations_is_reached_only_through_the_annotated_types_namespace(string kind, string member)
    {
        var library = await LibraryAsync("Cache", AttributeCopies + $$"""
            namespace Contoso.Membership
            {
                using Acme.Attrs;
                public sealed class Cache { {{member}} }
            }
            namespace Fabrikam { public sealed class Other { } }
            """, withPeerNet: false);

        await AssertReachedOnlyThrough(library, "Contoso.Membership", "Fabrikam", alsoNamed: "using Acme.Attrs;\n", because: kind);
    }

    [Fact]
    public async Task A_generic_copy_of_an_attribute_counts_as_the_attribute()
    {
        // The full rule compares symbol names, which a generic attribute's has without its arity.
        var library = await LibraryAsync("Generic", """
            namespace Acme.Attrs { public sealed class CachedSnapshotReadAttribute<T> : System.Attribute { } }
            namespace Contoso { public sealed class Cache { [Acme.Attrs.CachedSnapshotRead<int>] public int Read() => 0; } }
            namespace Fabrikam { public sealed class Other { } }
            """, withPeerNet: false);
        await AssertReachedOnlyThrough(library, "Contoso", "Fabrikam");
    }

    [Fact]
    public async Task An_annotated_type_counts_by_its_own_namespace()
    {
        var library = await LibraryAsync("Owner", AttributeCopies + """
            namespace Contoso { [Acme.Attrs.ConnectionOwner] public sealed class PeerActor { } }
            namespace Fabrikam { public sealed class Other { } }
            """, withPeerNet: false);
        await AssertReachedOnlyThrough(library, "Contoso", "Fabrikam");
    }

    [Fact]
    public async Task A_reference_built_on_an_annotated_library_reaches_it_without_naming_it()
    {
        var annotated = await LibraryAsync("Cache", AttributeCopies + """
            namespace Contoso { public sealed class Cache { [Acme.Attrs.CachedSnapshotRead] public int Read() => 0; } }
            """, withPeerNet: false);
        var wrapper = await LibraryAsync("Wrapper", "namespace Wrapper { public static class Node { public static Contoso.Cache Cache { get; } = new(); } }", withPeerNet: false, annotated);
        Assert.False(AnnotationReach.MayReachAnnotations(await CompileAsync(Plain, withPeerNet: false, annotated), default));
        Assert.True(AnnotationReach.MayReachAnnotations(await CompileAsync(Plain, withPeerNet: false, annotated, wrapper), default));
    }

    [Fact]
    public async Task A_reference_with_its_own_annotations_is_still_analyzed_where_its_namespace_is_named()
    {
        // End to end: the full rule, reached through the library's own annotations alone (nothing of PeerNet named).
        var library = await LibraryAsync("Net", AttributeCopies + """
            namespace Contoso.Net
            {
                using Acme.Attrs;
                public sealed class Membership { [CachedSnapshotRead] public int ProtocolOf(string peer) => 1; }
                public sealed class Transport { public void Send(string peer, [RequiresCurrentProtocol] int protocol) { } }
            }
            """, withPeerNet: false);
        var compilation = await CompileAsync("""
            using Contoso.Net;
            class Sender
            {
                void Send(Membership membership, Transport transport, string peer) => transport.Send(peer, membership.ProtocolOf(peer));
            }
            """, withPeerNet: true, library);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var diagnostic = Assert.Single(await DirectRunner.RunAsync(new PN0001PN0002SnapshotRaceAnalyzer(), compilation));
        Assert.Equal("PN0001", diagnostic.Id);
    }
}
