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
    };

    public static TheoryData<string> Names => Cases.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public Task Fix(string name) => Cases[name].ValidateAsync();
}
