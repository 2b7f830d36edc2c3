using System;

namespace PeerNet
{
    /// <summary>An immutable message payload.</summary>
    public sealed class Message
    {
        /// <summary>Creates a message over a copy of <paramref name="payload"/>.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="payload"/> is null.</exception>
        public Message(byte[] payload)
        {
            if (payload is null)
            {
                throw new ArgumentNullException(nameof(payload));
            }

            Payload = (byte[])payload.Clone();
        }

        /// <summary>Creates a message over a copy of <paramref name="payload"/>.</summary>
        public Message(ReadOnlyMemory<byte> payload)
        {
            Payload = payload.ToArray();
        }

        /// <summary>The payload bytes.</summary>
        public ReadOnlyMemory<byte> Payload { get; }

        /// <summary>The payload length in bytes.</summary>
        public int Length => Payload.Length;

        /// <inheritdoc/>
        public override string ToString() => $"Message({Length} bytes)";
    }
}
