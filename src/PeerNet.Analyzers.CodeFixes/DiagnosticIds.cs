namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>
    /// The ids the code fixes handle. Stand-in with the names of the analyzer's own <c>PeerNet.Analyzers.DiagnosticIds</c>
    /// (being added on the analyzer branch): once that class is on main, delete this file and every use binds to it.
    /// </summary>
    internal static class DiagnosticIds
    {
        /// <summary>PN0001: a protocol from a cached snapshot reaches a send.</summary>
        public const string StaleProtocol = "PN0001";

        /// <summary>PN0002: a version check guards a separate send.</summary>
        public const string CheckThenSend = "PN0002";

        /// <summary>PN0003: the result of a Try-send is discarded.</summary>
        public const string DiscardedTrySendResult = "PN0003";
    }
}
