using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// The flow engine's per-compilation context, created in a CompilationStart action: the resolved
    /// symbols, the relevant symbols (what can matter, by symbol), and the method summaries and
    /// field/property taints, each computed once on demand (recursion solved to a fixed point). Nothing of an analyzed body is kept in it, and nothing outlives its
    /// compilation.
    /// </summary>
    /// <remarks>
    /// The engine, one job per file (after roslyn-analyzers' DisposeAnalysis): the value is
    /// <see cref="Taint"/> (with its <see cref="Origin"/>s), the domain <see cref="FlowState"/> (join is
    /// union), the solver <see cref="FlowSolver"/> (worklist, with <see cref="ControlDependence"/> for implicit
    /// flow), the transfer function <see cref="TaintTransfer"/> (core; assignments; tuples; member reads;
    /// calls; lambdas and local functions), one analysis of a body <see cref="BodyAnalysis"/>, and this
    /// per-compilation context with its helpers: <see cref="SourceGate"/> (what gets a graph),
    /// <see cref="MethodSummaries"/>, <see cref="MemberTaints"/>, <see cref="BodyGraphs"/> (operations and
    /// graphs of other bodies) and <see cref="Flow.RelevantSymbols"/>. The rules build diagnostics from the
    /// <see cref="SinkFinding"/>s it returns.
    /// </remarks>
    internal sealed class CompilationAnalysis
    {
        private readonly Lazy<RelevantSymbols> _relevantSymbols;

        /// <param name="symbols">The compilation's symbols.</param>
        /// <param name="backwardBudget">How many units the gate's backward searches may bind before it answers from the forward cone (<see cref="RelevantSymbols.DefaultBackwardBudget"/>; tests vary it, the answers must not change).</param>
        /// <param name="stopReadingAt">How many more trees a round of the name closure must read before it may stop (<see cref="RelevantSymbols.StopReadingAt"/>; tests vary it, the answers must not change).</param>
        public CompilationAnalysis(WellKnownSymbols symbols, int backwardBudget = RelevantSymbols.DefaultBackwardBudget, int stopReadingAt = RelevantSymbols.StopReadingAt)
        {
            Symbols = symbols;
            Graphs = new BodyGraphs(symbols.Compilation);
            Dispatch = new DispatchTargets(symbols.Compilation);
            _relevantSymbols = new Lazy<RelevantSymbols>(() => RelevantSymbols.Build(symbols, Graphs, Dispatch, backwardBudget, stopReadingAt, CancellationToken.None), LazyThreadSafetyMode.ExecutionAndPublication);
            Gate = new SourceGate(this);
            var stack = new FixedPointStack();
            Summaries = new MethodSummaries(this, stack);
            MemberTaints = new MemberTaints(this, stack);
        }

        public WellKnownSymbols Symbols { get; }

        /// <summary>The bodies and members that can matter (see <see cref="Flow.RelevantSymbols"/>), found once.</summary>
        public RelevantSymbols RelevantSymbols => _relevantSymbols.Value;

        public BodyGraphs Graphs { get; }

        /// <summary>The implementations a call through an interface or virtual member may reach, once per member.</summary>
        public DispatchTargets Dispatch { get; }

        public SourceGate Gate { get; }

        public MethodSummaries Summaries { get; }

        public MemberTaints MemberTaints { get; }

        /// <summary>
        /// Finds the relevant symbols now, on the calling thread (a compilation-start action), instead of on
        /// the first body: otherwise every other thread that reaches a body meanwhile waits for it. So is the
        /// sources question's forward cone when that question is to be answered from it at once
        /// (<see cref="RelevantSymbols.PrepareSources"/>).
        /// </summary>
        public void Prepare(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _relevantSymbols.Value.PrepareSources(cancellationToken);
        }

        /// <summary>
        /// Analyzes one body (its graph) and returns the sinks reached by snapshot-derived values. Returns
        /// an empty list without building anything when the body contains no possible source.
        /// </summary>
        public IReadOnlyList<SinkFinding> AnalyzeBody(IOperation root, Func<ControlFlowGraph?> graph, CancellationToken cancellationToken)
        {
            if (!Gate.MayContainSource(root.Syntax, cancellationToken)) return Array.Empty<SinkFinding>();
            if (!Gate.ContainsPotentialSource(root, cancellationToken)) return Array.Empty<SinkFinding>();
            var cfg = graph();
            if (cfg is null) return Array.Empty<SinkFinding>();
            var collector = new FindingCollector();
            new BodyAnalysis(this, collector, null, cancellationToken).AnalyzeRoot(cfg, FlowState.Empty);
            return collector.Findings.Where(f => f.Taint.HasSource).ToList();
        }
    }
}
