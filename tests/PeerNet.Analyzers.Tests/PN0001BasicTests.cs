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
