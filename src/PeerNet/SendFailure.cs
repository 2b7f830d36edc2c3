namespace PeerNet
{
    /// <summary>Why a send did not hand its message to a connection.</summary>
    public enum SendFailure
    {
        /// <summary>No failure: the message was handed to a connection that announced its protocol.</summary>
        None = 0,
        /// <summary>The client has no sender, or the store no entry, for the peer's network.</summary>
        NetworkNotConfigured,
        /// <summary>The peer has no current connection.</summary>
        PeerNotConnected,
        /// <summary>None of the sender's preferred protocols was announced by the peer's current connection.</summary>
        NoCommonProtocol,
        /// <summary>The peer kept reconnecting faster than the bounded retries could follow.</summary>
        ConnectionReplaced,
        /// <summary>The client, transport or connection is closed.</summary>
        Closed,
        /// <summary>The connection's outbound queue is full (back pressure); the message was not queued.</summary>
        QueueFull,
        /// <summary>An RPC got no answer within its timeout.</summary>
        Timeout,
        /// <summary>The remote side answered that it has no handler for the protocol.</summary>
        UnsupportedProtocol,
        /// <summary>The connection's handshake did not announce the protocol, so the message was not handed to it.</summary>
        ProtocolNotAnnounced,
        /// <summary>The remote RPC handler failed; the exception's message and inner exception say how.</summary>
        RemoteError,
        /// <summary>The peer could not be authenticated as the expected or a trusted peer (TCP transport): no connection was made.</summary>
        Unauthenticated,
        /// <summary>The remote side refused the RPC because the caller already has as many requests in progress there as it allows.</summary>
        Overloaded,
    }
}
