using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PeerNet.Analyzers.Flow;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// The gate's name closure stops before reading most of a compilation once its names no longer filter (a round would
/// read at least <see cref="RelevantSymbols.StopReadingAt"/> more trees and pass half of them), and takes the names
/// declared anywhere instead. Those must be a superset of every closure: the answers, hence the diagnostics, are the
/// same as with the closure run to its end, while the trees no round reached are never read.
/// </summary>
public class PN0001PN0002ClosureStopTests
{
    private const string Usings = AnalyzerVerifier<PN0001PN0002SnapshotRaceAnalyzer>.Usings;

    // A stale protocol set stored in a field with a common name (Value); the names found after the round that
    // reaches every tree naming Value: a property of another type (Current) and a record's positional property
    // assigned in a `with` (Protocols), by a unit that only a later round would read.
    private const string Tracker = Usings + """
        class Tracker
        {
            readonly PeersAndMetadata _store = new PeersAndMetadata();
            public ProtocolIdSet Value = ProtocolIdSet.Empty;
            public void Refresh(PeerNetworkId p) { Value = _store.GetMetadataForPeer(p).SupportedProtocols; }
            public void Send(INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, Value.First(), m);
        }
        """;

    private const string Facade = Usings + """
        class Facade
        {
            readonly Tracker _tracker = new Tracker();
            public ProtocolId Current => _tracker.Value.First();
            public ProtocolId Constant => ProtocolId.ConsensusRpcBcs;
        }
        """;

    private const string FacadeUser = Usings + """
        class FacadeUser
        {
            public void SendCurrent(Facade f, INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, f.Current, m);
            public void SendConstant(Facade f, INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, f.Constant, m);
        }
        """;

    private const string Planner = Usings + """
        sealed record Plan(ProtocolIdSet Protocols);
        class Planner
        {
            readonly PeersAndMetadata _store = new PeersAndMetadata();
            Plan _plan = new Plan(ProtocolIdSet.Empty);
            ProtocolIdSet Fresh(PeerNetworkId p) => _store.GetMetadataForPeer(p).SupportedProtocols;
            public void Refresh(PeerNetworkId p) => _plan = _plan with { Protocols = Fresh(p) };
            public Plan Current() => _plan;
        }
        """;

    private const string PlanUser = Usings + """
        class PlanUser
        {
            public void SendPlan(Plan plan, INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, plan.Protocols.First(), m);
        }
        """;

    // A stale protocol stored into a named tuple element of a field and of a local: the engine follows a tuple's
    // elements as part of its value, not as members, and the names the stopped closure takes leave them out.
    private const string TupleHolder = Usings + """
        class TupleHolder
        {
            (ProtocolId Chosen, int Count) _state;
            public void Pick(Tracker t) { _state.Chosen = t.Value.First(); }
            public void SendState(INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, _state.Chosen, m);
            public void SendLocal(Tracker t, INetworkSender s, PeerNetworkId p, Message m) { (ProtocolId Chosen, int N) x = default; x.Chosen = t.Value.First(); s.SendTo(p.PeerId, x.Chosen, m); }
        }
        """;

    // 100 trees naming Value and Current on types of their own, 40 naming nothing that can matter.
    private static IEnumerable<(string Path, string Text)> Corpus() =>
        new[] { Tracker, Facade, FacadeUser, Planner, PlanUser, TupleHolder }.Select((t, i) => ($"/0/Shapes{i}.cs", t))
            .Concat(Enumerable.Range(0, 100).Select(i => ($"/0/LookAlike{i}.cs", $"class LookAlike{i} {{ public int Value; public int Current => Value; int Twice() => Value * 2; }}")))
            .Concat(Enumerable.Range(0, 40).Select(i => ($"/0/Quiet{i}.cs", $"class Quiet{i} {{ int _n; int Next() => _n + 1; }}")));

    private static async Task<CSharpCompilation> CompileAsync()
    {
        var compilation = await DirectRunner.CompileAsync(Corpus());
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return compilation;
    }

    private static async Task<List<string>> DiagnosticsAsync(int budget, int stopReadingAt)
    {
        var analyzer = new PN0001PN0002SnapshotRaceAnalyzer { BackwardBudget = budget, ClosureStopsAt = stopReadingAt };
        var diagnostics = await DirectRunner.RunAsync(analyzer, await CompileAsync());
        return diagnostics.Select(d => $"{d.Id} {d.Location.SourceTree?.FilePath}:{d.Location.GetLineSpan().StartLinePosition} {d.GetMessage()}").ToList();
    }

