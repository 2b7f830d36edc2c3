using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PeerNet
{
    /// <summary>A 32-byte account address identifying a peer.</summary>
    public readonly struct PeerId : IEquatable<PeerId>, IComparable<PeerId>
    {
        /// <summary>The length of a peer id in bytes.</summary>
        public const int Length = 32;

        private readonly ulong _a;
        private readonly ulong _b;
        private readonly ulong _c;
        private readonly ulong _d;

        private PeerId(ulong a, ulong b, ulong c, ulong d)
        {
            _a = a;
            _b = b;
            _c = c;
            _d = d;
        }

        /// <summary>Creates a peer id from exactly 32 bytes.</summary>
        /// <exception cref="ArgumentException">The span is not 32 bytes long.</exception>
        public PeerId(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length != Length)
            {
                throw new ArgumentException($"A peer id is {Length} bytes; got {bytes.Length}.", nameof(bytes));
            }

            _a = ReadUInt64(bytes, 0);
            _b = ReadUInt64(bytes, 8);
            _c = ReadUInt64(bytes, 16);
            _d = ReadUInt64(bytes, 24);
        }

        /// <summary>A fresh random peer id.</summary>
        public static PeerId Random()
        {
            var bytes = new byte[Length];
            using (var rng = RandomNumberGenerator.Create())
            {
                rng.GetBytes(bytes);
            }

            return new PeerId(bytes);
        }

        /// <summary>
        /// Parses a hex address: up to 64 hex digits, optionally prefixed with <c>0x</c>; shorter
        /// addresses are left-padded with zeros, as Aptos does.
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="hex"/> is null.</exception>
        /// <exception cref="FormatException">The text is empty, too long or not hex.</exception>
        public static PeerId Parse(string hex)
        {
            if (hex is null)
            {
                throw new ArgumentNullException(nameof(hex));
            }

            if (!TryParse(hex, out var id, out var error))
            {
                throw new FormatException($"'{hex}' is not a peer id: {error}");
            }

            return id;
        }

        /// <summary>Parses a hex address; returns false when it is not one.</summary>
        public static bool TryParse(string? hex, out PeerId peerId) => TryParse(hex, out peerId, out _);

        private static bool TryParse(string? hex, out PeerId peerId, out string error)
        {
            peerId = default;
            if (hex is null)
            {
                error = "the text is null.";
                return false;
            }

            var text = hex.Trim();
            if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                text = text.Substring(2);
            }

            if (text.Length == 0)
            {
                error = "there are no hex digits.";
                return false;
            }

            if (text.Length > Length * 2)
            {
                error = $"it has {text.Length} hex digits; at most {Length * 2} are allowed.";
                return false;
            }

            text = text.PadLeft(Length * 2, '0');
            var bytes = new byte[Length];
            for (var i = 0; i < Length; i++)
            {
                if (!byte.TryParse(text.Substring(i * 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
                {
                    error = $"'{text.Substring(i * 2, 2)}' is not a hex byte.";
                    return false;
                }
            }

            peerId = new PeerId(bytes);
            error = string.Empty;
            return true;
        }

        /// <summary>The 32 bytes of the address.</summary>
        public byte[] ToByteArray()
        {
            var bytes = new byte[Length];
            WriteUInt64(bytes, 0, _a);
            WriteUInt64(bytes, 8, _b);
            WriteUInt64(bytes, 16, _c);
            WriteUInt64(bytes, 24, _d);
            return bytes;
        }

        /// <summary>The full 64-digit lowercase hex address.</summary>
        public string ToHexString()
        {
            var sb = new StringBuilder(Length * 2);
            foreach (var b in ToByteArray())
            {
                sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }

            return sb.ToString();
        }

        /// <summary>The short form used in logs: the first 8 hex digits.</summary>
        public override string ToString() => ToHexString().Substring(0, 8);

        /// <inheritdoc/>
        public bool Equals(PeerId other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is PeerId other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode()
        {
            unchecked
            {
                var h = _a ^ (_b * 0x9E3779B97F4A7C15UL) ^ (_c * 0xC2B2AE3D27D4EB4FUL) ^ (_d * 0x165667B19E3779F9UL);
                return (int)h ^ (int)(h >> 32);
            }
        }

        /// <inheritdoc/>
        public int CompareTo(PeerId other)
        {
            var c = _a.CompareTo(other._a);
            if (c != 0) return c;
            c = _b.CompareTo(other._b);
            if (c != 0) return c;
            c = _c.CompareTo(other._c);
            return c != 0 ? c : _d.CompareTo(other._d);
        }

        /// <summary>Value equality.</summary>
        public static bool operator ==(PeerId left, PeerId right) => left.Equals(right);

        /// <summary>Value inequality.</summary>
        public static bool operator !=(PeerId left, PeerId right) => !left.Equals(right);

        private static ulong ReadUInt64(ReadOnlySpan<byte> bytes, int offset)
        {
            ulong v = 0;
            for (var i = 0; i < 8; i++)
            {
                v = (v << 8) | bytes[offset + i];
            }

            return v;
        }

        private static void WriteUInt64(byte[] bytes, int offset, ulong v)
        {
            for (var i = 7; i >= 0; i--)
            {
                bytes[offset + i] = (byte)v;
                v >>= 8;
            }
        }
    }
}
