namespace PeerNet.Analyzers
{
    /// <summary>Where each rule's documentation lives (docs/rules/PNxxxx.md in the repository).</summary>
    internal static class HelpLinks
    {
        public const string Base = "https://github.com/peernet/PeerNet.Analyzers/blob/main/docs/rules/";
    }
}
