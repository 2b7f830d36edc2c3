using System;
using PeerNet.Annotations;

namespace PeerNet
{
    /// <summary>
    /// The node's peer and metadata store: lock-free, allocation-free reads of an immutable, versioned
    /// snapshot; serialized writers that publish a new snapshot with the version increased by one.
    /// </summary>
    public sealed class PeersAndMetadata
    {
        // SKELETON: the library owner replaces the internals; the public surface stays.

        /// <summary>Creates a store for the networks this node is on.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="networks"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="networks"/> is empty or has duplicates.</exception>
        public PeersAndMetadata(params NetworkId[] networks) => throw new NotImplementedException();

        /// <summary>The version of the latest published snapshot.</summary>
        public SnapshotVersion CurrentVersion => throw new NotImplementedException();

        /// <summary>The cached immutable snapshot; may be stale as soon as it returns.</summary>
        [CachedSnapshotRead]
        public PeersAndMetadataSnapshot GetSnapshot() => throw new NotImplementedException();

        /// <summary>Reads through the cached snapshot.</summary>
        /// <exception cref="PeerNetException">The network is not configured or the peer is absent.</exception>
        [CachedSnapshotRead]
        public PeerMetadata GetMetadataForPeer(PeerNetworkId peer) => throw new NotImplementedException();

        /// <summary>Whether no update was published since <paramref name="version"/>.</summary>
        [SnapshotVersionCheck]
        public bool IsCurrent(SnapshotVersion version) => throw new NotImplementedException();

        /// <summary>Records a new or replacing connection for <paramref name="peer"/>.</summary>
        public void InsertConnectionMetadata(PeerNetworkId peer, ConnectionMetadata metadata) => throw new NotImplementedException();

        /// <summary>Removes <paramref name="peer"/> only if <paramref name="connectionId"/> is still its current connection.</summary>
        public bool RemovePeerMetadata(PeerNetworkId peer, ConnectionId connectionId) => throw new NotImplementedException();
    }
}
