using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>
/// The analyzers the fix tests run: the only place in this project that names the shipped analyzer classes, so
/// that merging or renaming them is a one-line change here.
/// </summary>
internal static class TestAnalyzers
{
    /// <summary>PN0001, PN0002 and PN0003 as shipped: their locations, additional locations and properties drive the fixes.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Shipped() =>
        ImmutableArray.Create<DiagnosticAnalyzer>(new PN0001PN0002SnapshotRaceAnalyzer(), new PN0003DiscardedTrySendResultAnalyzer());

    /// <summary>The contract stand-in, for the few tests that must isolate the fix from the analyzer's precision.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> ContractStub() =>
        ImmutableArray.Create<DiagnosticAnalyzer>(new ContractStubAnalyzer());
}
