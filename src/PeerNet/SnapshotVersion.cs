using System;

namespace PeerNet
{
    /// <summary>The version of a published <see cref="PeersAndMetadataSnapshot"/>; increases by one per update.</summary>
    public readonly record struct SnapshotVersion(ulong Value) : IComparable<SnapshotVersion>
    {
        /// <inheritdoc/>
        public int CompareTo(SnapshotVersion other) => Value.CompareTo(other.Value);

        /// <summary>Whether <paramref name="left"/> is older than <paramref name="right"/>.</summary>
        public static bool operator <(SnapshotVersion left, SnapshotVersion right) => left.Value < right.Value;

        /// <summary>Whether <paramref name="left"/> is newer than <paramref name="right"/>.</summary>
        public static bool operator >(SnapshotVersion left, SnapshotVersion right) => left.Value > right.Value;

        /// <summary>Whether <paramref name="left"/> is not newer than <paramref name="right"/>.</summary>
        public static bool operator <=(SnapshotVersion left, SnapshotVersion right) => left.Value <= right.Value;

        /// <summary>Whether <paramref name="left"/> is not older than <paramref name="right"/>.</summary>
        public static bool operator >=(SnapshotVersion left, SnapshotVersion right) => left.Value >= right.Value;

        /// <inheritdoc/>
        public override string ToString() => $"v{Value}";
    }
}
