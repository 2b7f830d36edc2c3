using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PeerNet.Analyzers.Flow;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// The gate asked on demand (RelevantSymbols): the compilation-start work binds nothing, a question binds
/// only the bodies on its way, each once, and PeerNet's member names seed nothing where the code cannot
/// reach PeerNet's types.
/// </summary>
public class PN0001PN0002DemandGateTests
{
    private static Task<(CompilationAnalysis Analysis, CSharpCompilation Compilation)> LoadAsync(params string[] sources) =>
        LoadAsync(new Dictionary<string, string>(), sources);

    private static async Task<(CompilationAnalysis Analysis, CSharpCompilation Compilation)> LoadAsync(Dictionary<string, string> options, params string[] sources)
    {
        var compilation = await DirectRunner.CompileAsync(sources.Select((s, i) => ($"/0/F{i}.cs", s)));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var symbols = WellKnownSymbols.TryCreate(compilation, new DirectRunner.DictionaryOptionsProvider(options))!;
        var analysis = new CompilationAnalysis(symbols);
        analysis.Prepare(default);
        return (analysis, compilation);
    }

    private static SyntaxNode Method(CSharpCompilation compilation, string name) =>
        compilation.SyntaxTrees.SelectMany(t => t.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()).Single(m => m.Identifier.ValueText == name);

    private const string Chain = AnalyzerVerifier<PN0001PN0002SnapshotRaceAnalyzer>.Usings + """
        class Chain
        {
            PeersAndMetadata _store = new PeersAndMetadata();
            ProtocolIdSet Read(PeerNetworkId p) => _store.GetMetadataForPeer(p).SupportedProtocols;
            ProtocolIdSet Middle(PeerNetworkId p) => Read(p);
            void Send(INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, Middle(p).First(), m);
        }
        """;

    // Mentions the same names (GetSnapshot, Metadata, SendTo) on types of its own: found by name, never confirmed.
    private const string LookAlikes = """
        using System.Collections.Generic;
        class Storage
        {
            public Storage GetSnapshot() => this;
            public Dictionary<string, string> Metadata { get; } = new();
            public void SendTo(string key, string value) => Metadata[key] = value;
            public void Copy(Storage other) { foreach (var pair in other.GetSnapshot().Metadata) SendTo(pair.Key, pair.Value); }
            public void Copy2(Storage other) => Copy(other.GetSnapshot());
        }
        """;

    [Fact]
    public async Task A_private_field_is_followed_into_its_other_partial_declarations_and_nested_types()
    {
        // Stale protocols stored in private fields, read back in another file's part of the class and in a nested
        // class, and handed out through private then public methods to a class of a third file: every send is
        // found (the closure must carry the names from the private field to the public methods that the third
        // file calls), whatever other classes with fields and methods of the same names do.
        var refresh = AnalyzerVerifier<PN0001PN0002SnapshotRaceAnalyzer>.Usings + """
            partial class Node
            {
                PeersAndMetadata _store = new PeersAndMetadata();
                ProtocolIdSet _protocols = ProtocolIdSet.Empty;
                static ProtocolIdSet s_protocols = ProtocolIdSet.Empty;
                void Refresh(PeerNetworkId p)
                {
                    _protocols = _store.GetMetadataForPeer(p).SupportedProtocols;
                    s_protocols = _store.GetMetadataForPeer(p).SupportedProtocols;
                }
            }
            """;
        var parts = AnalyzerVerifier<PN0001PN0002SnapshotRaceAnalyzer>.Usings + """
            partial class Node
            {
                void Send(INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, _protocols.First(), m);
                ProtocolId Pick() => _protocols.First();
                public ProtocolId Choose() => Pick();
                internal class Inner
                {
                    void Send(INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, s_protocols.First(), m);
                    public static ProtocolId Current() => s_protocols.First();
                }
            }
            """;
        var third = AnalyzerVerifier<PN0001PN0002SnapshotRaceAnalyzer>.Usings + """
            class Sender
            {
                void Send(Node n, INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, n.Choose(), m);
                void SendCurrent(INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, Node.Inner.Current(), m);
            }
            """;
        var others = Enumerable.Range(0, 18).Select(i => $"class Other{i} {{ int _protocols; int s_protocols; int Pick() => _protocols; void Set() {{ _protocols = 1; s_protocols = Pick(); }} }}");
        var diagnostics = await DirectRunner.RunAsync(new PN0001PN0002SnapshotRaceAnalyzer(), new[] { refresh, parts, third }.Concat(others).Select((t, i) => ($"/0/F{i}.cs", t)));
        Assert.Equal(new[] { ("PN0001", "/0/F1.cs"), ("PN0001", "/0/F1.cs"), ("PN0001", "/0/F2.cs"), ("PN0001", "/0/F2.cs") }, diagnostics.Select(d => (d.Id, d.Location.SourceTree!.FilePath)));
    }

