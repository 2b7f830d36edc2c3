namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>
/// PN0001 fix offered nowhere it cannot be sure: the diagnostic is reported and the code stays as it is.
/// Every case runs against the shipped analyzers.
/// </summary>
public class PN0001NoFixTests
{
    internal static readonly FixCaseTable Cases = new()
    {
        ["NoClientInReach_NoFix"] = FixCase.NoFix(
            """
            using PeerNet;

            class C
            {
                void Send(PeersAndMetadata store, INetworkSender sender, PeerNetworkId peer, Message message)
                {
                    var supported = store.GetMetadataForPeer(peer).SupportedProtocols;
                    foreach (var p in supported)
                    {
                        {|PN0001:sender.SendTo(peer.PeerId, p, message)|};
                        return;
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["TwoClientsInReach_NoneNamedByTheCode_NoFix"] = FixCase.NoFix(
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient a, NetworkClient b, PeersAndMetadata store, INetworkSender sender, PeerNetworkId peer, Message message)
                {
                    var supported = store.GetMetadataForPeer(peer).SupportedProtocols;
                    {|PN0001:sender.SendTo(peer.PeerId, supported.Contains(ProtocolId.MempoolDirectSend) ? ProtocolId.MempoolDirectSend : ProtocolId.MempoolRpc, message)|};
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["UserTypeNamedNetworkClient_NoFix"] = FixCase.NoFix(
            """
            using System.Collections.Generic;

            namespace Mine
            {
                public sealed class NetworkClient
                {
                    [PeerNet.Annotations.CachedSnapshotRead]
                    public PeerNet.ProtocolId GetPreferredProtocolForPeer(PeerNet.PeerNetworkId peer, IReadOnlyList<PeerNet.ProtocolId> preferences) => preferences[0];

                    public PeerNet.INetworkSender GetSenderForNetwork(PeerNet.NetworkId network) => null!;
                }

                class C
                {
                    void Send(NetworkClient client, PeerNet.PeerNetworkId peer, PeerNet.Message message, IReadOnlyList<PeerNet.ProtocolId> preferences)
                    {
                        var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                        {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["PeerOfReadDiffersFromTarget_NetworkUnknown_NoFix"] = FixCase.NoFix(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, INetworkSender sender, PeerNetworkId peer, PeerId other, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                    {|PN0001:sender.SendTo(other, protocol, message)|};
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["UserSinkMethod_NotPeerNetSend_NoFix"] = FixCase.NoFix(
            """
            using System.Collections.Generic;
            using PeerNet;
            using PeerNet.Annotations;

            class MySender
            {
                public void Send(PeerId peer, [RequiresCurrentProtocol] ProtocolId protocol, Message message) { }
            }

            class C
            {
                void Send(NetworkClient client, MySender mine, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                    {|PN0001:mine.Send(peer.PeerId, protocol, message)|};
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["SenderOfOneClient_ProtocolOfAnother_NoFix"] = FixCase.NoFix(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient a, NetworkClient b, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var protocol = a.GetPreferredProtocolForPeer(peer, preferences);
                    {|PN0001:b.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["SelectionNotUnderstood_NoFix"] = FixCase.NoFix(
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message, bool compressed)
                {
                    var supported = client.GetSupportedProtocols(peer);
                    var protocol = compressed && supported.Count > 1 ? ProtocolId.ConsensusDirectSendCompressed : ProtocolId.ConsensusDirectSendBcs;
                    {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["PreferencesFromACall_NotCarriedToTheSend_NoFix"] = FixCase.NoFix(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                IReadOnlyList<ProtocolId> Prefs() => new[] { ProtocolId.MempoolDirectSend };

                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, Prefs());
                    System.Console.WriteLine(protocol);
                    {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["ConditionalAccessSend_NoFix"] = FixCase.NoFix(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, INetworkSender? sender, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                    sender?{|PN0001:.SendTo(peer.PeerId, protocol, message)|};
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),
    };

    public static TheoryData<string> Names => Cases.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public Task Fix(string name) => Cases[name].ValidateAsync();
}
