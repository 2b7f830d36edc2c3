using Microsoft.CodeAnalysis;
using Verify = PeerNet.Analyzers.Tests.AnalyzerVerifier<PeerNet.Analyzers.PN0001PN0002SnapshotRaceAnalyzer>;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// Every kind of body the analyzer finds by syntax (it does not let the driver bind every body): each is
/// analyzed exactly once (a duplicate would fail the exact-match verifier), and a lambda or local function
/// is analyzed as part of the body around it.
/// </summary>
public class PN0001PN0002BodyKindsTests
{
    [Fact]
    public async Task Top_level_statements_are_a_body()
    {
        await Verify.VerifyAsync("""
            NetworkClient client = null!;
            PeerNetworkId peer = default;
            var protocol = {|#1:client.GetPreferredProtocolForPeer(peer, new[] { ProtocolId.ConsensusRpcBcs })|};
            {|#0:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, new Message(new byte[1]))|};
            """,
            test => test.TestState.OutputKind = OutputKind.ConsoleApplication,
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Expression_bodied_property_indexer_accessor_operator_and_constructor_are_bodies()
    {
        await Verify.VerifyAsync("""
            class C
            {
                private readonly NetworkClient _client = null!;
                private readonly PeerNetworkId _peer;
                private static readonly IReadOnlyList<ProtocolId> Prefs = new[] { ProtocolId.ConsensusRpcBcs };

                Task<Message> Property => {|#0:_client.GetSenderForNetwork(_peer.NetworkId).SendRpcAsync(_peer.PeerId, {|#1:_client.GetPreferredProtocolForPeer(_peer, Prefs)|}, new Message(new byte[1]), TimeSpan.FromSeconds(1))|};

                Task<Message> this[int i] => {|#2:_client.GetSenderForNetwork(_peer.NetworkId).SendRpcAsync(_peer.PeerId, {|#3:_client.GetPreferredProtocolForPeer(_peer, Prefs)|}, new Message(new byte[i]), TimeSpan.FromSeconds(1))|};

                int Setter
                {
                    set { {|#4:_client.GetSenderForNetwork(_peer.NetworkId).SendTo(_peer.PeerId, {|#5:_client.GetPreferredProtocolForPeer(_peer, Prefs)|}, new Message(new byte[value]))|}; }
                }

                C(NetworkClient client, PeerNetworkId peer)
                {
                    _client = client;
                    _peer = peer;
                    var protocol = {|#7:client.GetPreferredProtocolForPeer(peer, Prefs)|};
                    {|#6:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, new Message(new byte[1]))|};
                }

                public static C operator +(C c, int n)
                {
                    var protocol = {|#9:c._client.GetPreferredProtocolForPeer(c._peer, Prefs)|};
                    {|#8:c._client.GetSenderForNetwork(c._peer.NetworkId).SendTo(c._peer.PeerId, protocol, new Message(new byte[n]))|};
                    return c;
                }
            }
            """,
            Verify.Diagnostic("PN0001", 0, 1),
            Verify.Diagnostic("PN0001", 2, 3),
            Verify.Diagnostic("PN0001", 4, 5),
            Verify.Diagnostic("PN0001", 6, 7),
            Verify.Diagnostic("PN0001", 8, 9));
    }

    [Fact]
    public async Task Field_and_property_initializers_are_bodies()
    {
        await Verify.VerifyAsync("""
            class C
            {
                private static readonly NetworkClient Client = null!;
                private static readonly PeerNetworkId Peer;
                private static readonly IReadOnlyList<ProtocolId> Prefs = new[] { ProtocolId.ConsensusRpcBcs };

                private readonly Task<Message> _field = {|#0:Client.GetSenderForNetwork(Peer.NetworkId).SendRpcAsync(Peer.PeerId, {|#1:Client.GetPreferredProtocolForPeer(Peer, Prefs)|}, new Message(new byte[1]), TimeSpan.FromSeconds(1))|};

                public Task<Message> Auto { get; } = {|#2:Client.GetSenderForNetwork(Peer.NetworkId).SendRpcAsync(Peer.PeerId, {|#3:Client.GetPreferredProtocolForPeer(Peer, Prefs)|}, new Message(new byte[1]), TimeSpan.FromSeconds(1))|};
            }
            """,
            Verify.Diagnostic("PN0001", 0, 1),
            Verify.Diagnostic("PN0001", 2, 3));
    }

    [Fact]
    public async Task Lambdas_and_local_functions_are_analyzed_once_with_the_body_around_them()
    {
        await Verify.VerifyAsync("""
            class C
            {
                Action M(NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs, Message msg)
                {
                    var protocol = {|#1:client.GetPreferredProtocolForPeer(peer, prefs)|};
                    Local();
                    return () => {|#2:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, msg)|};

                    void Local() => {|#0:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, msg)|};
                }
            }
            """,
            Verify.Diagnostic("PN0001", 0, 1),
            Verify.Diagnostic("PN0001", 2, 1));
    }

    [Fact]
    public async Task Abstract_extern_and_partial_declarations_without_bodies_are_skipped()
    {
        await Verify.VerifyAsync("""
            abstract partial class C
            {
                [CachedSnapshotRead]
                protected abstract ProtocolId Pick(PeerNetworkId peer);

                partial void Later(ProtocolId protocol);

                [System.Runtime.InteropServices.DllImport("x")]
                private static extern void Native(int protocol);

                int Auto { get; set; }
            }
            """);
    }

    [Fact]
    public async Task PN0002_in_a_setter()
    {
        await Verify.VerifyAsync("""
            class C
            {
                private readonly PeersAndMetadata _store = null!;
                private readonly INetworkSender _sender = null!;
                private readonly PeerNetworkId _peer;

                int Setter
                {
                    set
                    {
                        var snapshot = {|#1:_store.GetSnapshot()|};
                        var protocol = snapshot.GetMetadataForPeer(_peer).SupportedProtocols.First();
                        if ({|#2:_store.IsCurrent(snapshot.Version)|})
                        {
                            {|#0:_sender.SendTo(_peer.PeerId, protocol, new Message(new byte[value]))|};
                        }
                    }
                }
            }
            """,
            Verify.Diagnostic("PN0002", 0, 1, 2));
    }
}
