using System.Collections.Generic;
using PeerNet;

namespace LegacySender
{
    /// <summary>Direct sends the way they were written before TrySendWithCurrentProtocol.</summary>
    public sealed class DirectSends
    {
        private static readonly IReadOnlyList<ProtocolId> Preferences = new[]
        {
            ProtocolId.ConsensusDirectSendCompressed,
            ProtocolId.ConsensusDirectSendBcs,
            ProtocolId.ConsensusDirectSendJson,
        };

        private readonly NetworkClient _client;

        public DirectSends(NetworkClient client) => _client = client;

        // Picks the protocol from the cached snapshot, then sends: the peer may have reconnected with
        // another protocol set in between, and the message is silently dropped.
        public void SendVote(PeerNetworkId peer, Message vote)
        {
            ProtocolId protocol = _client.GetPreferredProtocolForPeer(peer, Preferences);
            _client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, vote);
        }

        // The same race, spelled out by hand: the first preferred protocol the cached set contains.
        public void SendProposal(PeerNetworkId peer, Message proposal)
        {
            ProtocolIdSet supported = _client.GetSupportedProtocols(peer);
            foreach (ProtocolId candidate in Preferences)
            {
                if (supported.Contains(candidate))
                {
                    _client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, candidate, proposal);
                    return;
                }
            }
        }
    }
}
