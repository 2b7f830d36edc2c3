using System;
using PeerNet.Annotations;

namespace PeerNet
{
    /// <summary>
    /// What the store knows about a peer's current connection. Immutable; read from a snapshot, so it
    /// describes the connection that was current when the snapshot was published.
    /// </summary>
    public sealed class PeerMetadata
    {
        /// <summary>Creates peer metadata for a connection.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="connectionMetadata"/> is null.</exception>
        public PeerMetadata(ConnectionMetadata connectionMetadata, ConnectionState state = ConnectionState.Connected)
        {
            ConnectionMetadata = connectionMetadata ?? throw new ArgumentNullException(nameof(connectionMetadata));
            State = state;
        }

        /// <summary>The metadata of the connection this entry describes.</summary>
        public ConnectionMetadata ConnectionMetadata { get; }

        /// <summary>The connection's state.</summary>
        public ConnectionState State { get; }

        /// <summary>The protocols the connection announced (its handshake's agreed set).</summary>
        [CachedSnapshotRead]
        public ProtocolIdSet SupportedProtocols => ConnectionMetadata.ApplicationProtocols;

        /// <summary>Whether the connection is usable for sends.</summary>
        public bool IsConnected => State == ConnectionState.Connected;

        /// <summary>A copy in another state.</summary>
        public PeerMetadata WithState(ConnectionState state) =>
            state == State ? this : new PeerMetadata(ConnectionMetadata, state);

        /// <inheritdoc/>
        public override string ToString() =>
            $"{ConnectionMetadata.RemotePeerId} {ConnectionMetadata.ConnectionId} {State} {SupportedProtocols}";
    }
}
