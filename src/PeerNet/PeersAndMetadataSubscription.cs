using System;
using System.Threading;
using System.Threading.Channels;

namespace PeerNet
{
    /// <summary>
    /// A subscription to <see cref="PeersAndMetadata"/> connection notifications, created by
    /// <see cref="PeersAndMetadata.Subscribe(int)"/>. <see cref="Reader"/> yields first one
    /// <see cref="ConnectionNotificationKind.NewPeer"/> per peer connected at subscription time, then every
    /// change in publication order (a replacement is <see cref="ConnectionNotificationKind.LostPeer"/> of the old
    /// connection then <see cref="ConnectionNotificationKind.NewPeer"/> of the new one).
    /// </summary>
    /// <remarks>
    /// Writers never wait for a subscriber. When the channel is full the subscription overflows: the reader
    /// is completed with a <see cref="SubscriptionOverflowException"/> (after the notifications already queued
    /// are read), <see cref="Dropped"/> counts every missed notification, and the metric
    /// <see cref="PeerNetMetrics.SubscriptionDroppedNotifications"/> is incremented. Resubscribe to recover.
    /// </remarks>
    public sealed class PeersAndMetadataSubscription : IDisposable
    {
        private readonly PeersAndMetadata _owner;
        private readonly Channel<ConnectionNotification> _channel;
        private long _dropped;
        private int _overflowed;
        private int _disposed;

        internal PeersAndMetadataSubscription(PeersAndMetadata owner, int capacity, int replayCount, SnapshotVersion replayVersion)
        {
            _owner = owner;
            Capacity = capacity;
            ReplayVersion = replayVersion;
            ReplayCount = replayCount;
            var bound = capacity > int.MaxValue - replayCount ? int.MaxValue : capacity + replayCount;
            _channel = Channel.CreateBounded<ConnectionNotification>(new BoundedChannelOptions(bound)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleWriter = true,
                AllowSynchronousContinuations = false,
            });
        }

        /// <summary>The notifications, in publication order.</summary>
        public ChannelReader<ConnectionNotification> Reader => _channel.Reader;

        /// <summary>How many notifications beyond the initial replay may wait unread before the subscription overflows.</summary>
        public int Capacity { get; }

        /// <summary>The version of the snapshot the initial replay describes.</summary>
        public SnapshotVersion ReplayVersion { get; }

        /// <summary>How many <see cref="ConnectionNotificationKind.NewPeer"/> notifications the initial replay holds.</summary>
        public int ReplayCount { get; }

        /// <summary>How many notifications this subscription missed because it fell behind.</summary>
        public long Dropped => Interlocked.Read(ref _dropped);

        /// <summary>Whether the subscription overflowed (its reader completes with <see cref="SubscriptionOverflowException"/>).</summary>
        public bool IsOverflowed => Volatile.Read(ref _overflowed) != 0;

        /// <summary>Whether the subscription was disposed.</summary>
        public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

        /// <summary>Stops the subscription; its reader completes normally after the queued notifications.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            _owner.Unsubscribe(this);
            _channel.Writer.TryComplete();
        }

        // Called by the store under its write lock: never blocks.
        internal void Offer(ConnectionNotification notification)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            if (_overflowed == 0 && _channel.Writer.TryWrite(notification))
            {
                return;
            }

            Interlocked.Increment(ref _dropped);
            PeerNetMetrics.SubscriptionDroppedCounter.Add(1);
            if (_overflowed == 0)
            {
                Volatile.Write(ref _overflowed, 1);
                _channel.Writer.TryComplete(new SubscriptionOverflowException(this, Capacity, notification.Version));
            }
        }
    }
}
