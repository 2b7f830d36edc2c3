namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>
    /// The equivalence keys of the code actions: Fix All applies the actions of one key. Users' tooling and the tests
    /// rely on these exact strings: never change them.
    /// </summary>
    internal static class EquivalenceKeys
    {
        /// <summary>PN0001: rewrite to NetworkClient's atomic send.</summary>
        public const string StaleProtocol = "PN0001.UseTrySendWithCurrentProtocol";

        /// <summary>PN0002: rewrite to NetworkClient's atomic send, the guard removed.</summary>
        public const string CheckThenSend = "PN0002.UseTrySendWithCurrentProtocol";

        /// <summary>PN0001: rewrite to NetworkClient's atomic send with the client's configured preferences (the overloads without a list).</summary>
        public const string StaleProtocolClientPreferences = "PN0001.UseTrySendWithCurrentProtocol.ClientPreferences";

        /// <summary>PN0002: rewrite to NetworkClient's atomic send with the client's configured preferences, the guard removed.</summary>
        public const string CheckThenSendClientPreferences = "PN0002.UseTrySendWithCurrentProtocol.ClientPreferences";

        /// <summary>PN0003: throw PeerNetException when the send fails.</summary>
        public const string ThrowOnFailure = "PN0003.ThrowPeerNetException";

        /// <summary>PN0003: return the result.</summary>
        public const string ReturnResult = "PN0003.ReturnResult";
    }
}
