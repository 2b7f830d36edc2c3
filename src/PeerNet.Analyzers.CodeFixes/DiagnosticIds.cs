namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>The diagnostics the code fixes handle and the equivalence keys of their actions.</summary>
    internal static class FixIds
    {
        public const string StaleProtocol = "PN0001";
        public const string CheckThenSend = "PN0002";
        public const string DiscardedTrySend = "PN0003";

        public const string StaleProtocolKey = "PN0001.UseTrySendWithCurrentProtocol";
        public const string CheckThenSendKey = "PN0002.UseTrySendWithCurrentProtocol";
        public const string ThrowOnFailureKey = "PN0003.ThrowPeerNetException";
        public const string ReturnResultKey = "PN0003.ReturnResult";
    }
}
