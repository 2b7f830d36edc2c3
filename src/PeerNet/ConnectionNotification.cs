using PeerNet.Annotations;

namespace PeerNet
{
    /// <summary>The kind of a <see cref="ConnectionNotification"/>.</summary>
    public enum ConnectionNotificationKind
    {
        /// <summary>A connection became the peer's current one.</summary>
        NewPeer,
        /// <summary>A connection stopped being the peer's current one (closed or replaced).</summary>
        LostPeer,
    }

    /// <summary>A change of a peer's current connection, delivered to subscribers in publication order.</summary>
    /// <param name="Kind">Whether the connection became or stopped being current.</param>
    /// <param name="Peer">The peer.</param>
    /// <param name="Metadata">The connection's metadata; like a snapshot read, it may be stale by the time it is read.</param>
    /// <param name="Version">The snapshot version that published the change.</param>
    public sealed record ConnectionNotification(
        ConnectionNotificationKind Kind,
        PeerNetworkId Peer,
        [property: CachedSnapshotRead] ConnectionMetadata Metadata,
        SnapshotVersion Version);
}
