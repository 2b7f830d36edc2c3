namespace PeerNet.Package.Tests;

/// <summary>
/// Where the packed analyzers must report in samples/LegacySender: 1-based line and column of the
/// diagnostic's location (the send invocation), as the compiler prints them. If the sample changes,
/// update these from its source.
/// </summary>
internal static class ExpectedDiagnostics
{
    public static readonly IReadOnlyList<(string File, int Line, int Column, string Id)> InSample = new[]
    {
        // SendVote: GetPreferredProtocolForPeer, then SendTo with that protocol.
        ("DirectSends.cs", 25, 13, "PN0001"),
        // SendProposal: GetSupportedProtocols + Contains(candidate), then SendTo with the candidate.
        ("DirectSends.cs", 36, 21, "PN0001"),
        // Announce: TrySendWithCurrentProtocol as a statement, its result discarded.
        ("FireAndForget.cs", 14, 13, "PN0003"),
        // SendTransactions: if (IsCurrent(snapshot.Version)) SendTo(...), check-then-act.
        ("GuardedSend.cs", 24, 17, "PN0002"),
        // FetchBlockAsync: GetPreferredProtocolForPeer, then await SendRpcAsync with that protocol.
        ("RpcCalls.cs", 22, 26, "PN0001"),
    };

    public static string Describe(IEnumerable<(string File, int Line, int Column, string Id)> diagnostics) =>
        string.Join(Environment.NewLine, diagnostics.Select(d => $"  {d.File}({d.Line},{d.Column}): {d.Id}"));
}
