using System;

namespace PeerNet
{
    /// <summary>
    /// The metadata of one connection, fixed at its handshake: the remote peer, the connection id, the
    /// protocols both sides agreed on. A reconnect produces a new <see cref="ConnectionMetadata"/>.
    /// </summary>
    public sealed record ConnectionMetadata
    {
        /// <summary>Creates connection metadata.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
        public ConnectionMetadata(
            PeerId remotePeerId,
            ConnectionId connectionId,
            string address,
            ConnectionOrigin origin,
            ProtocolIdSet applicationProtocols,
            PeerRole role)
        {
            RemotePeerId = remotePeerId;
            ConnectionId = connectionId;
            Address = address ?? throw new ArgumentNullException(nameof(address));
            Origin = origin;
            ApplicationProtocols = applicationProtocols;
            Role = role;
        }

        /// <summary>The peer at the other end.</summary>
        public PeerId RemotePeerId { get; init; }

        /// <summary>The connection's id, unique and increasing per node.</summary>
        public ConnectionId ConnectionId { get; init; }

        /// <summary>The remote address.</summary>
        public string Address { get; init; }

        /// <summary>Who dialed.</summary>
        public ConnectionOrigin Origin { get; init; }

        /// <summary>The application protocols this connection's handshake agreed on.</summary>
        public ProtocolIdSet ApplicationProtocols { get; init; }

        /// <summary>The peer's role.</summary>
        public PeerRole Role { get; init; }
    }
}
