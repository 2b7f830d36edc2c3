using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// The <see cref="MethodSummary">summaries</see> of the compilation's methods, computed on demand and
    /// once per method for the compilation (<see cref="FixedPointCache{TKey, TValue}"/>): what a call returns, passes to a sink,
    /// leaves in out/ref arguments and writes to fields and properties.
    /// </summary>
    internal sealed class MethodSummaries
    {
        private readonly CompilationAnalysis _context;

        private readonly FixedPointCache<IMethodSymbol, MethodSummary> _summaries;

        private readonly FixedPointCache<IMethodSymbol, MethodSummary> _flowSummaries;

        public MethodSummaries(CompilationAnalysis context, FixedPointStack stack)
        {
            _context = context;
            _summaries = new FixedPointCache<IMethodSymbol, MethodSummary>(stack, SymbolEqualityComparer.Default, MethodSummary.Least, MethodSummary.Opaque, MethodSummary.Same);
            _flowSummaries = new FixedPointCache<IMethodSymbol, MethodSummary>(stack, SymbolEqualityComparer.Default, MethodSummary.Least, MethodSummary.Opaque, MethodSummary.Same);
        }

        /// <summary>Whether <paramref name="method"/> has a body in this compilation (else it has no summary).</summary>
        public bool IsInSource(IMethodSymbol method)
        {
            method = method.PartialImplementationPart ?? method;
            if (method.IsAbstract || method.IsExtern) return false;
            foreach (var reference in method.OriginalDefinition.DeclaringSyntaxReferences)
            {
                if (_context.Symbols.Compilation.ContainsSyntaxTree(reference.SyntaxTree)) return true;
            }

            return false;
        }

        /// <summary>
        /// The summary of <paramref name="method"/>, computed once for the compilation (following every call
        /// it makes; recursion solved to a fixed point). Opaque for a method that references nothing relevant
        /// by symbol, directly or through what it calls or reads.
        /// </summary>
        public MethodSummary Get(IMethodSymbol method, CancellationToken cancellationToken)
        {
            method = (method.PartialImplementationPart ?? method).OriginalDefinition;
            if (!_context.RelevantSymbols.IsWorthSummarizing(method, cancellationToken)) return MethodSummary.Opaque;
            if (!IsInSource(method)) return MethodSummary.Opaque;
            return _summaries.Get(method, key => ComputeSummary(key, cancellationToken), cancellationToken);
        }

        /// <summary>
        /// The summary of a method of the compilation that receives a snapshot-derived value (from a body being
        /// analyzed, or a parameter inside a summary), computed whatever the method mentions: how its parameters
        /// flow to its result and its sinks, so that `Pick(staleSet)` returning a constant is clean.
        /// </summary>
        public MethodSummary GetParameterFlow(IMethodSymbol method, CancellationToken cancellationToken)
        {
            method = (method.PartialImplementationPart ?? method).OriginalDefinition;
            if (!IsInSource(method)) return MethodSummary.Opaque;

            // Already summarized through the gate (a call with nothing stale going in): the same computation, not repeated.
            if (_summaries.TryGetFinal(method, out var known) && !known.IsOpaque) return known;
            return _flowSummaries.Get(method, key => ComputeSummary(key, cancellationToken, force: true), cancellationToken);
        }

        private MethodSummary ComputeSummary(IMethodSymbol method, CancellationToken cancellationToken, bool force = false)
        {
            var root = _context.Graphs.GetBodyOperation(method, cancellationToken);
            if (root is null) return MethodSummary.Opaque;
            if (!force && !_context.Gate.ContainsPotentialSource(root, cancellationToken) && !_context.Gate.ContainsPotentialSink(root, cancellationToken))
                return MethodSummary.Opaque;

            var cfg = BodyGraphs.Create(root, cancellationToken);
            if (cfg is null) return MethodSummary.Opaque;
            var entry = FlowState.Empty;
            foreach (var p in method.Parameters)
            {
                entry = entry.Set(p, Taint.Of(Origin.Parameter(p.Ordinal), _context.Symbols.IsProtocolLike(p.Type)));
            }

            var collector = new FindingCollector();
            var writes = new Dictionary<ISymbol, Taint>(SymbolEqualityComparer.Default);
            var result = new BodyAnalysis(_context, collector, writes, cancellationToken).AnalyzeRoot(cfg, entry);

            var outs = ImmutableDictionary.CreateBuilder<int, Taint>();
            foreach (var p in method.Parameters)
            {
                if (p.RefKind is RefKind.Out or RefKind.Ref)
                {
                    var t = result.Exit.Get(p);
                    if (!t.IsClean) outs[p.Ordinal] = t;
                }
            }

            var sinks = ImmutableDictionary.CreateBuilder<int, string>();
            foreach (var finding in collector.Findings)
            {
                foreach (var origin in finding.Taint.Origins)
                {
                    if (origin.Kind == OriginKind.Parameter && !sinks.ContainsKey(origin.Ordinal)) sinks[origin.Ordinal] = finding.SendKind;
                }
            }

            return new MethodSummary(false, result.Returned, outs.ToImmutable(), sinks.ToImmutable(),
                writes.ToImmutableDictionary(SymbolEqualityComparer.Default), SinkPaths.Of(collector));
        }

    }
}