    [Fact]
    public async Task Compilation_start_binds_nothing()
    {
        var (analysis, _) = await LoadAsync(Chain, LookAlikes);
        Assert.Equal(0, analysis.RelevantSymbols.BoundUnitCount);
    }

    [Fact]
    public async Task A_question_binds_only_the_bodies_on_its_way_once()
    {
        var (analysis, compilation) = await LoadAsync(Chain, LookAlikes);
        var relevant = analysis.RelevantSymbols;
        Assert.True(relevant.IsMentionedIn(Method(compilation, "Send"), default));

        // Send, then Middle, then Read (which reads the snapshot): nothing of Storage.
        var afterSend = relevant.BoundUnitCount;
        Assert.Equal(3, afterSend);
        Assert.True(relevant.IsMentionedIn(Method(compilation, "Middle"), default));
        Assert.True(relevant.IsMentionedIn(Method(compilation, "Read"), default));
        Assert.Equal(afterSend, relevant.BoundUnitCount);

        Assert.False(relevant.IsMentionedIn(Method(compilation, "Copy"), default));
        Assert.False(relevant.IsMentionedIn(Method(compilation, "Copy2"), default));
        var afterLookAlikes = relevant.BoundUnitCount;
        Assert.True(afterLookAlikes > afterSend);
        Assert.False(relevant.IsMentionedIn(Method(compilation, "Copy"), default));
        Assert.Equal(afterLookAlikes, relevant.BoundUnitCount);
    }

