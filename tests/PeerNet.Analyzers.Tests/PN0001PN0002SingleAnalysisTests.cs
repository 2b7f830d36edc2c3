using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// PN0001 and PN0002 are one analyzer with one analysis per body. Each rule reports the same whichever of
/// them is enabled, and nothing of a body (its findings, its graph, the graph's operations) is kept once its
/// diagnostics are reported, while the compilation and the analyzer's per-compilation state are still alive.
/// </summary>
public class PN0001PN0002SingleAnalysisTests
{
    private const string Source = AnalyzerVerifier<PN0001PN0002SnapshotRaceAnalyzer>.Usings + """
        class C
        {
            NetworkClient client = null!;
            PeersAndMetadata store = null!;
            PeerNetworkId peer;
            IReadOnlyList<ProtocolId> prefs = null!;
            Message msg = null!;
            INetworkSender Sender => client.GetSenderForNetwork(peer.NetworkId);

            void Racy() => Sender.SendTo(peer.PeerId, client.GetPreferredProtocolForPeer(peer, prefs), msg);

            void Guarded()
            {
                var snapshot = store.GetSnapshot();
                var protocol = snapshot.GetMetadataForPeer(peer).SupportedProtocols.First();
                if (store.IsCurrent(snapshot.Version))
                {
                    Sender.SendTo(peer.PeerId, protocol, msg);
                }
            }

            void Both()
            {
                var snapshot = store.GetSnapshot();
                var protocol = snapshot.GetMetadataForPeer(peer).SupportedProtocols.First();
                Sender.SendTo(peer.PeerId, protocol, msg);
                if (store.IsCurrent(snapshot.Version))
                {
                    Sender.SendTo(peer.PeerId, protocol, msg);
                }
            }

            ProtocolId Pick() => client.GetPreferredProtocolForPeer(peer, prefs);

            void ThroughSummary() => Sender.SendTo(peer.PeerId, Pick(), msg);

            bool Atomic() => client.TrySendWithCurrentProtocol(peer, prefs, msg, out _);
        }
        """;

    private static readonly string[] Pn0001 = { "PN0001 Racy", "PN0001 Both", "PN0001 ThroughSummary" };
    private static readonly string[] Pn0002 = { "PN0002 Guarded", "PN0002 Both" };

    public static TheoryData<string> Enabled => new() { "PN0001", "PN0002", "both" };

    private static string[] Expected(string enabled) =>
        (enabled switch { "PN0001" => Pn0001, "PN0002" => Pn0002, _ => Pn0001.Concat(Pn0002).ToArray() })
            .OrderBy(s => s, StringComparer.Ordinal).ToArray();

    [Theory]
    [MemberData(nameof(Enabled))]
    public async Task Each_rule_reports_the_same_whichever_rules_are_enabled_and_on_a_second_analysis(string enabled)
    {
        var compilation = await CompileAsync(enabled);
        var first = Describe(await DirectRunner.RunAsync(new PN0001PN0002SnapshotRaceAnalyzer(), compilation));
        var second = Describe(await DirectRunner.RunAsync(new PN0001PN0002SnapshotRaceAnalyzer(), compilation));
        Assert.Equal(Expected(enabled), first);
        Assert.Equal(Expected(enabled), second);
    }

    [Theory]
    [MemberData(nameof(Enabled))]
    public async Task No_body_findings_graph_or_operations_are_retained_after_reporting(string enabled)
    {
        var run = await AnalyzeAndTrackAsync(enabled);

        // Not vacuous: the bodies were analyzed on graphs and their findings reported.
        Assert.Equal(Expected(enabled), run.Reported);
        Assert.True(run.Graphs >= 5, $"graphs built: {run.Graphs}");
        Assert.True(run.Findings >= 5, $"findings seen: {run.Findings}");

        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        var alive = run.Tracked.Where(t => t.Reference.IsAlive).Select(t => t.What).ToList();
        Assert.True(alive.Count == 0, "still reachable after reporting: " + string.Join(", ", alive));

        // Whatever could hold them stays alive until here: the compilation the analyzer saw (the driver's
        // copy), the driver, the analyzer and its per-compilation state.
        GC.KeepAlive(run.KeepAlive);
    }

    private sealed record Run(List<(string What, WeakReference Reference)> Tracked, string[] Reported, int Graphs, int Findings, object[] KeepAlive);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<Run> AnalyzeAndTrackAsync(string enabled)
    {
        var compilation = await CompileAsync(enabled);
        var tracked = new List<(string What, WeakReference Reference)>();
        var contexts = new List<object>();
        int graphs = 0, findings = 0;
        var analyzer = new PN0001PN0002SnapshotRaceAnalyzer();
        analyzer.BodyReported = (context, bodyFindings, graph) =>
        {
            lock (tracked)
            {
                if (!contexts.Contains(context)) contexts.Add(context);
                tracked.Add(("findings list", new WeakReference(bodyFindings)));
                if (graph is not null)
                {
                    graphs++;
                    tracked.Add(("graph", new WeakReference(graph)));
                }

                foreach (var finding in bodyFindings)
                {
                    findings++;
                    tracked.Add(("finding", new WeakReference(finding)));
                    tracked.Add(("send operation " + finding.Send.Syntax, new WeakReference(finding.Send)));
                    if (finding.Argument is { } argument) tracked.Add(("argument operation " + argument.Syntax, new WeakReference(argument)));
                }
            }
        };

        var withAnalyzers = compilation.WithAnalyzers(
            ImmutableArray.Create<DiagnosticAnalyzer>(analyzer),
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        var reported = Describe(diagnostics.Where(d => d.Id.StartsWith("PN", StringComparison.Ordinal)).ToImmutableArray());
        Assert.NotEmpty(contexts);
        return new Run(tracked, reported, graphs, findings, new object[] { compilation, withAnalyzers, withAnalyzers.Compilation, analyzer, contexts });
    }

    private static async Task<Compilation> CompileAsync(string enabled)
    {
        var compilation = await DirectRunner.CompileAsync(new[] { ("/0/Test0.cs", Source) });
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var off = enabled switch { "PN0001" => "PN0002", "PN0002" => "PN0001", _ => null };
        if (off is null) return compilation;

        // `dotnet_diagnostic.PNxxxx.severity = none`, as the compiler applies it.
        return compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(
            ImmutableDictionary<string, ReportDiagnostic>.Empty.Add(off, ReportDiagnostic.Suppress)));
    }

    private static string[] Describe(ImmutableArray<Diagnostic> diagnostics) =>
        diagnostics.Select(d =>
        {
            var method = d.Location.SourceTree!.GetRoot().FindNode(d.Location.SourceSpan)
                .AncestorsAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().First();
            return $"{d.Id} {method.Identifier.ValueText}";
        }).OrderBy(s => s, StringComparer.Ordinal).ToArray();
}
