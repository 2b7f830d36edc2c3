namespace PeerNet.Analyzers
{
    /// <summary>
    /// The contract between the analyzers and the code fixes: what a PN0001/PN0002/PN0003 diagnostic
    /// carries. Location: the send invocation (for PN0003, the discarded Try-send invocation).
    /// AdditionalLocations[0] (PN0001, PN0002): the cached-snapshot read the protocol came from;
    /// AdditionalLocations[1] (PN0002): the version check that guards the send. Every property here is
    /// read by a code fix; what only the message needs to say is in the message.
    /// </summary>
    internal static class DiagnosticProperties
    {
        /// <summary>PN0001/PN0002: "Direct" for a direct send (SendTo), "Rpc" for an RPC (SendRpcAsync). The fix's title follows it.</summary>
        public const string SendKind = "SendKind";

        /// <summary>Value of <see cref="SendKind"/> for a direct send.</summary>
        public const string Direct = "Direct";

        /// <summary>Value of <see cref="SendKind"/> for an RPC.</summary>
        public const string Rpc = "Rpc";

        /// <summary>
        /// PN0001/PN0002, present only where no code fix is possible, saying why: <see cref="NoFixUserSink"/>,
        /// <see cref="NoFixNoClientInReach"/> or <see cref="NoFixPeerNetworkUnknown"/>. Listed on the rule pages ("When there is no code fix").
        /// </summary>
        public const string NoFixReason = "NoFixReason";

        /// <summary>Value of <see cref="NoFixReason"/>: the send is a user's own sink, which PeerNet's atomic send cannot replace.</summary>
        public const string NoFixUserSink = "UserSink";

        /// <summary>Value of <see cref="NoFixReason"/>: no PeerNet NetworkClient is reachable at the send.</summary>
        public const string NoFixNoClientInReach = "NoClientInReach";

        /// <summary>
        /// Value of <see cref="NoFixReason"/>: the send names a bare PeerId through a sender of unknown network, so the
        /// PeerNetworkId the atomic send needs cannot be known.
        /// </summary>
        public const string NoFixPeerNetworkUnknown = "PeerNetworkUnknown";

        /// <summary>
        /// PN0003: how the result was discarded: <see cref="DiscardedAsStatement"/>, <see cref="DiscardedToDiscard"/> or
        /// <see cref="DiscardedInUnreadLocal"/>. The fix replaces the statement accordingly (or keeps an unread local and checks it).
        /// </summary>
        public const string DiscardKind = "DiscardKind";

        /// <summary>Value of <see cref="DiscardKind"/>: the call is an expression statement.</summary>
        public const string DiscardedAsStatement = "Statement";

        /// <summary>Value of <see cref="DiscardKind"/>: assigned to `_`.</summary>
        public const string DiscardedToDiscard = "Discard";

        /// <summary>Value of <see cref="DiscardKind"/>: stored in a local that is never read.</summary>
        public const string DiscardedInUnreadLocal = "UnreadLocal";

        /// <summary>Value of <see cref="DiscardKind"/>: a Task/ValueTask carrying a Try-send's result is discarded (no statement-level fix).</summary>
        public const string DiscardedTask = "Task";
    }
}
