using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// Half-typed code (what the IDE analyzes on every keystroke) must never make an analyzer throw (AD0001)
/// and must not produce diagnostics that are not real findings. Also: nothing is registered when a
/// compilation cannot contain a finding.
/// </summary>
public class RobustnessTests
{
    private static readonly DiagnosticAnalyzer[] Analyzers =
    {
        new PN0001PN0002SnapshotRaceAnalyzer(), new PN0003DiscardedTrySendResultAnalyzer(), new PN0000ConfigurationAnalyzer(),
    };

    private const string Prefix = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using PeerNet;
        using PeerNet.Annotations;

        class C
        {
            NetworkClient client = null!;
            PeersAndMetadata store = null!;
            PeerNetworkId peer;
            IReadOnlyList<ProtocolId> prefs = null!;
            Message msg = null!;
            INetworkSender Sender => client.GetSenderForNetwork(peer.NetworkId);

        """;

    public static TheoryData<string, string> HalfTyped => new()
    {
        { "missing argument", "void M() { var p = client.GetPreferredProtocolForPeer(peer, prefs); Sender.SendTo(peer.PeerId, , msg); }" },
        { "missing arguments", "void M() { var p = client.GetPreferredProtocolForPeer(peer); Sender.SendTo(p); }" },
        { "unclosed call", "void M() { var p = client.GetPreferredProtocolForPeer(peer, prefs); Sender.SendTo(peer.PeerId, p" },
        { "unresolved symbol", "void M() { Sender.SendTo(peer.PeerId, unknownProtocol, msg); }" },
        { "unresolved method", "void M() { var p = client.GetPreferredProtocolFor(peer); Sender.SendTo(peer.PeerId, p, msg); }" },
        { "unresolved receiver", "void M() { var p = nobody.GetPreferredProtocolForPeer(peer, prefs); nobody.SendTo(peer.PeerId, p, msg); }" },
        { "missing initializer", "void M() { var p = ; Sender.SendTo(peer.PeerId, p, msg); }" },
        { "wrong type", "void M() { ProtocolId p = \"x\"; Sender.SendTo(peer.PeerId, p, msg); }" },
        { "incomplete lambda", "void M() { var set = client.GetSupportedProtocols(peer); var p = prefs.First(x => set.Contains(" },
        { "incomplete foreach", "void M() { foreach (var p in ) { Sender.SendTo(peer.PeerId, p, msg); } }" },
        { "incomplete switch", "void M() { var p = client.GetPreferredProtocolForPeer(peer, prefs); switch (p) { case : break; } }" },
        { "incomplete try-send", "void M() { client.TrySendWithCurrentProtocol(" },
        { "try-send missing out", "void M() { client.TrySendWithCurrentProtocol(peer, msg); }" },
        { "discard of nothing", "void M() { _ = ; }" },
        { "deconstruction arity mismatch", "void M() { var (a, b) = (client.GetPreferredProtocolForPeer(peer, prefs), 1, 2); Sender.SendTo(peer.PeerId, a, msg); }" },
        { "out to nothing", "void M() { store.GetSnapshot().TryGetMetadataForPeer(peer, out ); }" },
        { "local function half written", "void M() { Send(); void Send( => Sender.SendTo(peer.PeerId, client.GetPreferredProtocolForPeer(peer, prefs), msg); }" },
        { "expression-bodied half written", "ProtocolId Pick() => client.GetPreferredProtocolForPeer(" },
        { "recursive property", "ProtocolId P => P; void M() => Sender.SendTo(peer.PeerId, P, msg) }" },
        { "await outside async", "void M() { var p = await Task.FromResult(client.GetPreferredProtocolForPeer(peer, prefs)); }" },
        { "attribute on wrong target", "[RequiresCurrentProtocol] void M() { }" },
        { "garbage tokens", "void M() { ) } ( ; ; client.. ; }" },
        { "goto into nowhere", "void M() { goto L; var p = client.GetSupportedProtocols(peer); }" },
        { "version compare with error", "void M() { var s = store.GetSnapshot(); if (s.Version == ) Sender.SendTo(peer.PeerId, s.GetMetadataForPeer(peer).SupportedProtocols.First(), msg); }" },
    };

    [Theory]
    [MemberData(nameof(HalfTyped))]
    public async Task Half_typed_code_throws_nothing_and_reports_nothing(string what, string member)
    {
        var source = Prefix + member + "\n}\n";
        foreach (var analyzer in Analyzers)
        {
            // RunAsync throws (AggregateException "the analyzer threw (AD0001)") on any analyzer exception.
            var diagnostics = await DirectRunner.RunAsync(analyzer, new[] { ("/0/Half.cs", source) }, requireCompiles: false);
            Assert.True(diagnostics.IsEmpty, $"{what}: {analyzer.GetType().Name} reported {string.Join("; ", diagnostics)}");
        }
    }

    [Fact]
    public async Task Half_typed_sources_do_compile_with_errors()
    {
        // Guards the theory above: the snippets really are broken code.
        foreach (var row in HalfTyped)
        {
            var compilation = await DirectRunner.CompileAsync(new[] { ("/0/Half.cs", Prefix + (string)row[1] + "\n}\n") });
            Assert.True(compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error), $"{row[0]} compiles without errors");
        }
    }

    public static TheoryData<string, string> HalfTypedWithRealFinding => new()
    {
        { "missing semicolon", "void M() { var p = client.GetPreferredProtocolForPeer(peer, prefs); Sender.SendTo(peer.PeerId, p, msg) }" },
        { "annotated source without body", "[CachedSnapshotRead] ProtocolId Pick(); void M() { Sender.SendTo(peer.PeerId, Pick(), msg); }" },
        { "unrelated broken statement", "void M() { var p = client.GetPreferredProtocolForPeer(peer, prefs); var x = ; Sender.SendTo(peer.PeerId, p, msg); }" },
    };

    [Theory]
    [MemberData(nameof(HalfTypedWithRealFinding))]
    public async Task Half_typed_code_around_a_complete_stale_send_reports_exactly_that_send(string what, string member)
    {
        var source = Prefix + member + "\n}\n";
        var compilation = await DirectRunner.CompileAsync(new[] { ("/0/Half.cs", source) });
        Assert.True(compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error), $"{what} compiles without errors");
        var diagnostics = await DirectRunner.RunAsync(new PN0001PN0002SnapshotRaceAnalyzer(), compilation);
        var d = Assert.Single(diagnostics);
        Assert.Equal("PN0001", d.Id);
        Assert.StartsWith("Sender.SendTo(", d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan));
    }

    [Fact]
    public async Task Malformed_configuration_throws_nothing()
    {
        var options = new Dictionary<string, string>
        {
            ["peernet.sources"] = "M:Nope(; ;;garbage; T:C; P:C.Sender",
            ["peernet.sinks"] = "M:C.M|; M:C.M|99; M:C.M|nope; |; M:",
            ["peernet.version_checks"] = "!!",
            ["peernet.try_sends"] = "M:C.M()",
            ["peernet.analyze_generated_code"] = "maybe",
        };
        var source = Prefix + "void M() { var p = client.GetPreferredProtocolForPeer(peer, prefs); Sender.SendTo(peer.PeerId, p, msg); }\n}\n";
        foreach (var analyzer in Analyzers)
        {
            var diagnostics = await DirectRunner.RunAsync(analyzer, new[] { ("/0/Cfg.cs", source) }, options);
            if (analyzer is PN0000ConfigurationAnalyzer)
            {
                Assert.NotEmpty(diagnostics);
                Assert.All(diagnostics, d => Assert.Equal("PN0000", d.Id));
            }
            else
            {
                // The valid part of the configuration still works: the basic case is still found.
                Assert.All(diagnostics, d => Assert.Equal(analyzer.SupportedDiagnostics[0].Id, d.Id));
            }
        }
    }

    [Fact]
    public async Task Nothing_is_resolved_without_PeerNet_attributes_or_configuration()
    {
        var compilation = await DirectRunner.CompileAsync(new[] { ("/0/A.cs", "class NetworkClient { void SendTo(int protocol) { } }") }, withPeerNet: false);
        Assert.Null(WellKnownSymbols.TryCreate(compilation, new DirectRunner.DictionaryOptionsProvider(new Dictionary<string, string>())));
    }

    [Fact]
    public async Task A_user_declared_attribute_or_configuration_or_PeerNet_in_reach_enables_the_analysis()
    {
        var empty = new DirectRunner.DictionaryOptionsProvider(new Dictionary<string, string>());
        var withAttribute = await DirectRunner.CompileAsync(new[] { ("/0/A.cs", "class RequiresCurrentProtocolAttribute : System.Attribute { }") }, withPeerNet: false);
        Assert.NotNull(WellKnownSymbols.TryCreate(withAttribute, empty));

        var plain = await DirectRunner.CompileAsync(new[] { ("/0/A.cs", "namespace N { class K { public int Get() => 1; } }") }, withPeerNet: false);
        var configured = new DirectRunner.DictionaryOptionsProvider(new Dictionary<string, string> { ["peernet.sources"] = "M:N.K.Get" });
        Assert.NotNull(WellKnownSymbols.TryCreate(plain, configured));

        var withPeerNet = await DirectRunner.CompileAsync(new[] { ("/0/A.cs", "using PeerNet;\nclass K { }") });
        Assert.NotNull(WellKnownSymbols.TryCreate(withPeerNet, empty));

        // Referenced (as after installing the package) but out of the code's reach: nothing to analyze (AnnotationReachTests).
        var referencedOnly = await DirectRunner.CompileAsync(new[] { ("/0/A.cs", "class K { }") });
        Assert.Null(WellKnownSymbols.TryCreate(referencedOnly, empty));
    }
}
