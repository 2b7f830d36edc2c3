namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>
/// Issue 13: the protocol comes from a call to a summarized method of another class (an interface or virtual
/// call, a helper taking the client). The diagnostic's read location is then that call, which names neither the
/// client nor the peer; the fix must still find both: the peer from the send's own `P.PeerId` (its network is
/// P's unless the sender says otherwise) and the client from the sender (also behind a property of this class)
/// or from what is in reach.
/// </summary>
public class PN0001SummarizedCallFixTests
{
    private const string Strategies = """
        using System.Collections.Generic;
        using PeerNet;

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

        static class Routing
        {
            public static ProtocolId Pick(NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs) => client.GetPreferredProtocolForPeer(peer, prefs);
        }

        """;

    internal static readonly FixCaseTable Cases = new()
    {
        // PN0001InterfaceDispatchTests: the sender is a property of this class over `client`.
        ["InterfaceCall_Inline_SenderProperty"] = FixCase.Fix(
            Strategies + """
            class C
            {
                NetworkClient client = null!;
                PeerNetworkId peer;
                Message msg = null!;
                IRoutingStrategy strategy = null!;
                INetworkSender Sender => client.GetSenderForNetwork(peer.NetworkId);

                void M()
                {
                    {|PN0001:Sender.SendTo(peer.PeerId, strategy.Choose(peer), msg)|};
                }
            }
            """,
            Strategies + """
            class C
            {
                NetworkClient client = null!;
                PeerNetworkId peer;
                Message msg = null!;
                IRoutingStrategy strategy = null!;
                INetworkSender Sender => client.GetSenderForNetwork(peer.NetworkId);

                void M()
                {
                    if (!client.TrySendWithCurrentProtocol(peer, msg, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        // A sender of unknown network and a local from the summarized call: the peer is P of `P.PeerId`.
        ["InterfaceCall_Local_SenderParameter"] = FixCase.Fix(
            Strategies + """
            class C
            {
                void M(NetworkClient client, INetworkSender sender, IRoutingStrategy strategy, PeerNetworkId target, Message msg)
                {
                    // chosen by the strategy
                    var protocol = strategy.Choose(target);
                    {|PN0001:sender.SendTo(target.PeerId, protocol, msg)|};
                }
            }
            """,
            Strategies + """
            class C
            {
                void M(NetworkClient client, INetworkSender sender, IRoutingStrategy strategy, PeerNetworkId target, Message msg)
                {
                    // chosen by the strategy
                    var protocol = strategy.Choose(target);
                    if (!client.TrySendWithCurrentProtocol(target, msg, out var failure))
                    {
                        throw new PeerNetException(failure, target);
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        // A static helper of another class given the client: the client is the sender's.
        ["StaticHelper_Inline_SenderFromClient"] = FixCase.Fix(
            Strategies + """
            class C
            {
                void M(NetworkClient client, NetworkClient other, PeerNetworkId target, IReadOnlyList<ProtocolId> prefs, Message msg)
                {
                    {|PN0001:client.GetSenderForNetwork(target.NetworkId).SendTo(target.PeerId, Routing.Pick(other, target, prefs), msg)|};
                }
            }
            """,
            Strategies + """
            class C
            {
                void M(NetworkClient client, NetworkClient other, PeerNetworkId target, IReadOnlyList<ProtocolId> prefs, Message msg)
                {
                    if (!client.TrySendWithCurrentProtocol(target, msg, out var failure))
                    {
                        throw new PeerNetException(failure, target);
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocolClientPreferences),

        // The callee's list is its parameter: the caller's argument is the sender's list.
        ["StaticHelper_Inline_CalleesListKept"] = FixCase.Fix(
            Strategies + """
            class C
            {
                void M(NetworkClient client, NetworkClient other, PeerNetworkId target, IReadOnlyList<ProtocolId> prefs, Message msg)
                {
                    {|PN0001:client.GetSenderForNetwork(target.NetworkId).SendTo(target.PeerId, Routing.Pick(other, target, prefs), msg)|};
                }
            }
            """,
            Strategies + """
            class C
            {
                void M(NetworkClient client, NetworkClient other, PeerNetworkId target, IReadOnlyList<ProtocolId> prefs, Message msg)
                {
                    if (!client.TrySendWithCurrentProtocol(target, prefs, msg, out var failure))
                    {
                        throw new PeerNetException(failure, target);
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        // An interface call's list cannot be carried: no action with the client's-preferences key, the one fix (the
        // client's preferences, InterfaceCall_Inline_SenderProperty) has the rule's first key (for dotnet format).
        ["InterfaceCall_NoSeparateClientPreferencesAction"] = FixCase.NoFix(
            Strategies + """
            class C
            {
                void M(NetworkClient client, INetworkSender sender, IRoutingStrategy strategy, PeerNetworkId target, Message msg)
                {
                    {|PN0001:sender.SendTo(target.PeerId, strategy.Choose(target), msg)|};
                }
            }
            """,
            EquivalenceKeys.StaleProtocolClientPreferences),

        // The sender's traced network is another than P's: the peer is built from it, not taken from P.
        ["SenderOfAnotherNetwork_PeerBuiltFromTheSendersNetwork"] = FixCase.Fix(
            Strategies + """
            class C
            {
                void M(NetworkClient client, NetworkId network, IRoutingStrategy strategy, PeerNetworkId target, Message msg)
                {
                    {|PN0001:client.GetSenderForNetwork(network).SendTo(target.PeerId, strategy.Choose(target), msg)|};
                }
            }
            """,
            Strategies + """
            class C
            {
                void M(NetworkClient client, NetworkId network, IRoutingStrategy strategy, PeerNetworkId target, Message msg)
                {
                    var peer = new PeerNetworkId(network, target.PeerId);
                    if (!client.TrySendWithCurrentProtocol(peer, msg, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        // Two clients in reach: the sender property ties the send to `primary`, so one action, through it.
        ["SenderProperty_TiesTheSendToItsClient"] = FixCase.Fix(
            Strategies + """
            class C
            {
                NetworkClient primary = null!;
                NetworkClient backup = null!;
                PeerNetworkId peer;
                INetworkSender Sender
                {
                    get { return primary.GetSenderForNetwork(peer.NetworkId); }
                }

                void M(IRoutingStrategy strategy, Message msg)
                {
                    {|PN0001:Sender.SendTo(peer.PeerId, strategy.Choose(peer), msg)|};
                }
            }
            """,
            Strategies + """
            class C
            {
                NetworkClient primary = null!;
                NetworkClient backup = null!;
                PeerNetworkId peer;
                INetworkSender Sender
                {
                    get { return primary.GetSenderForNetwork(peer.NetworkId); }
                }

                void M(IRoutingStrategy strategy, Message msg)
                {
                    if (!primary.TrySendWithCurrentProtocol(peer, msg, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        // A parameter hides the field the property's network is read from, so the property's client and network
        // cannot be used at the send and it is not traced: as for any sender of unknown network, the peer is P of
        // `P.PeerId` (the analyzer's contract: no PeerNetworkUnknown here), and the two clients give one action each.
        // Pinned so that a change of this assumption is seen; the exact rewrite would be
        // `new PeerNetworkId(this.peer.NetworkId, peer.PeerId)` through `primary`.
        ["SenderProperty_NamesHiddenAtTheSend_NotTraced"] = FixCase.Fix(
            Strategies + """
            class C
            {
                NetworkClient primary = null!;
                NetworkClient backup = null!;
                PeerNetworkId peer;
                INetworkSender Sender => primary.GetSenderForNetwork(peer.NetworkId);

                void M(IRoutingStrategy strategy, PeerNetworkId peer, Message msg)
                {
                    {|PN0001:Sender.SendTo(peer.PeerId, strategy.Choose(peer), msg)|};
                }
            }
            """,
            Strategies + """
            class C
            {
                NetworkClient primary = null!;
                NetworkClient backup = null!;
                PeerNetworkId peer;
                INetworkSender Sender => primary.GetSenderForNetwork(peer.NetworkId);

                void M(IRoutingStrategy strategy, PeerNetworkId peer, Message msg)
                {
                    if (!backup.TrySendWithCurrentProtocol(peer, msg, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol + ".Via.backup"),
    };

    public static TheoryData<string> Names => Cases.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public Task Fix(string name) => Cases[name].ValidateAsync();
}
