using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Collections.ObjectModel;
using System.Threading;
using PeerNet.Annotations;

namespace PeerNet
{
    /// <summary>
    /// The node's peer and metadata store: lock-free, allocation-free reads of an immutable, versioned
    /// snapshot; serialized writers that publish a new snapshot with the version increased by one.
    /// </summary>
    /// <remarks>
    /// <para>Reads are one volatile read of the current
    /// <see cref="PeersAndMetadataSnapshot"/> plus a persistent-map lookup; they never take a lock and
    /// <see cref="GetMetadataForPeer"/> / <see cref="TryGetMetadataForPeer"/> do not allocate.</para>
    /// <para>Writers take one lock. An update rebuilds only the touched network's map, in O(log n) (the other
    /// networks' maps and the untouched parts of that map are shared), and publishes the new snapshot.</para>
    /// <para>A reconnect (<see cref="InsertConnectionMetadata"/> with a new <see cref="ConnectionId"/>) replaces
    /// the entry and starts clean: state <see cref="ConnectionState.Connected"/>. Subscribers
    /// (<see cref="Subscribe(int)"/>) get <see cref="ConnectionNotificationKind.LostPeer"/> for the old
    /// connection then <see cref="ConnectionNotificationKind.NewPeer"/> for the new one.</para>
    /// </remarks>
    public sealed class PeersAndMetadata
    {
        private readonly object _writeLock = new object();
        private PeersAndMetadataSnapshot _snapshot;
        // Monitoring data lives outside the snapshot, tagged with the connection it was measured on.
        private readonly ConcurrentDictionary<PeerNetworkId, KeyValuePair<ConnectionId, PeerMonitoringMetadata>> _monitoring =
            new ConcurrentDictionary<PeerNetworkId, KeyValuePair<ConnectionId, PeerMonitoringMetadata>>();

        private PeersAndMetadataSubscription[] _subscribers = Array.Empty<PeersAndMetadataSubscription>();

        /// <summary>Creates a store for the networks this node is on.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="networks"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="networks"/> is empty, has duplicates or an undefined value.</exception>
        public PeersAndMetadata(params NetworkId[] networks)
        {
            if (networks is null)
            {
                throw new ArgumentNullException(nameof(networks));
            }

            if (networks.Length == 0)
            {
                throw new ArgumentException("A peer store needs at least one network.", nameof(networks));
            }

            var maxIndex = 0;
            var seen = new HashSet<NetworkId>();
            foreach (var network in networks)
            {
                if (!Enum.IsDefined(typeof(NetworkId), network))
                {
                    throw new ArgumentException($"{(int)network} is not a defined NetworkId.", nameof(networks));
                }

                if (!seen.Add(network))
                {
                    throw new ArgumentException($"Network {network} is listed more than once.", nameof(networks));
                }

                maxIndex = Math.Max(maxIndex, (int)network);
            }

            var maps = new ImmutableDictionary<PeerId, PeerMetadata>?[maxIndex + 1];
            foreach (var network in networks)
            {
                maps[(int)network] = ImmutableDictionary<PeerId, PeerMetadata>.Empty;
            }

            _snapshot = new PeersAndMetadataSnapshot(
                default,
                new ReadOnlyCollection<NetworkId>((NetworkId[])networks.Clone()),
                maps);
        }

        /// <summary>The networks this store is configured for.</summary>
        public IReadOnlyCollection<NetworkId> Networks => Volatile.Read(ref _snapshot).Networks;

        /// <summary>The version of the latest published snapshot.</summary>
        public SnapshotVersion CurrentVersion => Volatile.Read(ref _snapshot).Version;

        /// <summary>How many subscriptions are registered (including overflowed ones not yet disposed).</summary>
        public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

        /// <summary>The cached immutable snapshot; may be stale as soon as it returns.</summary>
        [CachedSnapshotRead]
        public PeersAndMetadataSnapshot GetSnapshot() => Volatile.Read(ref _snapshot);

        /// <summary>Reads through the cached snapshot.</summary>
        /// <exception cref="PeerNetException">The network is not configured (<see cref="SendFailure.NetworkNotConfigured"/>)
        /// or the peer is absent (<see cref="SendFailure.PeerNotConnected"/>).</exception>
        [CachedSnapshotRead]
        public PeerMetadata GetMetadataForPeer(PeerNetworkId peer) => Volatile.Read(ref _snapshot).GetMetadataForPeer(peer);

        /// <summary>Reads through the cached snapshot; false when the network is not configured or the peer is absent.</summary>
        [CachedSnapshotRead]
        public bool TryGetMetadataForPeer(PeerNetworkId peer, out PeerMetadata metadata) =>
            Volatile.Read(ref _snapshot).TryGetMetadataForPeer(peer, out metadata);

