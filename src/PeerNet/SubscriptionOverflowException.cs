using System;

namespace PeerNet
{
    /// <summary>
    /// Completes a <see cref="PeersAndMetadataSubscription"/> whose subscriber fell behind: its bounded
    /// channel was full when a notification was published. The writer was not blocked; the notification
    /// and every later one were not delivered to this subscription (counted in
    /// <see cref="PeersAndMetadataSubscription.Dropped"/>). Dispose the subscription and subscribe again to
    /// get a fresh replay of the current peers.
    /// </summary>
    public sealed class SubscriptionOverflowException : Exception
    {
        private readonly PeersAndMetadataSubscription? _subscription;
        private readonly long _missedAtCreation;

        /// <summary>Creates the exception for a subscription that overflowed.</summary>
        internal SubscriptionOverflowException(PeersAndMetadataSubscription subscription, int capacity, SnapshotVersion firstMissedVersion)
            : base(null)
        {
            _subscription = subscription;
            Capacity = capacity;
            FirstMissedVersion = firstMissedVersion;
            _missedAtCreation = 1;
        }

        /// <summary>Creates the exception with explicit values (for tests and custom stores).</summary>
        public SubscriptionOverflowException(int capacity, SnapshotVersion firstMissedVersion, long missedNotifications)
            : base(null)
        {
            Capacity = capacity;
            FirstMissedVersion = firstMissedVersion;
            _missedAtCreation = missedNotifications;
        }

        /// <summary>The capacity of the subscription's channel, which was full.</summary>
        public int Capacity { get; }

        /// <summary>The version of the first notification the subscriber missed.</summary>
        public SnapshotVersion FirstMissedVersion { get; }

        /// <summary>How many notifications the subscription has missed so far (it keeps counting until disposed).</summary>
        public long MissedNotifications => _subscription?.Dropped ?? _missedAtCreation;

        /// <inheritdoc/>
        public override string Message =>
            $"The subscriber fell behind: its channel (capacity {Capacity}) was full when the notification of snapshot " +
            $"{FirstMissedVersion} was published. {MissedNotifications} notification(s) have been missed so far; the writer " +
            "was not blocked. Dispose this subscription and call PeersAndMetadata.Subscribe again for a fresh replay.";
    }
}
