using PeerNet;

namespace LegacySender
{
    /// <summary>A version check in front of a send: it narrows the race, it does not close it.</summary>
    public sealed class GuardedSend
    {
        private readonly NetworkClient _client;

        public GuardedSend(NetworkClient client) => _client = client;

        public void SendTransactions(PeerNetworkId peer, Message batch)
        {
            PeersAndMetadataSnapshot snapshot = _client.PeersAndMetadata.GetSnapshot();
            PeerMetadata metadata = snapshot.GetMetadataForPeer(peer);
            if (!metadata.SupportedProtocols.Contains(ProtocolId.MempoolDirectSend))
            {
                return;
            }

            // Check-then-act: a reconnect can be published right after IsCurrent returns true.
            if (_client.PeersAndMetadata.IsCurrent(snapshot.Version))
            {
                _client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, ProtocolId.MempoolDirectSend, batch);
            }
        }
    }
}
