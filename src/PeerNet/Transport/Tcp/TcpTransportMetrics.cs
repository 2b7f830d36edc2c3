using System.Collections.Generic;
using System.Diagnostics.Metrics;

namespace PeerNet.Transport.Tcp
{
    /// <summary>
    /// The instruments the TCP transport adds on the <see cref="PeerNetMetrics.MeterName"/> meter. It also reports on
    /// the shared ones: <see cref="PeerNetMetrics.DirectSendMessages"/>, <see cref="PeerNetMetrics.RpcRequests"/> and
    /// <see cref="PeerNetMetrics.SendFailures"/>, with the same tags as the in-memory transport.
    /// </summary>
    public static class TcpTransportMetrics
    {
        /// <summary>
        /// Counter of messages accepted by a connection but never written to its socket because the connection was
        /// aborted; tagged <c>reason</c> (a <see cref="TcpCloseReason"/> name) and <c>kind</c>
        /// (<c>direct</c>, <c>rpc_request</c>, <c>rpc_reply</c>).
        /// </summary>
        public const string MessagesLostOnClose = "peernet.tcp.messages_lost_on_close";

        /// <summary>Counter of RPCs waiting for an answer when their connection closed (failed with <see cref="SendFailure.Closed"/>).</summary>
        public const string RpcsFailedOnClose = "peernet.tcp.rpcs_failed_on_close";

        /// <summary>Counter of connections closed because of the peer's bytes or the socket, tagged <c>reason</c>:
        /// <c>FrameTooLarge</c>, <c>MalformedFrame</c>, <c>IoError</c>, <c>HandshakeFailed</c>, <c>AuthenticationFailed</c>,
        /// <c>IdleTimeout</c>, <c>FrameReadTimeout</c>.</summary>
        public const string ProtocolErrors = "peernet.tcp.protocol_errors";

        /// <summary>Counter of failed accepts (out of descriptors or memory), tagged <c>reason</c> (the exception type).</summary>
        public const string AcceptFailures = "peernet.tcp.accept_failures";

        /// <summary>Counter of inbound sockets closed at once because of the inbound connection caps.</summary>
        public const string InboundConnectionsRefused = "peernet.tcp.inbound_refused";

        /// <summary>Counter of application messages written to a connection that was aborted or reset before the peer
        /// acknowledged them (they may or may not have been processed), tagged <c>reason</c>.</summary>
        public const string MessagesUnconfirmedOnClose = "peernet.tcp.messages_unconfirmed_on_close";

        internal static readonly Counter<long> UnconfirmedCounter =
            PeerNetMetrics.Meter.CreateCounter<long>(MessagesUnconfirmedOnClose, "{message}", "Messages written to a TCP connection aborted before the peer acknowledged them.");

        internal static readonly Counter<long> AcceptFailureCounter =
            PeerNetMetrics.Meter.CreateCounter<long>(AcceptFailures, "{accept}", "Failed TCP accepts (out of descriptors or memory).");

        internal static readonly Counter<long> InboundRefusedCounter =
            PeerNetMetrics.Meter.CreateCounter<long>(InboundConnectionsRefused, "{connection}", "Inbound TCP connections refused by the connection caps.");

        internal static readonly Counter<long> LostCounter =
            PeerNetMetrics.Meter.CreateCounter<long>(MessagesLostOnClose, "{message}", "Messages accepted by a TCP connection but never written, because it was aborted.");

        internal static readonly Counter<long> RpcFailedCounter =
            PeerNetMetrics.Meter.CreateCounter<long>(RpcsFailedOnClose, "{request}", "RPCs failed because their TCP connection closed.");

        internal static readonly Counter<long> ProtocolErrorCounter =
            PeerNetMetrics.Meter.CreateCounter<long>(ProtocolErrors, "{connection}", "TCP connections closed by a protocol or socket error.");

        internal static KeyValuePair<string, object?> Reason(string reason) => new KeyValuePair<string, object?>("reason", reason);

        internal static KeyValuePair<string, object?> Kind(FrameKind kind) =>
            new KeyValuePair<string, object?>("kind", kind == FrameKind.DirectSend ? "direct" : kind == FrameKind.RpcRequest ? "rpc_request" : "rpc_reply");
    }
}