    [Fact]
    public async Task Where_the_names_no_longer_filter_and_few_units_name_a_seed_the_sources_question_takes_its_cone_at_once()
    {
        // 20 trees, every one mentioning a name that can matter (Read, the name of the chain's reader) but only the
        // chain naming a seed: a backward search would walk the look-alikes to prove each "no"; the sources cone
        // starts from the one unit naming a seed and binds only the units naming what it finds relevant.
        var others = Enumerable.Range(0, 19).Select(i => $"class Other{i} {{ int Read() => 1; int Use() => Read() + 2; int More() => Use(); }}");
        var (analysis, compilation) = await LoadAsync(new[] { Chain }.Concat(others).ToArray());
        var relevant = analysis.RelevantSymbols;
        Assert.True(relevant.IsMentionedIn(Method(compilation, "Send"), default));
        Assert.Equal((true, false), relevant.UsesCones);
        var bound = relevant.BoundUnitCount;
        Assert.InRange(bound, 3, 3 + 19); // the chain, and the look-alikes naming Read (each once)

        var lookAlikes = compilation.SyntaxTrees.SelectMany(t => t.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            .Where(m => m.Identifier.ValueText is "Use" or "More").ToList();
        Assert.Equal(38, lookAlikes.Count);
        Assert.All(lookAlikes, m => Assert.False(relevant.IsMentionedIn(m, default)));
        Assert.True(relevant.IsMentionedIn(Method(compilation, "Middle"), default));
        Assert.Equal(bound, relevant.BoundUnitCount); // answered from the cone: nothing more bound

        // The second question is asked only of callees: it still searches backward.
        var model = compilation.GetSemanticModel(Method(compilation, "Middle").SyntaxTree);
        Assert.True(relevant.IsWorthSummarizing((IMethodSymbol)model.GetDeclaredSymbol(Method(compilation, "Middle"))!, default));
        Assert.Equal((true, false), relevant.UsesCones);
    }

    [Fact]
    public async Task Where_most_units_name_a_seed_a_question_stays_backward()
    {
        // 20 trees, the look-alikes naming GetSnapshot and Metadata everywhere: the cone would bind most of the
        // compilation, so a question (an editor's request about one document) binds only what is on its way.
        var lookAlikes = Enumerable.Range(0, 19).Select(i => LookAlikes.Replace("Storage", $"Storage{i}"));
        var (analysis, compilation) = await LoadAsync(new[] { Chain }.Concat(lookAlikes).ToArray());
        var relevant = analysis.RelevantSymbols;
        Assert.True(relevant.IsMentionedIn(Method(compilation, "Send"), default));
        Assert.Equal((false, false), relevant.UsesCones);
        Assert.Equal(3, relevant.BoundUnitCount);
    }

    [Fact]
    public async Task Where_the_names_filter_the_sources_question_searches_backward()
    {
        // 20 trees, one mentioning names that can matter: a question binds only what is on its way.
        var others = Enumerable.Range(0, 19).Select(i => $"class Other{i} {{ int Twice(int n) => n * 2; }}");
        var (analysis, compilation) = await LoadAsync(new[] { Chain }.Concat(others).ToArray());
        var relevant = analysis.RelevantSymbols;
        Assert.True(relevant.IsMentionedIn(Method(compilation, "Send"), default));
        Assert.Equal((false, false), relevant.UsesCones);
        Assert.Equal(3, relevant.BoundUnitCount);
    }

    [Fact]
    public async Task A_private_field_is_looked_for_only_in_its_own_type_however_many_fields_share_its_name()
    {
        // Twenty classes with a private `_protocol` each, one of them assigning it from the snapshot: asking about another
        // class's reader binds that class's units only (a private field can be assigned nowhere else), not the
        // constructor of every class that assigns a `_protocol` of its own.
        var holders = string.Join("\n", Enumerable.Range(0, 20).Select(i => $$"""
            class Holder{{i}}
            {
                private ProtocolId _protocol;
                public Holder{{i}}() { _protocol = ProtocolId.ConsensusRpcBcs; }
                public ProtocolId Current() => _protocol;
                {{(i == 0 ? "public void Refresh(PeersAndMetadata s, PeerNetworkId p) => _protocol = s.GetMetadataForPeer(p).SupportedProtocols.First();" : "")}}
            }
            """));
        var (analysis, compilation) = await LoadAsync(Chain, AnalyzerVerifier<PN0001PN0002SnapshotRaceAnalyzer>.Usings + holders);
        var relevant = analysis.RelevantSymbols;
        SyntaxNode Current(int i) => compilation.SyntaxTrees.SelectMany(t => t.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>())
            .Single(c => c.Identifier.ValueText == $"Holder{i}").Members.OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == "Current");

        Assert.False(relevant.IsMentionedIn(Current(7), default));
        Assert.Equal((false, false), relevant.UsesCones);
        Assert.InRange(relevant.BoundUnitCount, 1, 3); // Current, the constructor, the field's declaration: all Holder7's
        Assert.True(relevant.IsMentionedIn(Current(0), default));
    }

    [Fact]
    public async Task Cycles_end_without_a_depth_cut()
    {
        var (analysis, compilation) = await LoadAsync(AnalyzerVerifier<PN0001PN0002SnapshotRaceAnalyzer>.Usings + """
            class Cycle
            {
                PeersAndMetadata _store = new PeersAndMetadata();
                // A <-> B, and C reads the snapshot at the far end of a long chain through the cycle.
                ProtocolIdSet A(PeerNetworkId p, int n) => n == 0 ? D1(p) : B(p, n - 1);
                ProtocolIdSet B(PeerNetworkId p, int n) => A(p, n);
                ProtocolIdSet D1(PeerNetworkId p) => D2(p);
                ProtocolIdSet D2(PeerNetworkId p) => D3(p);
                ProtocolIdSet D3(PeerNetworkId p) => D4(p);
                ProtocolIdSet D4(PeerNetworkId p) => D5(p);
                ProtocolIdSet D5(PeerNetworkId p) => _store.GetMetadataForPeer(p).SupportedProtocols;
                // E <-> F mention the names but reach nothing.
                int E(int n) => n == 0 ? 0 : F(n - 1);
                int F(int n) => E(n) + "GetSnapshot".Length;
                int Metadata(int n) => E(n) + F(n);
            }
            """);
        var relevant = analysis.RelevantSymbols;
        Assert.False(relevant.IsMentionedIn(Method(compilation, "Metadata"), default));
        Assert.True(relevant.IsMentionedIn(Method(compilation, "B"), default));
        Assert.True(relevant.IsMentionedIn(Method(compilation, "A"), default));
        Assert.False(relevant.IsMentionedIn(Method(compilation, "E"), default));
    }