        /// <summary>The connected peers of <paramref name="network"/>, from the cached snapshot.</summary>
        /// <exception cref="PeerNetException">The network is not configured.</exception>
        [CachedSnapshotRead]
        public IEnumerable<KeyValuePair<PeerNetworkId, PeerMetadata>> GetConnectedPeers(NetworkId network) =>
            Volatile.Read(ref _snapshot).GetConnectedPeers(network);

        /// <summary>Whether no update was published since <paramref name="version"/>.</summary>
        [SnapshotVersionCheck]
        public bool IsCurrent(SnapshotVersion version) => Volatile.Read(ref _snapshot).Version == version;

        /// <summary>
        /// Records a new or replacing connection for <paramref name="peer"/>. A new <see cref="ConnectionId"/>
        /// replaces the current entry and starts clean (state <see cref="ConnectionState.Connected"/>);
        /// subscribers get <see cref="ConnectionNotificationKind.LostPeer"/> (old) then
        /// <see cref="ConnectionNotificationKind.NewPeer"/> (new). Inserting exactly the current connection's
        /// metadata again changes nothing (no new version).
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="metadata"/> is null.</exception>
        /// <exception cref="ArgumentException">The metadata's <see cref="ConnectionMetadata.RemotePeerId"/> is not
        /// <paramref name="peer"/>'s id, or it reuses the current <see cref="ConnectionId"/> with different metadata
        /// (a connection's handshake is fixed; a reconnect needs a new id).</exception>
        /// <exception cref="PeerNetException">The network is not configured (<see cref="SendFailure.NetworkNotConfigured"/>).</exception>
        public void InsertConnectionMetadata(PeerNetworkId peer, ConnectionMetadata metadata)
        {
            if (metadata is null)
            {
                throw new ArgumentNullException(nameof(metadata));
            }

            if (metadata.RemotePeerId != peer.PeerId)
            {
                throw new ArgumentException(
                    $"The metadata is for peer {metadata.RemotePeerId} but is being inserted for peer {peer.PeerId}.",
                    nameof(metadata));
            }

            lock (_writeLock)
            {
                var current = _snapshot;
                var map = current.GetRequiredMap(peer.NetworkId, peer.PeerId);
                map.TryGetValue(peer.PeerId, out var old);
                if (old is not null && old.ConnectionMetadata.ConnectionId == metadata.ConnectionId)
                {
                    if (old.ConnectionMetadata.Equals(metadata))
                    {
                        return;
                    }

                    throw new ArgumentException(
                        $"Connection {metadata.ConnectionId} of peer {peer} is already recorded with different metadata; " +
                        "a connection's handshake is fixed, so a reconnect must use a new ConnectionId.",
                        nameof(metadata));
                }

                var version = new SnapshotVersion(current.Version.Value + 1);
                Publish(current.With(version, peer.NetworkId, map.SetItem(peer.PeerId, new PeerMetadata(metadata))));
                _monitoring.TryRemove(peer, out _); // a new connection starts with fresh monitoring
                if (old is not null)
                {
                    Notify(new ConnectionNotification(ConnectionNotificationKind.LostPeer, peer, old.ConnectionMetadata, version));
                }

                Notify(new ConnectionNotification(ConnectionNotificationKind.NewPeer, peer, metadata, version));
            }
        }

        /// <summary>
        /// Removes <paramref name="peer"/> only if <paramref name="connectionId"/> is still its current
        /// connection; subscribers get <see cref="ConnectionNotificationKind.LostPeer"/>.
        /// </summary>
        /// <returns>true when removed; false when the peer is absent or its current connection is another one.</returns>
        /// <exception cref="PeerNetException">The network is not configured (<see cref="SendFailure.NetworkNotConfigured"/>).</exception>
        public bool RemovePeerMetadata(PeerNetworkId peer, ConnectionId connectionId)
        {
            lock (_writeLock)
            {
                var current = _snapshot;
                var map = current.GetRequiredMap(peer.NetworkId, peer.PeerId);
                if (!map.TryGetValue(peer.PeerId, out var old) || old.ConnectionMetadata.ConnectionId != connectionId)
                {
                    return false;
                }

                var version = new SnapshotVersion(current.Version.Value + 1);
                Publish(current.With(version, peer.NetworkId, map.Remove(peer.PeerId)));
                _monitoring.TryRemove(peer, out _);
                Notify(new ConnectionNotification(ConnectionNotificationKind.LostPeer, peer, old.ConnectionMetadata, version));
                return true;
            }
        }

