using Microsoft.CodeAnalysis;
using PeerNet.Analyzers.Flow;

namespace PeerNet.Analyzers.Tests;

/// <summary>The gate's answers compared between two analyses of one compilation that must agree (budgets, closure stops).</summary>
internal static class GateAnswers
{
    /// <summary>
    /// Asserts that <paramref name="actual"/> answers every body's <c>IsMentionedIn</c> and every method's
    /// <c>IsWorthSummarizing</c> and <c>MayYieldSource</c> as <paramref name="expected"/> does; returns the first line of
    /// each body found mentioned.
    /// </summary>
    public static List<string> AssertSame(CompilationAnalysis expected, CompilationAnalysis actual, IEnumerable<SyntaxNode> bodies, IEnumerable<IMethodSymbol> methods, string what = "")
    {
        var mentioned = new List<string>();
        foreach (var body in bodies)
        {
            var line = body.ToString().Split('\n')[0];
            var answer = expected.RelevantSymbols.IsMentionedIn(body, default);
            Assert.True(answer == actual.RelevantSymbols.IsMentionedIn(body, default), $"IsMentionedIn differs for {line} {what}");
            if (answer) mentioned.Add(line);
        }

        foreach (var method in methods)
        {
            Assert.True(
                expected.RelevantSymbols.IsWorthSummarizing(method, default) == actual.RelevantSymbols.IsWorthSummarizing(method, default),
                $"IsWorthSummarizing differs for {method.ToDisplayString()} {what}");
            Assert.True(
                expected.RelevantSymbols.MayYieldSource(method, default) == actual.RelevantSymbols.MayYieldSource(method, default),
                $"MayYieldSource differs for {method.ToDisplayString()} {what}");
        }

        return mentioned;
    }

    /// <summary>
    /// The PN0001/PN0002 diagnostics of one source file analyzed with the gate's backward budget set to 0 (every question
    /// from the cones) and to unlimited (every question searched backward), which must be equal; returns the first.
    /// </summary>
    public static async Task<List<string>> SameDiagnosticsEitherWayAsync(string path, string source)
    {
        async Task<List<string>> DiagnosticsAsync(int budget)
        {
            var diagnostics = await DirectRunner.RunAsync(new PN0001PN0002SnapshotRaceAnalyzer { BackwardBudget = budget }, new[] { (path, source) });
            return diagnostics.Select(d => $"{d.Id} {d.Location.GetLineSpan().StartLinePosition} {d.GetMessage()}").ToList();
        }

        var cone = await DiagnosticsAsync(0);
        Assert.Equal(await DiagnosticsAsync(int.MaxValue), cone);
        return cone;
    }
}
