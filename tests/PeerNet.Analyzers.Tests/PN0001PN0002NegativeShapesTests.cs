using Verify = PeerNet.Analyzers.Tests.AnalyzerVerifier<PeerNet.Analyzers.PN0001PN0002SnapshotRaceAnalyzer>;

namespace PeerNet.Analyzers.Tests;

/// <summary>PN0001/PN0002: more shapes that must stay silent: snapshot data that does not choose the protocol, atomic sends.</summary>
public class PN0001PN0002NegativeShapesTests
{
    private const string Fields = """
            NetworkClient client = null!;
            PeersAndMetadata store = null!;
            PeerNetworkId peer;
            IReadOnlyList<ProtocolId> prefs = null!;
            Message msg = null!;
            INetworkSender Sender => client.GetSenderForNetwork(peer.NetworkId);
        """;

    private static string Class(string members) => "class C\n{\n" + Fields + "\n" + members + "\n}\n";

    [Fact]
    public async Task Set_built_locally_is_not_a_source()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var local = ProtocolIdSet.Of(ProtocolId.MempoolRpc, ProtocolId.MempoolDirectSend);
                    var protocol = local.Contains(ProtocolId.MempoolRpc) ? ProtocolId.MempoolRpc : ProtocolId.MempoolDirectSend;
                    Sender.SendTo(peer.PeerId, protocol, msg);
                }
            """));
    }

    [Fact]
    public async Task Snapshot_version_only_logged_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var version = store.GetSnapshot().Version;
                    Console.WriteLine(version);
                    Sender.SendTo(peer.PeerId, ProtocolId.DKGRpcBcs, msg);
                }
            """));
    }

    [Fact]
    public async Task Snapshot_derived_peer_with_preference_protocol_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                PeerId Remote() => store.GetMetadataForPeer(peer).ConnectionMetadata.RemotePeerId;

                void M() => Sender.SendTo(Remote(), prefs[0], msg);
            """));
    }

    [Fact]
    public async Task Atomic_send_with_snapshot_derived_preferences_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                bool M()
                {
                    var supported = client.GetSupportedProtocols(peer);
                    var ordered = prefs.Where(p => supported.Contains(p)).ToList();
                    return client.TrySendWithCurrentProtocol(peer, ordered, msg, out _);
                }
            """));
    }

    [Fact]
    public async Task Reset_in_every_switch_arm_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M(int mode)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, prefs);
                    switch (mode)
                    {
                        case 0: protocol = ProtocolId.ConsensusRpcBcs; break;
                        case 1: protocol = ProtocolId.ConsensusRpcJson; break;
                        default: protocol = ProtocolId.ConsensusRpcCompressed; break;
                    }

                    Sender.SendTo(peer.PeerId, protocol, msg);
                }
            """));
    }

    [Fact]
    public async Task Wrapper_overwriting_its_parameter_before_sending_is_not_a_sink()
    {
        await Verify.VerifyAsync(Class("""
                void Forward(ProtocolId protocol)
                {
                    protocol = ProtocolId.MempoolDirectSend;
                    Sender.SendTo(peer.PeerId, protocol, msg);
                }

                void M() => Forward(client.GetPreferredProtocolForPeer(peer, prefs));
            """));
    }

    [Fact]
    public async Task Version_check_then_parameter_protocol_is_not_PN0002()
    {
        await Verify.VerifyAsync(Class("""
                void M(ProtocolId requested)
                {
                    var snapshot = store.GetSnapshot();
                    if (store.IsCurrent(snapshot.Version)) Sender.SendTo(peer.PeerId, requested, msg);
                }
            """));
    }
}
