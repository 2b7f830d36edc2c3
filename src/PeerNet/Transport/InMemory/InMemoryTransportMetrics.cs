using System.Collections.Generic;
using System.Diagnostics.Metrics;

namespace PeerNet.Transport.InMemory
{
    /// <summary>
    /// The instruments the in-memory transport adds on the <see cref="PeerNetMetrics.MeterName"/> meter. It also reports
    /// on the shared ones: <see cref="PeerNetMetrics.DirectSendMessages"/>, <see cref="PeerNetMetrics.RpcRequests"/> and
    /// <see cref="PeerNetMetrics.SendFailures"/>.
    /// </summary>
    public static class InMemoryTransportMetrics
    {
        /// <summary>
        /// Counter of raw sends (<see cref="INetworkSender.SendTo"/>, <see cref="INetworkSender.SendRpcAsync"/>) accepted
        /// into a node's per-peer outbound queue and dropped when dequeued, tagged <c>reason</c>:
        /// <c>peer_not_connected</c> (the peer had no connection then) or <c>closed</c> (the node was disposed). Aptos
        /// discards these silently; PeerNet counts them.
        /// </summary>
        public const string OutboundQueueDropped = "peernet.inmemory.outbound_queue.dropped";

        internal static readonly Counter<long> OutboundDroppedCounter =
            PeerNetMetrics.Meter.CreateCounter<long>(OutboundQueueDropped, "{message}", "Raw sends dropped when dequeued from a per-peer outbound queue.");

        internal static KeyValuePair<string, object?> Reason(string reason) => new KeyValuePair<string, object?>("reason", reason);
    }
}
