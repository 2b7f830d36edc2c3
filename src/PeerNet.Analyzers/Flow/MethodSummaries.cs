using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// The <see cref="MethodSummary">summaries</see> of the compilation's methods, computed on demand and
    /// cached per (method, remaining call depth) for the compilation: what a call returns, passes to a sink,
    /// leaves in out/ref arguments and writes to fields and properties.
    /// </summary>
    internal sealed class MethodSummaries
    {
        private readonly CompilationAnalysis _context;

        private readonly ConcurrentDictionary<(IMethodSymbol, int), System.Lazy<MethodSummary>> _summaries =
            new ConcurrentDictionary<(IMethodSymbol, int), System.Lazy<MethodSummary>>(SymbolDepthComparer<IMethodSymbol>.Instance);

        private readonly ConcurrentDictionary<(IMethodSymbol, int), System.Lazy<MethodSummary>> _flowSummaries =
            new ConcurrentDictionary<(IMethodSymbol, int), System.Lazy<MethodSummary>>(SymbolDepthComparer<IMethodSymbol>.Instance);

        public MethodSummaries(CompilationAnalysis context) => _context = context;

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

        /// <summary>The summary of <paramref name="method"/> following calls <paramref name="depth"/> deep (0 = opaque).</summary>
        public MethodSummary Get(IMethodSymbol method, int depth, CancellationToken cancellationToken)
        {
            if (depth <= 0) return MethodSummary.Opaque;
            method = (method.PartialImplementationPart ?? method).OriginalDefinition;
            if (!_context.RelevantNames.Contains(method.AssociatedSymbol?.Name ?? method.Name)) return MethodSummary.Opaque;
            if (!IsInSource(method)) return MethodSummary.Opaque;
            return ConcurrentCache.GetOrCompute(_summaries, (method, depth), key => ComputeSummary(key.Item1, key.Item2, cancellationToken), cancellationToken);
        }

        /// <summary>
        /// The summary of a method of the compilation that mentions nothing relevant, computed only when a
        /// snapshot-derived value is actually passed to it (from a body being analyzed): how its parameters
        /// flow to its result, so that `Pick(staleSet)` returning a constant is clean.
        /// </summary>
        public MethodSummary GetParameterFlow(IMethodSymbol method, int depth, CancellationToken cancellationToken)
        {
            if (depth <= 0) return MethodSummary.Opaque;
            method = (method.PartialImplementationPart ?? method).OriginalDefinition;
            if (!IsInSource(method)) return MethodSummary.Opaque;
            return ConcurrentCache.GetOrCompute(_flowSummaries, (method, depth), key => ComputeSummary(key.Item1, key.Item2, cancellationToken, force: true), cancellationToken);
        }

        private MethodSummary ComputeSummary(IMethodSymbol method, int depth, CancellationToken cancellationToken, bool force = false)
        {
            var root = _context.Graphs.GetBodyOperation(method, cancellationToken);
            if (root is null) return MethodSummary.Opaque;
            if (!force && !_context.Gate.ContainsPotentialSource(root, depth, cancellationToken) && !_context.Gate.ContainsPotentialSink(root, depth, cancellationToken))
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
            var result = new BodyAnalysis(_context, depth, collector, writes, cancellationToken).AnalyzeRoot(cfg, entry);

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
