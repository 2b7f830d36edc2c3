namespace PeerNet.Transport.Tcp
{
    /// <summary>
    /// Counters of a <see cref="TcpNode"/>. Every message accepted by its sender (<see cref="SendsAccepted"/>) ends, once its
    /// connection finished closing, in exactly one of: <see cref="MessagesConfirmed"/> (the peer acknowledged processing it),
    /// <see cref="MessagesLostOnClose"/> (never written), or <see cref="MessagesUnconfirmedOnClose"/> (written, but the
    /// connection was aborted or reset before the peer acknowledged it: it may or may not have been processed).
    /// </summary>
    public readonly record struct TcpTransportStatistics
    {
        /// <summary>Messages (direct sends and RPC requests) handed to a connection's outbound queue by this node's sender.</summary>
        public long SendsAccepted { get; init; }

        /// <summary>Sends this node's sender refused and reported to its caller (a failure result or exception).</summary>
        public long SendsRefused { get; init; }

        /// <summary>Application frames (direct sends, RPC requests) written to a socket.</summary>
        public long MessagesWritten { get; init; }

        /// <summary>Application messages accepted but never written because their connection was aborted (counted, with the reason, in <see cref="TcpTransportMetrics.MessagesLostOnClose"/>).</summary>
        public long MessagesLostOnClose { get; init; }

        /// <summary>Application messages the peer acknowledged having processed (delivered to a handler, dropped and counted as
        /// an unknown protocol, or answered).</summary>
        public long MessagesConfirmed { get; init; }

        /// <summary>Application messages written to a connection that was aborted or reset before the peer acknowledged them
        /// (also <see cref="TcpTransportMetrics.MessagesUnconfirmedOnClose"/>); 0 after graceful closes.</summary>
        public long MessagesUnconfirmedOnClose { get; init; }

        /// <summary>RPCs of this node still without an answer when their connection finished closing or was aborted (failed with <see cref="SendFailure.Closed"/>).</summary>
        public long RpcsFailedOnClose { get; init; }

        /// <summary>RPC answers (responses or errors) this node could not send because the connection had closed or its queue was full.</summary>
        public long RpcRepliesUndeliverable { get; init; }

        /// <summary>RPC answers that arrived after their caller had given up (timeout or cancellation).</summary>
        public long LateRpcReplies { get; init; }

        /// <summary>Direct-send messages received and handed to a handler of the connection they arrived on.</summary>
        public long DirectSendDelivered { get; init; }

        /// <summary>Direct-send messages received on a connection with no handler for their protocol: dropped and counted (<see cref="PeerNetMetrics.DirectSendMessages"/>, <c>state=unknown</c>).</summary>
        public long DirectSendUnknownProtocol { get; init; }

        /// <summary>Direct-send messages whose handler threw.</summary>
        public long DirectSendHandlerErrors { get; init; }

        /// <summary>RPC requests received and handed to a handler.</summary>
        public long RpcHandled { get; init; }

        /// <summary>RPC requests received with no handler for their protocol: answered with <see cref="SendFailure.UnsupportedProtocol"/>.</summary>
        public long RpcUnsupportedProtocol { get; init; }

        /// <summary>
        /// RPC requests that arrived on a connection already closing: not handled, answered with
        /// <see cref="SendFailure.ConnectionReplaced"/> (when it was replaced; <see cref="NetworkClient"/> retries those on the
        /// new connection) or <see cref="SendFailure.Closed"/>.
        /// </summary>
        public long RpcRejectedWhileClosing { get; init; }

        /// <summary>Connections installed (handshake completed) on this node.</summary>
        public long ConnectionsOpened { get; init; }

        /// <summary>Connections that finished closing on this node.</summary>
        public long ConnectionsClosed { get; init; }

        /// <summary>Connections closed because the peer sent a frame over the maximum size.</summary>
        public long FramesTooLarge { get; init; }

        /// <summary>Connections closed because the peer sent a frame that could not be parsed.</summary>
        public long MalformedFrames { get; init; }

        /// <summary>Dials or accepted sockets whose handshake failed (bad hello, wrong network, no common protocol, timeout).</summary>
        public long HandshakesFailed { get; init; }

        /// <summary>New connections closed right after their handshake because they lost a simultaneous-dial tie-break.</summary>
        public long SimultaneousDialsRejected { get; init; }

        /// <summary>Handshakes failed because the peer could not be authenticated as the expected or a trusted peer (TLS refused, wrong key, id mismatch).</summary>
        public long AuthenticationFailures { get; init; }

        /// <summary>Failed accepts (out of descriptors or memory): each counted, logged and followed by a back-off; connected peers are still served.</summary>
        public long AcceptFailures { get; init; }

        /// <summary>Inbound sockets closed at once because of <see cref="TcpNodeOptions.MaxInboundConnections"/> or <see cref="TcpNodeOptions.MaxInboundConnectionsPerAddress"/>.</summary>
        public long InboundConnectionsRefused { get; init; }

        /// <summary>Inbound connections held now (handshakes in progress plus connections not yet closed).</summary>
        public long InboundConnections { get; init; }

        /// <summary>RPC requests refused with <see cref="SendFailure.Overloaded"/> because the peer already had <see cref="TcpNodeOptions.MaxConcurrentInboundRpcs"/> in progress.</summary>
        public long RpcsRefusedOverloaded { get; init; }

        /// <summary>Connections closed by <see cref="TcpNodeOptions.IdleTimeout"/>.</summary>
        public long IdleTimeouts { get; init; }

        /// <summary>Connections closed by <see cref="TcpNodeOptions.FrameReadTimeout"/>.</summary>
        public long FrameReadTimeouts { get; init; }

        /// <summary>Closes that did not finish within the close timeout and were aborted.</summary>
        public long CloseTimeouts { get; init; }

        /// <summary>Log lines not written because of <see cref="TcpNodeOptions.LogLinesPerInterval"/> (each reported in a
        /// "suppressed K similar messages" line; the event itself is counted in its own counter).</summary>
        public long LogLinesSuppressed { get; init; }
    }
}
