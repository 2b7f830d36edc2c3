using Verify = PeerNet.Analyzers.Tests.AnalyzerVerifier<PeerNet.Analyzers.PN0001PN0002SnapshotRaceAnalyzer>;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// PN0001 through interface and virtual calls whose implementations are in source: the call returns or
/// sinks what any implementation does (a routing strategy with several implementations).
/// </summary>
public class PN0001InterfaceDispatchTests
{
    private const string Fields = """
            NetworkClient client = null!;
            PeersAndMetadata store = null!;
            PeerNetworkId peer;
            IReadOnlyList<ProtocolId> prefs = null!;
            Message msg = null!;
            INetworkSender Sender => client.GetSenderForNetwork(peer.NetworkId);
        """;

    private const string Strategies = """
        interface IRoutingStrategy
        {
            ProtocolId Choose(PeerNetworkId peer);
        }

        sealed class CachedRouting : IRoutingStrategy
        {
            private readonly NetworkClient _client;
            private readonly IReadOnlyList<ProtocolId> _prefs;
            public CachedRouting(NetworkClient client, IReadOnlyList<ProtocolId> prefs) { _client = client; _prefs = prefs; }
            public ProtocolId Choose(PeerNetworkId peer) => _client.GetPreferredProtocolForPeer(peer, _prefs);
        }

        sealed class FixedRouting : IRoutingStrategy
        {
            public ProtocolId Choose(PeerNetworkId peer) => ProtocolId.ConsensusRpcBcs;
        }

        interface IPicker
        {
            ProtocolId Pick(ProtocolIdSet set);
        }

        sealed class FirstPicker : IPicker
        {
            public ProtocolId Pick(ProtocolIdSet set) => ProtocolId.ConsensusRpcBcs;
        }

        sealed class OtherPicker : IPicker
        {
            ProtocolId IPicker.Pick(ProtocolIdSet set) => ProtocolId.MempoolRpc;
        }

        """;

    private static string Class(string members) => Strategies + "class C\n{\n" + Fields + "\n" + members + "\n}\n";

    [Fact]
    public async Task Interface_call_returns_what_any_implementation_reads_from_a_snapshot()
    {
        await Verify.VerifyAsync(Class("""
                IRoutingStrategy strategy = null!;

                void M()
                {
                    {|#0:Sender.SendTo(peer.PeerId, {|#1:strategy.Choose(peer)|}, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Interface_call_whose_implementations_all_return_constants_is_clean_even_with_a_stale_argument()
    {
        await Verify.VerifyAsync(Class("""
                IPicker picker = null!;

                void M()
                {
                    var set = client.GetSupportedProtocols(peer);
                    Sender.SendTo(peer.PeerId, picker.Pick(set), msg);
                }
            """));
    }

    [Fact]
    public async Task Interface_call_sinks_what_an_implementation_sends()
    {
        await Verify.VerifyAsync("""
            interface IRouter
            {
                void Route(ProtocolId protocol);
            }

            sealed class SendingRouter : IRouter
            {
                public INetworkSender Sender = null!;
                public PeerId Peer;
                public void Route(ProtocolId protocol) => Sender.SendTo(Peer, protocol, new Message(new byte[] { 1 }));
            }

            sealed class LoggingRouter : IRouter
            {
                public void Route(ProtocolId protocol) => Console.WriteLine(protocol);
            }

            class C
            {
                NetworkClient client = null!;
                PeerNetworkId peer;
                IReadOnlyList<ProtocolId> prefs = null!;
                IRouter router = null!;

                void M()
                {
                    {|#0:router.Route({|#1:client.GetPreferredProtocolForPeer(peer, prefs)|})|};
                    router.Route(ProtocolId.ConsensusRpcBcs);
                }
            }
            """,
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Virtual_call_returns_what_an_override_reads_and_a_clean_hierarchy_is_clean()
    {
        await Verify.VerifyAsync("""
            abstract class Strategy
            {
                public abstract ProtocolId Choose();
                public virtual ProtocolId Fallback() => ProtocolId.MempoolRpc;
            }

            sealed class Snapshotting : Strategy
            {
                public NetworkClient Client = null!;
                public PeerNetworkId Peer;
                public IReadOnlyList<ProtocolId> Prefs = null!;
                public override ProtocolId Choose() => Client.GetPreferredProtocolForPeer(Peer, Prefs);
            }

            sealed class Constant : Strategy
            {
                public override ProtocolId Choose() => ProtocolId.ConsensusRpcBcs;
                public override ProtocolId Fallback() => ProtocolId.ConsensusRpcBcs;
            }

            class C
            {
                NetworkClient client = null!;
                PeerNetworkId peer;
                Message msg = null!;
                Strategy strategy = null!;
                INetworkSender Sender => client.GetSenderForNetwork(peer.NetworkId);

                void M()
                {
                    {|#0:Sender.SendTo(peer.PeerId, {|#1:strategy.Choose()|}, msg)|};
                    Sender.SendTo(peer.PeerId, strategy.Fallback(), msg);
                }
            }
            """,
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Implementations_whose_interface_is_named_on_another_part_or_by_a_base_class_are_followed()
    {
        // The part of Partial declaring its members has no base list (the interface is named on its other part),
        // and Derived names only its base class; a type without any base list is not an implementation.
        await Verify.VerifyAsync(AnalyzerVerifier<PN0001PN0002SnapshotRaceAnalyzer>.Usings + """
            interface IRoute
            {
                ProtocolId Pick(PeerNetworkId peer);
            }

            partial class Partial
            {
                public NetworkClient Client = null!;
                public IReadOnlyList<ProtocolId> Prefs = null!;
                public ProtocolId Pick(PeerNetworkId peer) => Client.GetPreferredProtocolForPeer(peer, Prefs);
            }

            partial class Partial : IRoute
            {
            }

            abstract class Base : IRoute
            {
                public abstract ProtocolId Pick(PeerNetworkId peer);
            }

            sealed class Derived : Base
            {
                public NetworkClient Client = null!;
                public override ProtocolId Pick(PeerNetworkId peer) => Client.GetSupportedProtocols(peer).First();
            }

            class NotARoute
            {
                public ProtocolId Pick(PeerNetworkId peer) => ProtocolId.ConsensusRpcBcs;
            }

            class C
            {
                NetworkClient client = null!;
                PeerNetworkId peer;
                Message msg = null!;
                IRoute route = null!;
                Base based = null!;
                NotARoute plain = null!;
                INetworkSender Sender => client.GetSenderForNetwork(peer.NetworkId);

                void M()
                {
                    {|#0:Sender.SendTo(peer.PeerId, {|#1:route.Pick(peer)|}, msg)|};
                    {|#2:Sender.SendTo(peer.PeerId, {|#3:based.Pick(peer)|}, msg)|};
                    Sender.SendTo(peer.PeerId, plain.Pick(peer), msg);
                }
            }
            """,
            Verify.Diagnostic("PN0001", 0, 1),
            Verify.Diagnostic("PN0001", 2, 3));
    }
}
