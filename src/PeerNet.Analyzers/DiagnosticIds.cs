namespace PeerNet.Analyzers
{
    /// <summary>The id of every rule of the package, in one table (rules, code fixes and tests name them from here).</summary>
    internal static class DiagnosticIds
    {
        /// <summary>PN0000: a configuration entry is not understood.</summary>
        public const string Configuration = "PN0000";

        /// <summary>PN0001: a protocol from a cached snapshot reaches a send without binding it to the connection.</summary>
        public const string StaleProtocol = "PN0001";

        /// <summary>PN0002: a snapshot version check guards a separate send (check-then-act).</summary>
        public const string CheckThenSend = "PN0002";

        /// <summary>PN0003: the result of a Try-send is discarded.</summary>
        public const string DiscardedTrySendResult = "PN0003";
    }
}
