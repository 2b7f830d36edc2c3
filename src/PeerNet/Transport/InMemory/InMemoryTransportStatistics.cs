namespace PeerNet.Transport.InMemory
{
    /// <summary>Counters of an <see cref="InMemoryNode"/> (or, summed, of an <see cref="InMemoryNetwork"/>).</summary>
    public readonly record struct InMemoryTransportStatistics
    {
        /// <summary>
        /// Messages (direct sends and RPC requests) accepted by this node's sender: handed to a connection (connection-bound
        /// sends) or queued in the peer's outbound queue (raw sends; see <see cref="OutboundQueueDropped"/>).
        /// </summary>
        public long SendsAccepted { get; init; }

        /// <summary>Sends this node's sender refused and reported to its caller (a failure result or exception).</summary>
        public long SendsRefused { get; init; }

        /// <summary>Direct-send messages received and handed to a handler of the connection they arrived on.</summary>
        public long DirectSendDelivered { get; init; }

        /// <summary>
        /// Direct-send messages received on a connection with no handler for their protocol: dropped, as in
        /// Aptos (metric <see cref="PeerNetMetrics.DirectSendMessages"/> with <c>state=unknown</c>).
        /// </summary>
        public long DirectSendUnknownProtocol { get; init; }

        /// <summary>Direct-send messages whose handler threw (the message reached the handler; the error is counted).</summary>
        public long DirectSendHandlerErrors { get; init; }

        /// <summary>RPC requests received and handed to a handler.</summary>
        public long RpcHandled { get; init; }

        /// <summary>RPC requests received on a connection with no handler for their protocol: answered with an "unsupported protocol" error.</summary>
        public long RpcUnsupportedProtocol { get; init; }

        /// <summary>Connections opened by this node.</summary>
        public long ConnectionsOpened { get; init; }

        /// <summary>Connections closed (replaced or disconnected) on this node.</summary>
        public long ConnectionsClosed { get; init; }

        /// <summary>
        /// Raw sends accepted into this node's per-peer outbound queue and dropped when dequeued, because the peer had no
        /// connection then (or the node was disposed). Aptos discards these silently; here they are counted (metric
        /// <see cref="InMemoryTransportMetrics.OutboundQueueDropped"/>) and a raw RPC dropped that way fails.
        /// </summary>
        public long OutboundQueueDropped { get; init; }

        /// <summary>The sum of two sets of counters.</summary>
        public static InMemoryTransportStatistics operator +(InMemoryTransportStatistics a, InMemoryTransportStatistics b) => new InMemoryTransportStatistics
        {
            SendsAccepted = a.SendsAccepted + b.SendsAccepted,
            SendsRefused = a.SendsRefused + b.SendsRefused,
            DirectSendDelivered = a.DirectSendDelivered + b.DirectSendDelivered,
            DirectSendUnknownProtocol = a.DirectSendUnknownProtocol + b.DirectSendUnknownProtocol,
            DirectSendHandlerErrors = a.DirectSendHandlerErrors + b.DirectSendHandlerErrors,
            RpcHandled = a.RpcHandled + b.RpcHandled,
            RpcUnsupportedProtocol = a.RpcUnsupportedProtocol + b.RpcUnsupportedProtocol,
            ConnectionsOpened = a.ConnectionsOpened + b.ConnectionsOpened,
            ConnectionsClosed = a.ConnectionsClosed + b.ConnectionsClosed,
            OutboundQueueDropped = a.OutboundQueueDropped + b.OutboundQueueDropped,
        };
    }
}