    [Fact]
    public async Task PeerNet_names_seed_nothing_where_the_code_cannot_reach_PeerNet()
    {
        // PeerNet is referenced (as after installing the package) but no tree names its namespace. With nothing
        // configured the analyzers stop before any symbol (AnnotationReachTests); with a sink of the code's own
        // configured they go on, and PeerNet's names must still seed nothing.
        var compilation = await DirectRunner.CompileAsync(new[] { ("/0/F0.cs", LookAlikes) });
        Assert.Null(WellKnownSymbols.TryCreate(compilation, new DirectRunner.DictionaryOptionsProvider(new Dictionary<string, string>())));
        (var analysis, compilation) = await LoadAsync(new Dictionary<string, string> { ["peernet.sinks"] = "M:Storage.SendTo(System.String,System.String)|value" }, LookAlikes);
        Assert.Empty(analysis.Symbols.Configured.Errors);
        Assert.False(analysis.Symbols.Configured.IsEmpty);
        var relevant = analysis.RelevantSymbols;
        Assert.False(relevant.IsMentionedIn(Method(compilation, "Copy"), default));
        Assert.False(relevant.IsMentionedIn(Method(compilation, "Copy2"), default));
        Assert.Equal(0, relevant.BoundUnitCount);
    }

    [Fact]
    public async Task Naming_the_namespace_anywhere_makes_PeerNet_reachable()
    {
        // A global using in another file is enough: the look-alike bodies are then bound (and not confirmed).
        var (analysis, compilation) = await LoadAsync(LookAlikes, "global using PeerNet;");
        var relevant = analysis.RelevantSymbols;
        Assert.False(relevant.IsMentionedIn(Method(compilation, "Copy"), default));
        Assert.True(relevant.BoundUnitCount > 0);
    }

    [Fact]
    public async Task PeerNet_types_handed_out_by_another_reference_are_reached_without_naming_PeerNet()
    {
        // A library built on PeerNet returns its types; the consumer never writes "PeerNet".
        var library = await DirectRunner.CompileAsync(new[]
        {
            ("/lib/Lib.cs", AnalyzerVerifier<PN0001PN0002SnapshotRaceAnalyzer>.Usings + """
                namespace Lib
                {
                    public static class Node
                    {
                        public static PeersAndMetadata Store { get; } = new PeersAndMetadata();
                        public static INetworkSender Sender { get; set; } = null!;
                    }
                }
                """),
        });
        using var image = new MemoryStream();
        Assert.True(library.WithAssemblyName("Lib").Emit(image).Success);
        var consumer = (await DirectRunner.CompileAsync(new[]
        {
            ("/0/Consumer.cs", """
                using System.Linq;
                class Consumer
                {
                    void Send()
                    {
                        foreach (var peer in Lib.Node.Store.GetConnectedPeers(default))
                        {
                            var protocol = peer.Value.SupportedProtocols.First();
                            Lib.Node.Sender.SendTo(peer.Key.PeerId, protocol, null!);
                        }
                    }
                }
                """),
        })).AddReferences(MetadataReference.CreateFromImage(image.ToArray()));
        Assert.Empty(consumer.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.DoesNotContain("PeerNet", consumer.SyntaxTrees.Single().ToString());

        var diagnostics = await DirectRunner.RunAsync(new PN0001PN0002SnapshotRaceAnalyzer(), consumer);
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("PN0001", diagnostic.Id);
    }
}
