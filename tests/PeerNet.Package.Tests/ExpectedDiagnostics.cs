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
        // ShapesBeyondTheBasics.cs (issue 13): one finding per shape, each with a code fix.
        // ProtocolFromWrapperMethod: the protocol from a wrapper method.
        ("ShapesBeyondTheBasics.cs", 18, 13, "PN0001"),
        // ProtocolFromProperty: from a property.
        ("ShapesBeyondTheBasics.cs", 31, 13, "PN0001"),
        // ProtocolFromOutParameterHelper: from an out-parameter helper.
        ("ShapesBeyondTheBasics.cs", 49, 17, "PN0001"),
        // ProtocolFromExtensionMethod: from an extension method.
        ("ShapesBeyondTheBasics.cs", 65, 13, "PN0001"),
        // ProtocolFromCachedField: from a cached field.
        ("ShapesBeyondTheBasics.cs", 78, 13, "PN0001"),
        // MetadataChainFirst: snapshot.GetMetadataForPeer(p).SupportedProtocols.First().
        ("ShapesBeyondTheBasics.cs", 89, 13, "PN0001"),
        // TryGetMetadataForPeer.
        ("ShapesBeyondTheBasics.cs", 100, 17, "PN0001"),
        // ProtocolChosenOnOnePath.
        ("ShapesBeyondTheBasics.cs", 116, 13, "PN0001"),
        // SwitchExpressionOverMetadata.
        ("ShapesBeyondTheBasics.cs", 131, 13, "PN0001"),
        // PatternOverMetadata.
        ("ShapesBeyondTheBasics.cs", 143, 17, "PN0001"),
        // RecordAndWith.
        ("ShapesBeyondTheBasics.cs", 156, 13, "PN0001"),
        // LinqPlanSentInALoop.
        ("ShapesBeyondTheBasics.cs", 171, 17, "PN0001"),
        // ParallelRpcFanOut.
        ("ShapesBeyondTheBasics.cs", 184, 30, "PN0001"),
        // VersionEqualityGuard.
        ("ShapesBeyondTheBasics.cs", 200, 17, "PN0002"),
        // CurrentVersionGuardClauseThrows.
        ("ShapesBeyondTheBasics.cs", 218, 13, "PN0002"),
        // LoopUntilConsistent.
        ("ShapesBeyondTheBasics.cs", 234, 21, "PN0002"),
        // DiscardedResultInExpressionLambda.
        ("ShapesBeyondTheBasics.cs", 248, 37, "PN0003"),
        // DiscardedResultOnConditionalAccess.
        ("ShapesBeyondTheBasics.cs", 260, 21, "PN0003"),
        // ClientCapturedInLocalFunction.
        ("ShapesBeyondTheBasics.cs", 271, 26, "PN0001"),
        // SendReturnsBool.
        ("ShapesBeyondTheBasics.cs", 284, 13, "PN0001"),
    };

    public static string Describe(IEnumerable<(string File, int Line, int Column, string Id)> diagnostics) =>
        string.Join(Environment.NewLine, diagnostics.Select(d => $"  {d.File}({d.Line},{d.Column}): {d.Id}"));
}
