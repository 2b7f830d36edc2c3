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
    public sealed record ConnectionNotification(
        ConnectionNotificationKind Kind,
        PeerNetworkId Peer,
        ConnectionMetadata Metadata,
        SnapshotVersion Version);
}
