using System;
using System.Collections.Generic;
using PeerNet.Annotations;

namespace PeerNet
{
    /// <summary>
    /// An immutable snapshot of every network's connected peers and their metadata, as published at
    /// <see cref="Version"/>. It never changes; it may be stale as soon as it is read.
    /// </summary>
    public sealed class PeersAndMetadataSnapshot
    {
        // SKELETON: the library owner replaces the internals; the public surface stays.
        internal PeersAndMetadataSnapshot()
        {
        }

        /// <summary>The version this snapshot was published at.</summary>
        public SnapshotVersion Version => throw new NotImplementedException();

        /// <summary>The networks this snapshot covers.</summary>
        public IReadOnlyCollection<NetworkId> Networks => throw new NotImplementedException();

        /// <summary>The metadata of <paramref name="peer"/> as of this snapshot.</summary>
        [CachedSnapshotRead]
        public bool TryGetMetadataForPeer(PeerNetworkId peer, out PeerMetadata metadata) => throw new NotImplementedException();

        /// <summary>The metadata of <paramref name="peer"/> as of this snapshot.</summary>
        /// <exception cref="PeerNetException">The network is not configured or the peer is absent.</exception>
        [CachedSnapshotRead]
        public PeerMetadata GetMetadataForPeer(PeerNetworkId peer) => throw new NotImplementedException();

        /// <summary>The connected peers of <paramref name="network"/> as of this snapshot.</summary>
        /// <exception cref="PeerNetException">The network is not configured.</exception>
        [CachedSnapshotRead]
        public IEnumerable<KeyValuePair<PeerNetworkId, PeerMetadata>> GetConnectedPeers(NetworkId network) => throw new NotImplementedException();
    }
}