        /// <summary>
        /// Sets the state of <paramref name="peer"/>'s connection <paramref name="connectionId"/> if it is still
        /// the current one (for instance <see cref="ConnectionState.Disconnecting"/> before a graceful close).
        /// Publishes a new version when the state changes; no notification (the connection did not change).
        /// </summary>
        /// <returns>true when the connection is current (whether or not its state changed); false otherwise.</returns>
        /// <exception cref="PeerNetException">The network is not configured (<see cref="SendFailure.NetworkNotConfigured"/>).</exception>
        public bool UpdateConnectionState(PeerNetworkId peer, ConnectionId connectionId, ConnectionState state)
        {
            lock (_writeLock)
            {
                var current = _snapshot;
                var map = current.GetRequiredMap(peer.NetworkId, peer.PeerId);
                if (!map.TryGetValue(peer.PeerId, out var old) || old.ConnectionMetadata.ConnectionId != connectionId)
                {
                    return false;
                }

                if (old.State != state)
                {
                    var version = new SnapshotVersion(current.Version.Value + 1);
                    Publish(current.With(version, peer.NetworkId, map.SetItem(peer.PeerId, old.WithState(state))));
                }

                return true;
            }
        }

        /// <summary>
        /// Records monitoring data for <paramref name="peer"/>'s connection <paramref name="connectionId"/> if it is
        /// the current one. Kept outside the snapshot: no new version, no notification, no map rebuilt.
        /// </summary>
        /// <returns>false when the connection is not (or no longer) the peer's current one.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="monitoring"/> is null.</exception>
        /// <exception cref="PeerNetException">The network is not configured (<see cref="SendFailure.NetworkNotConfigured"/>).</exception>
        public bool UpdateMonitoringMetadata(PeerNetworkId peer, ConnectionId connectionId, PeerMonitoringMetadata monitoring)
        {
            if (monitoring is null)
            {
                throw new ArgumentNullException(nameof(monitoring));
            }

            var map = Volatile.Read(ref _snapshot).GetRequiredMap(peer.NetworkId, peer.PeerId);
            if (!map.TryGetValue(peer.PeerId, out var current) || current.ConnectionMetadata.ConnectionId != connectionId)
            {
                return false;
            }

            // If the connection is replaced right now, the entry is tagged with the old id and never read back.
            _monitoring[peer] = new KeyValuePair<ConnectionId, PeerMonitoringMetadata>(connectionId, monitoring);
            return true;
        }

        /// <summary>The monitoring data of <paramref name="peer"/>'s current connection, if any was recorded for it.</summary>
        /// <returns>false when the network is not configured, the peer is absent, or nothing was recorded for its current connection.</returns>
        public bool TryGetMonitoringMetadata(PeerNetworkId peer, out PeerMonitoringMetadata monitoring)
        {
            if (_monitoring.TryGetValue(peer, out var entry)
                && Volatile.Read(ref _snapshot).TryGetMetadataForPeer(peer, out var current)
                && current.ConnectionMetadata.ConnectionId == entry.Key)
            {
                monitoring = entry.Value;
                return true;
            }

            monitoring = null!;
            return false;
        }

        /// <summary>
        /// Subscribes to connection notifications. The current peers are replayed first as
        /// <see cref="ConnectionNotificationKind.NewPeer"/>; then every change follows in publication order.
        /// </summary>
        /// <param name="capacity">How many notifications beyond the replay may wait unread before the subscription
        /// overflows (it is then completed with <see cref="SubscriptionOverflowException"/>; writers never wait).</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
        public PeersAndMetadataSubscription Subscribe(int capacity = 1024)
        {
            if (capacity < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A subscription needs a capacity of at least 1.");
            }

            lock (_writeLock)
            {
                var snapshot = _snapshot;
                var subscription = new PeersAndMetadataSubscription(this, capacity, snapshot.TotalPeerCount, snapshot.Version);
                foreach (var entry in snapshot.GetAllConnectedPeers())
                {
                    subscription.Offer(new ConnectionNotification(
                        ConnectionNotificationKind.NewPeer, entry.Key, entry.Value.ConnectionMetadata, snapshot.Version));
                }

                var grown = new PeersAndMetadataSubscription[_subscribers.Length + 1];
                Array.Copy(_subscribers, grown, _subscribers.Length);
                grown[_subscribers.Length] = subscription;
                Volatile.Write(ref _subscribers, grown);
                return subscription;
            }
        }

        internal void Unsubscribe(PeersAndMetadataSubscription subscription)
        {
            lock (_writeLock)
            {
                var remaining = new List<PeersAndMetadataSubscription>(_subscribers);
                remaining.Remove(subscription);
                Volatile.Write(ref _subscribers, remaining.ToArray());
            }
        }

        // Lets tests prove that reads never take the writers' lock.
        internal object WriteLockForTests => _writeLock;

        private void Publish(PeersAndMetadataSnapshot next) => Volatile.Write(ref _snapshot, next);

        // Under _writeLock, so every subscriber sees notifications in publication order. Never blocks.
        private void Notify(ConnectionNotification notification)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Offer(notification);
            }
        }
    }
}
