using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// One analysis of a body (the analyzed body itself, or a method or initializer being summarized) and of
    /// the lambdas and local functions in it: what its graphs share (the findings, the member writes, the
    /// local functions on the call stack and those already analyzed). Each graph is solved by
    /// <see cref="FlowSolver"/> with its own <see cref="TaintTransfer"/>.
    /// </summary>
    internal sealed class BodyAnalysis
    {
        /// <summary>How deep lambdas and local functions are followed inside one body.</summary>
        public const int MaxNesting = 4;

        public BodyAnalysis(CompilationAnalysis compilation, FindingCollector collector, Dictionary<ISymbol, Taint>? memberWrites, CancellationToken cancellationToken)
        {
            Compilation = compilation;
            Collector = collector;
            MemberWrites = memberWrites;
            CancellationToken = cancellationToken;
        }

        public CompilationAnalysis Compilation { get; }

        public FindingCollector Collector { get; }

        /// <summary>When summarizing: the fields and properties assigned a snapshot-derived value.</summary>
        public Dictionary<ISymbol, Taint>? MemberWrites { get; }

        public CancellationToken CancellationToken { get; }

        /// <summary>The local functions being analyzed at a call (recursion is not followed).</summary>
        public HashSet<IMethodSymbol> LocalFunctionStack { get; } = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);

        /// <summary>The local functions analyzed at a call (the others are analyzed on their own at the end).</summary>
        public HashSet<IMethodSymbol> AnalyzedLocalFunctions { get; } = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);

        /// <summary>Analyzes <paramref name="cfg"/> from <paramref name="entry"/>; also every local function never called.</summary>
        public BodyResult AnalyzeRoot(ControlFlowGraph cfg, FlowState entry) => AnalyzeGraph(cfg, entry, Taint.Clean, 0);

        /// <summary>
        /// Solves <paramref name="cfg"/> (the body, or a lambda or local function <paramref name="nesting"/>
        /// levels in) under the implicit flow <paramref name="basePc"/>, then the local functions declared in
        /// it that no call reached.
        /// </summary>
        public BodyResult AnalyzeGraph(ControlFlowGraph cfg, FlowState entry, Taint basePc, int nesting)
        {
            var transfer = new TaintTransfer(this, cfg, basePc, nesting);
            var result = FlowSolver.Solve(cfg, entry, basePc, transfer, CancellationToken, out var union);
            AnalyzeUncalledLocalFunctions(cfg, union, nesting);
            return result;
        }

        private void AnalyzeUncalledLocalFunctions(ControlFlowGraph cfg, FlowState union, int nesting)
        {
            foreach (var local in cfg.LocalFunctions)
            {
                if (AnalyzedLocalFunctions.Contains(local) || nesting >= MaxNesting) continue;
                AnalyzedLocalFunctions.Add(local);
                var inner = cfg.GetLocalFunctionControlFlowGraph(local, CancellationToken);
                AnalyzeGraph(inner, union.WithoutCaptures(), Taint.Clean, nesting + 1);
            }
        }
    }
}
