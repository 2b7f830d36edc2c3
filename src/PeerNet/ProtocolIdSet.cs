using System;
using System.Collections;
using System.Collections.Generic;
using System.Text;

namespace PeerNet
{
    /// <summary>An immutable set of <see cref="ProtocolId"/> values (a 256-bit mask; never allocates to query).</summary>
    public readonly struct ProtocolIdSet : IEquatable<ProtocolIdSet>, IReadOnlyCollection<ProtocolId>
    {
        private readonly ulong _w0;
        private readonly ulong _w1;
        private readonly ulong _w2;
        private readonly ulong _w3;

        private ProtocolIdSet(ulong w0, ulong w1, ulong w2, ulong w3)
        {
            _w0 = w0;
            _w1 = w1;
            _w2 = w2;
            _w3 = w3;
        }

        /// <summary>The empty set.</summary>
        public static ProtocolIdSet Empty => default;

        /// <summary>A set of the given protocols (duplicates are ignored).</summary>
        /// <exception cref="ArgumentNullException"><paramref name="protocols"/> is null.</exception>
        public static ProtocolIdSet Of(params ProtocolId[] protocols)
        {
            if (protocols is null)
            {
                throw new ArgumentNullException(nameof(protocols));
            }

            return From(protocols);
        }

        /// <summary>A set of the given protocols (duplicates are ignored).</summary>
        /// <exception cref="ArgumentNullException"><paramref name="protocols"/> is null.</exception>
        public static ProtocolIdSet From(IEnumerable<ProtocolId> protocols)
        {
            if (protocols is null)
            {
                throw new ArgumentNullException(nameof(protocols));
            }

            var set = Empty;
            foreach (var p in protocols)
            {
                set = set.Add(p);
            }

            return set;
        }

        /// <summary>Whether the set holds <paramref name="protocol"/>.</summary>
        public bool Contains(ProtocolId protocol)
        {
            var bit = (int)protocol;
            return (Word(bit >> 6) & (1UL << (bit & 63))) != 0;
        }

        /// <summary>This set plus <paramref name="protocol"/>.</summary>
        public ProtocolIdSet Add(ProtocolId protocol)
        {
            var bit = (int)protocol;
            var mask = 1UL << (bit & 63);
            switch (bit >> 6)
            {
                case 0: return new ProtocolIdSet(_w0 | mask, _w1, _w2, _w3);
                case 1: return new ProtocolIdSet(_w0, _w1 | mask, _w2, _w3);
                case 2: return new ProtocolIdSet(_w0, _w1, _w2 | mask, _w3);
                default: return new ProtocolIdSet(_w0, _w1, _w2, _w3 | mask);
            }
        }

        /// <summary>The protocols in both sets (what a handshake agrees on).</summary>
        public ProtocolIdSet Intersect(ProtocolIdSet other) =>
            new ProtocolIdSet(_w0 & other._w0, _w1 & other._w1, _w2 & other._w2, _w3 & other._w3);

        /// <summary>The protocols in either set.</summary>
        public ProtocolIdSet Union(ProtocolIdSet other) =>
            new ProtocolIdSet(_w0 | other._w0, _w1 | other._w1, _w2 | other._w2, _w3 | other._w3);

        /// <summary>Whether the set is empty.</summary>
        public bool IsEmpty => (_w0 | _w1 | _w2 | _w3) == 0;

        /// <summary>How many protocols the set holds.</summary>
        public int Count => PopCount(_w0) + PopCount(_w1) + PopCount(_w2) + PopCount(_w3);

        /// <summary>Enumerates the protocols in ascending numeric order without allocating.</summary>
        public Enumerator GetEnumerator() => new Enumerator(this);

        IEnumerator<ProtocolId> IEnumerable<ProtocolId>.GetEnumerator() => GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// <inheritdoc/>
        public bool Equals(ProtocolIdSet other) => _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is ProtocolIdSet other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode()
        {
            unchecked
            {
                var h = _w0 ^ (_w1 * 31) ^ (_w2 * 961) ^ (_w3 * 29791);
                return (int)h ^ (int)(h >> 32);
            }
        }

        /// <summary>Value equality.</summary>
        public static bool operator ==(ProtocolIdSet left, ProtocolIdSet right) => left.Equals(right);

        /// <summary>Value inequality.</summary>
        public static bool operator !=(ProtocolIdSet left, ProtocolIdSet right) => !left.Equals(right);

        /// <inheritdoc/>
        public override string ToString()
        {
            var sb = new StringBuilder("{");
            var first = true;
            foreach (var p in this)
            {
                if (!first) sb.Append(", ");
                sb.Append(p);
                first = false;
            }

            return sb.Append('}').ToString();
        }

        private ulong Word(int index)
        {
            switch (index)
            {
                case 0: return _w0;
                case 1: return _w1;
                case 2: return _w2;
                default: return _w3;
            }
        }

        private static int PopCount(ulong v)
        {
            var count = 0;
            while (v != 0)
            {
                v &= v - 1;
                count++;
            }

            return count;
        }

        /// <summary>Enumerates a <see cref="ProtocolIdSet"/> in ascending numeric order.</summary>
        public struct Enumerator : IEnumerator<ProtocolId>
        {
            private readonly ProtocolIdSet _set;
            private int _bit;

            internal Enumerator(ProtocolIdSet set)
            {
                _set = set;
                _bit = -1;
            }

            /// <inheritdoc/>
            public ProtocolId Current => (ProtocolId)_bit;

            object IEnumerator.Current => Current;

            /// <inheritdoc/>
            public bool MoveNext()
            {
                while (++_bit < 256)
                {
                    if (_set.Contains((ProtocolId)_bit))
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <inheritdoc/>
            public void Reset() => _bit = -1;

            /// <inheritdoc/>
            public void Dispose()
            {
            }
        }
    }
}
