using Microsoft.CodeAnalysis;
using Verify = PeerNet.Analyzers.Tests.AnalyzerVerifier<PeerNet.Analyzers.PN0001PN0002SnapshotRaceAnalyzer>;

namespace PeerNet.Analyzers.Tests;

/// <summary>The basic PN0001 case and its direct negatives.</summary>
public class PN0001BasicTests
{
    [Fact]
    public async Task Local_from_GetPreferredProtocolForPeer_sent_with_SendTo_is_reported_with_read_as_additional_location()
    {
        await Verify.VerifyAsync("""
            class C
            {
                void M(NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs, Message msg)
                {
                    var protocol = {|#1:client.GetPreferredProtocolForPeer(peer, prefs)|};
                    {|#0:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, msg)|};
                }
            }
            """,
            Verify.Diagnostic("PN0001", 0, 1).WithArguments("protocol", "GetPreferredProtocolForPeer", "SendTo"));
    }

    [Theory]
    [InlineData("GetPreferredProtocolForPeer", 0)]
    [InlineData("GetPreferredProtocolForPeer", PeerNet.Analyzers.Flow.RelevantSymbols.DefaultBackwardBudget)]
    [InlineData("Get\\u0050referredProtocolForPeer", 0)]
    [InlineData("Get\\u0050referredProtocolForPeer", PeerNet.Analyzers.Flow.RelevantSymbols.DefaultBackwardBudget)]
    [InlineData("GetPreferred\u200CProtocolForPeer", 0)]
    [InlineData("GetPreferred\u200CProtocolForPeer", PeerNet.Analyzers.Flow.RelevantSymbols.DefaultBackwardBudget)]
    public async Task A_read_whose_name_is_written_with_an_escape_or_a_formatting_character_is_found_in_another_file(string read, int budget)
    {
        // The compiler reads Get\u0050referred... as GetPreferred..., and drops a zero-width non-joiner from an
        // identifier. The file holding the read mentions no other name of PeerNet's, so only the gate's word filter
        // can lead to it: it must read the words as the compiler does (with the forward cone, budget 0, and without).
        var cache = AnalyzerVerifier<PN0001PN0002SnapshotRaceAnalyzer>.Usings + $$"""
            class Cache
            {
                public ProtocolId Pick(NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs) => client.{{read}}(peer, prefs);
            }
            """;
        var sender = AnalyzerVerifier<PN0001PN0002SnapshotRaceAnalyzer>.Usings + """
            class Sender
            {
                void M(Cache cache, NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs, Message msg)
                {
                    var protocol = cache.Pick(client, peer, prefs);
                    client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, msg);
                }
            }
            """;
        var compilation = await DirectRunner.CompileAsync(new[] { ("/0/Cache.cs", cache), ("/0/Sender.cs", sender) });
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var diagnostics = await DirectRunner.RunAsync(new PN0001PN0002SnapshotRaceAnalyzer { BackwardBudget = budget }, compilation);
        var found = Assert.Single(diagnostics);
        Assert.Equal("PN0001", found.Id);
        Assert.Equal("/0/Sender.cs", found.Location.SourceTree?.FilePath);
        Assert.Contains("'Pick'", found.GetMessage(), StringComparison.Ordinal); // the helper that returns the read
    }

    [Fact]
    public async Task Rpc_send_is_reported()
    {
        await Verify.VerifyAsync("""
            class C
            {
                async Task M(NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs, Message msg)
                {
                    var protocol = {|#1:client.GetPreferredProtocolForPeer(peer, prefs)|};
                    await {|#0:client.GetSenderForNetwork(peer.NetworkId).SendRpcAsync(peer.PeerId, protocol, msg, TimeSpan.FromSeconds(1))|};
                }
            }
            """,
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Constant_protocol_is_not_reported()
    {
        await Verify.VerifyAsync("""
            class C
            {
                void M(NetworkClient client, PeerNetworkId peer, Message msg)
                {
                    client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, ProtocolId.ConsensusRpcBcs, msg);
                }
            }
            """);
    }

    [Fact]
    public async Task Atomic_send_is_not_reported()
    {
        await Verify.VerifyAsync("""
            class C
            {
                bool M(NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs, Message msg)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, prefs);
                    Console.WriteLine(protocol);
                    client.SendToPeer(msg, peer);
                    return client.TrySendWithCurrentProtocol(peer, prefs, msg, out _);
                }
            }
            """);
    }

    [Fact]
    public async Task Properties_of_the_basic_case_follow_the_contract()
    {
        var diagnostics = await Verify.GetDiagnosticsAsync("""
            class C
            {
                void M(NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs, Message msg)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, prefs);
                    client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, msg);
                }
            }
            """);
        var d = Assert.Single(diagnostics);
        Assert.Equal("PN0001", d.Id);
        Assert.Equal("Direct", d.Properties[DiagnosticProperties.SendKind]);
        Assert.Equal(new[] { DiagnosticProperties.SendKind }, d.Properties.Keys);
        Assert.Equal("client.GetPreferredProtocolForPeer(peer, prefs)", d.AdditionalLocations[0].SourceTree!.GetText().ToString(d.AdditionalLocations[0].SourceSpan));
        Assert.Equal(
            "Protocol 'protocol' was chosen from cached snapshot read 'GetPreferredProtocolForPeer' and is sent with 'SendTo' without binding the send to the connection; use TrySendWithCurrentProtocol",
            d.GetMessage());
        Assert.Equal("https://github.com/peernet/PeerNet.Analyzers/blob/main/docs/rules/PN0001.md", d.Descriptor.HelpLinkUri);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal("Reliability", d.Descriptor.Category);
    }
}
