using System.Collections.Generic;
using System.Diagnostics.Metrics;

namespace PeerNet
{
    /// <summary>
    /// The <see cref="System.Diagnostics.Metrics"/> instruments PeerNet publishes, all on the meter named
    /// <see cref="MeterName"/>. Listen with a <see cref="MeterListener"/>, <c>dotnet-counters</c> or OpenTelemetry.
    /// </summary>
    public static class PeerNetMetrics
    {
        /// <summary>The meter name: <c>PeerNet</c>.</summary>
        public const string MeterName = "PeerNet";

        /// <summary>
        /// Counter of direct-send messages processed by a receiving connection, tagged <c>state</c>:
        /// <c>delivered</c> (a handler of that connection ran) or <c>unknown</c> (the connection has no
        /// handler for the message's protocol: the message was dropped).
        /// </summary>
        public const string DirectSendMessages = "peernet.direct_send.messages";

        /// <summary>
        /// Counter of RPC requests processed by a receiving connection, tagged <c>state</c>:
        /// <c>handled</c> or <c>unsupported</c> (answered with an "unsupported protocol" error).
        /// </summary>
        public const string RpcRequests = "peernet.rpc.requests";

        /// <summary>Counter of sends the transport refused (the caller was told), tagged <c>reason</c> (a <see cref="SendFailure"/> name).</summary>
        public const string SendFailures = "peernet.send.failures";

        /// <summary>Counter of store notifications a subscriber missed because it fell behind.</summary>
        public const string SubscriptionDroppedNotifications = "peernet.subscription.dropped_notifications";

        internal static readonly Meter Meter = new Meter(MeterName, "0.1.0");

        internal static readonly Counter<long> DirectSendCounter =
            Meter.CreateCounter<long>(DirectSendMessages, "{message}", "Direct-send messages processed by receiving connections.");

        internal static readonly Counter<long> RpcCounter =
            Meter.CreateCounter<long>(RpcRequests, "{request}", "RPC requests processed by receiving connections.");

        internal static readonly Counter<long> SendFailureCounter =
            Meter.CreateCounter<long>(SendFailures, "{message}", "Sends refused by the transport and reported to the caller.");

        internal static readonly Counter<long> SubscriptionDroppedCounter =
            Meter.CreateCounter<long>(SubscriptionDroppedNotifications, "{notification}", "Notifications missed by subscribers that fell behind.");

        internal static readonly KeyValuePair<string, object?> StateDelivered = new KeyValuePair<string, object?>("state", "delivered");
        internal static readonly KeyValuePair<string, object?> StateUnknown = new KeyValuePair<string, object?>("state", "unknown");
        internal static readonly KeyValuePair<string, object?> StateHandled = new KeyValuePair<string, object?>("state", "handled");
        internal static readonly KeyValuePair<string, object?> StateUnsupported = new KeyValuePair<string, object?>("state", "unsupported");

        internal static KeyValuePair<string, object?> Reason(SendFailure failure) =>
            new KeyValuePair<string, object?>("reason", failure.ToString());
    }
}
