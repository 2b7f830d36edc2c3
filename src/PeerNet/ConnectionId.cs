using System;

namespace PeerNet
{
    /// <summary>Identifies one connection; unique and increasing per node.</summary>
    public readonly record struct ConnectionId(ulong Value) : IComparable<ConnectionId>
    {
        /// <inheritdoc/>
        public int CompareTo(ConnectionId other) => Value.CompareTo(other.Value);

        /// <inheritdoc/>
        public override string ToString() => $"conn#{Value}";
    }
}