    [Fact]
    public async Task The_diagnostics_are_those_of_the_closure_run_to_its_end()
    {
        var complete = await DiagnosticsAsync(RelevantSymbols.DefaultBackwardBudget, int.MaxValue);
        Assert.Contains(complete, d => d.StartsWith("PN0001 /0/Shapes0.cs:", StringComparison.Ordinal) && d.Contains("'Value.First()'", StringComparison.Ordinal));
        Assert.Contains(complete, d => d.StartsWith("PN0001 /0/Shapes2.cs:", StringComparison.Ordinal) && d.Contains("'f.Current'", StringComparison.Ordinal));
        Assert.DoesNotContain(complete, d => d.Contains("f.Constant", StringComparison.Ordinal));
        Assert.DoesNotContain(complete, d => d.Contains("LookAlike", StringComparison.Ordinal) || d.Contains("Quiet", StringComparison.Ordinal));

        foreach (var budget in new[] { 0, RelevantSymbols.DefaultBackwardBudget, int.MaxValue })
        {
            Assert.Equal(complete, await DiagnosticsAsync(budget, RelevantSymbols.StopReadingAt));
        }
    }

    [Fact]
    public async Task The_stopped_closure_reads_only_the_trees_its_first_rounds_reached()
    {
        // Backward only (no cone at preparation): what preparation reads is the closure's reading alone.
        var stopped = await PrepareAsync(RelevantSymbols.StopReadingAt);
        Assert.Equal((false, false), stopped.Analysis.RelevantSymbols.NamesAreClosures);
        Assert.InRange(RelevantSymbols.ReadTreeCount(stopped.Compilation), 1, 5); // the trees naming a seed

        var complete = await PrepareAsync(int.MaxValue);
        Assert.Equal((true, true), complete.Analysis.RelevantSymbols.NamesAreClosures);
        Assert.InRange(RelevantSymbols.ReadTreeCount(complete.Compilation), 100, 106); // and every tree naming Value

        static async Task<(CompilationAnalysis Analysis, CSharpCompilation Compilation)> PrepareAsync(int stopReadingAt)
        {
            var compilation = await CompileAsync(); // new trees: nothing read yet
            var symbols = WellKnownSymbols.TryCreate(compilation, new DirectRunner.DictionaryOptionsProvider(new Dictionary<string, string>()))!;
            var analysis = new CompilationAnalysis(symbols, int.MaxValue, stopReadingAt);
            analysis.Prepare(default);
            return (analysis, compilation);
        }
    }

    [Fact]
    public async Task Every_answer_is_that_of_the_closure_run_to_its_end()
    {
        var compilation = await CompileAsync();
        var symbols = WellKnownSymbols.TryCreate(compilation, new DirectRunner.DictionaryOptionsProvider(new Dictionary<string, string>()))!;
        var bodies = compilation.SyntaxTrees
            .SelectMany(t => t.GetRoot().DescendantNodes().Where(n => n is BaseMethodDeclarationSyntax or PropertyDeclarationSyntax or AccessorDeclarationSyntax))
            .ToList();
        var methods = bodies.OfType<MethodDeclarationSyntax>().Select(m => compilation.GetSemanticModel(m.SyntaxTree).GetDeclaredSymbol(m)!).ToList();

        foreach (var budget in new[] { 0, int.MaxValue })
        {
            var complete = new CompilationAnalysis(symbols, budget, int.MaxValue);
            var stopped = new CompilationAnalysis(symbols, budget, RelevantSymbols.StopReadingAt);
            complete.Prepare(default);
            stopped.Prepare(default);
            Assert.Equal((false, false), stopped.RelevantSymbols.NamesAreClosures);

            var mentioned = GateAnswers.AssertSame(complete, stopped, bodies, methods, $"(budget {budget})");

            // Found only through names that no round before the stop reached: Current (a property of another type)
            // and Protocols (a record's positional property, assigned in a `with`); not the look-alikes.
            Assert.Contains(mentioned, b => b.Contains("SendCurrent", StringComparison.Ordinal));
            Assert.Contains(mentioned, b => b.Contains("SendPlan", StringComparison.Ordinal));
            Assert.DoesNotContain(mentioned, b => b.Contains("Twice", StringComparison.Ordinal) || b.Contains("Next", StringComparison.Ordinal));
        }
    }
}
