using System;

namespace PeerNet.Transport.Tcp
{
    /// <summary>Why a <see cref="TcpNode"/> connection closed.</summary>
    public enum TcpCloseReason
    {
        /// <summary>A newer connection with the same peer replaced it (graceful: its queue was flushed).</summary>
        Replaced = 1,
        /// <summary>This node disconnected it (<see cref="TcpNode.Disconnect"/>; graceful).</summary>
        Disconnected,
        /// <summary>The peer closed its end (graceful).</summary>
        RemoteClosed,
        /// <summary>This node was disposed (graceful, bounded by <see cref="TcpNodeOptions.CloseTimeout"/>).</summary>
        NodeDisposed,
        /// <summary>The peer sent a frame larger than this node's <see cref="TcpNodeOptions.MaxFrameSize"/> (aborted).</summary>
        FrameTooLarge,
        /// <summary>The peer sent a frame this node could not parse (aborted).</summary>
        MalformedFrame,
        /// <summary>A socket read or write failed (aborted).</summary>
        IoError,
        /// <summary>The connection lost a simultaneous-dial tie-break (<see cref="TcpNodeOptions.SimultaneousDialTieBreak"/>) and was closed right after its handshake.</summary>
        SimultaneousDialLost,
        /// <summary>The peer left the trusted-peer set (<see cref="TcpNodeOptions.TrustedPeers"/>; graceful).</summary>
        NotTrusted,
        /// <summary>Nothing arrived within <see cref="TcpNodeOptions.IdleTimeout"/>, not even a keep-alive (aborted).</summary>
        IdleTimeout,
        /// <summary>A frame took longer than <see cref="TcpNodeOptions.FrameReadTimeout"/> to arrive (aborted).</summary>
        FrameReadTimeout,
    }

    /// <summary>A connection of a <see cref="TcpNode"/> finished closing.</summary>
    public sealed class TcpConnectionClosedEventArgs : EventArgs
    {
        internal TcpConnectionClosedEventArgs(ConnectionMetadata metadata, TcpCloseReason reason, string detail, long messagesLost, bool timedOut, long messagesUnconfirmed = 0)
        {
            MessagesUnconfirmed = messagesUnconfirmed;
            Metadata = metadata;
            Reason = reason;
            Detail = detail;
            MessagesLost = messagesLost;
            TimedOut = timedOut;
        }

        /// <summary>The connection's metadata.</summary>
        public ConnectionMetadata Metadata { get; }

        /// <summary>Why it closed.</summary>
        public TcpCloseReason Reason { get; }

        /// <summary>A sentence with the details (for protocol errors: what was wrong).</summary>
        public string Detail { get; }

        /// <summary>Application messages (direct sends, RPC requests) accepted on this connection but never written to the socket.</summary>
        public long MessagesLost { get; }

        /// <summary>
        /// Application messages written to the socket but never acknowledged by the peer, because the connection was aborted
        /// or reset first: each may or may not have been processed there. 0 after a graceful close, whose final
        /// acknowledgements cover every message.
        /// </summary>
        public long MessagesUnconfirmed { get; }

        /// <summary>Whether a graceful close did not finish within <see cref="TcpNodeOptions.CloseTimeout"/> and was aborted.</summary>
        public bool TimedOut { get; }

        /// <inheritdoc/>
        public override string ToString() =>
            $"{Metadata.ConnectionId} with {Metadata.RemotePeerId} closed: {Reason} ({Detail}); {MessagesLost} message(s) lost, {MessagesUnconfirmed} unconfirmed{(TimedOut ? "; close timed out" : string.Empty)}";
    }
}
