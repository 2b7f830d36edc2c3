namespace PeerNet.Analyzers
{
    /// <summary>
    /// The contract between the analyzers and the code fixes: what a PN0001/PN0002/PN0003 diagnostic
    /// carries. Location: the send invocation (for PN0003, the discarded Try-send invocation).
    /// AdditionalLocations[0] (PN0001, PN0002): the cached-snapshot read the protocol came from;
    /// AdditionalLocations[1] (PN0002): the version check that guards the send.
    /// </summary>
    internal static class DiagnosticProperties
    {
        /// <summary>"Direct" for a direct send (SendTo), "Rpc" for an RPC (SendRpcAsync).</summary>
        public const string SendKind = "SendKind";

        /// <summary>Value of <see cref="SendKind"/> for a direct send.</summary>
        public const string Direct = "Direct";

        /// <summary>Value of <see cref="SendKind"/> for an RPC.</summary>
        public const string Rpc = "Rpc";

        /// <summary>The name of the [RequiresCurrentProtocol] parameter the snapshot-derived protocol reaches.</summary>
        public const string SinkParameter = "SinkParameter";

        /// <summary>The name of the [CachedSnapshotRead] member the protocol was read from (e.g. GetPreferredProtocolForPeer).</summary>
        public const string SourceMember = "SourceMember";

        /// <summary>"True" when the send is one of PeerNet's own INetworkSender members, so the rewrite to NetworkClient is known to be equivalent.</summary>
        public const string IsPeerNetSend = "IsPeerNetSend";

        /// <summary>The name of the method the protocol is sent with (PN0001/PN0002), e.g. SendTo, or a user method that passes it on to one.</summary>
        public const string SinkMethod = "SinkMethod";

        /// <summary>PN0002: what was checked (e.g. "IsCurrent", or the SnapshotVersion comparison's text).</summary>
        public const string VersionCheck = "VersionCheck";

        /// <summary>PN0003: how the result was discarded: <see cref="DiscardedAsStatement"/>, <see cref="DiscardedToDiscard"/> or <see cref="DiscardedInUnreadLocal"/>.</summary>
        public const string DiscardKind = "DiscardKind";

        /// <summary>Value of <see cref="DiscardKind"/>: the call is an expression statement.</summary>
        public const string DiscardedAsStatement = "Statement";

        /// <summary>Value of <see cref="DiscardKind"/>: assigned to `_`.</summary>
        public const string DiscardedToDiscard = "Discard";

        /// <summary>Value of <see cref="DiscardKind"/>: stored in a local that is never read.</summary>
        public const string DiscardedInUnreadLocal = "UnreadLocal";

        /// <summary>PN0003: the discarded result's type, "Boolean" (TrySendWithCurrentProtocol) or "SendFailure" (TrySendOnConnection), or another type's name.</summary>
        public const string ResultType = "ResultType";

        /// <summary>PN0003: the name of the Try-send method whose result is discarded.</summary>
        public const string TrySendMethod = "TrySendMethod";
    }
}
