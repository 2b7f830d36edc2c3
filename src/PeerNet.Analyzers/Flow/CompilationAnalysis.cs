using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>What a method of the compilation does with snapshot data, as seen from its callers.</summary>
    internal sealed class MethodSummary
    {
        public static readonly MethodSummary Opaque = new MethodSummary(
            true, Taint.Clean, ImmutableDictionary<int, Taint>.Empty, ImmutableDictionary<int, string>.Empty, ImmutableDictionary<ISymbol, Taint>.Empty);

        public MethodSummary(bool isOpaque, Taint returned, ImmutableDictionary<int, Taint> outParameters, ImmutableDictionary<int, string> sinkParameters, ImmutableDictionary<ISymbol, Taint> memberWrites)
        {
            IsOpaque = isOpaque;
            Returned = returned;
            OutParameters = outParameters;
            SinkParameters = sinkParameters;
            MemberWrites = memberWrites;
        }

        /// <summary>Not analyzed (no body, beyond the depth bound, or nothing relevant in it): callers derive
        /// its result from all its inputs.</summary>
        public bool IsOpaque { get; }

        /// <summary>The result's taint: Source origins (it is a snapshot read itself) and Parameter origins.</summary>
        public Taint Returned { get; }

        /// <summary>Out/ref parameters' taint at exit, by ordinal.</summary>
        public ImmutableDictionary<int, Taint> OutParameters { get; }

        /// <summary>Parameters passed on to a sink (it is a sink itself), by ordinal, with the send kind.</summary>
        public ImmutableDictionary<int, string> SinkParameters { get; }

        /// <summary>Fields and properties it assigns a snapshot-derived value to.</summary>
        public ImmutableDictionary<ISymbol, Taint> MemberWrites { get; }

        public bool HasSourceOutputs => Returned.HasSource || OutParameters.Values.Any(t => t.HasSource);
    }

    /// <summary>
    /// Per-compilation state of the flow engine, created in a CompilationStart action: lazily built, cached
    /// method summaries and field/property taints, bounded by a call depth. Nothing of an analyzed body is
    /// kept in it, and nothing outlives its compilation.
    /// </summary>
    internal sealed class CompilationAnalysis
    {
        /// <summary>How many calls deep summaries follow (the analyzed body is depth <see cref="MaxDepth"/>).</summary>
        public const int MaxDepth = 3;

        private readonly ConcurrentDictionary<(IMethodSymbol, int), Lazy<MethodSummary>> _summaries =
            new ConcurrentDictionary<(IMethodSymbol, int), Lazy<MethodSummary>>(new SymbolDepthComparer());

        private readonly ConcurrentDictionary<(ISymbol, int), Lazy<bool>> _memberTaints =
            new ConcurrentDictionary<(ISymbol, int), Lazy<bool>>(new MemberDepthComparer());

        private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new ConcurrentDictionary<SyntaxTree, SemanticModel>();
        private readonly Lazy<RelevantNames> _relevantNames;

        public CompilationAnalysis(WellKnownSymbols symbols)
        {
            Symbols = symbols;
            _relevantNames = new Lazy<RelevantNames>(() => RelevantNames.Build(symbols, MaxDepth, CancellationToken.None), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public WellKnownSymbols Symbols { get; }

        /// <summary>
        /// Builds the relevant names now, on the calling thread (a compilation-start action), instead of on
        /// the first body: otherwise every other thread that reaches a body meanwhile waits for it.
        /// </summary>
        public void Prepare(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _ = _relevantNames.Value;
        }

        /// <summary>Cheap, syntax-only: whether <paramref name="body"/> mentions a name that a source can hide behind.</summary>
        public bool MayContainSource(SyntaxNode body, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return _relevantNames.Value.IsMentionedIn(body);
        }

        private Compilation Compilation => Symbols.Compilation;

        // ------------------------------------------------------------------ top level

        /// <summary>
        /// Analyzes one body (its graph) and returns the sinks reached by snapshot-derived values. Returns
        /// an empty list without building anything when the body contains no possible source.
        /// </summary>
        public IReadOnlyList<SinkFinding> AnalyzeBody(IOperation root, Func<ControlFlowGraph?> graph, CancellationToken cancellationToken)
        {
            if (!MayContainSource(root.Syntax, cancellationToken)) return Array.Empty<SinkFinding>();
            if (!ContainsPotentialSource(root, MaxDepth, cancellationToken)) return Array.Empty<SinkFinding>();
            var cfg = graph();
            if (cfg is null) return Array.Empty<SinkFinding>();
            var collector = new FindingCollector();
            var analyzer = new BodyAnalyzer(this, MaxDepth, collector, null, cancellationToken);
            analyzer.AnalyzeRoot(cfg, FlowState.Empty);
            return collector.Findings.Where(f => f.Taint.HasSource).ToList();
        }

        // ------------------------------------------------------------------ pre-checks

        public bool ContainsPotentialSource(IOperation root, int depth, CancellationToken cancellationToken)
        {
            foreach (var op in root.DescendantsAndSelf())
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (op)
                {
                    case IInvocationOperation invocation:
                        if (Symbols.IsSnapshotRead(invocation.TargetMethod)) return true;
                        if (depth > 0 && IsInSource(invocation.TargetMethod) && invocation.TargetMethod.MethodKind != MethodKind.LocalFunction &&
                            GetSummary(invocation.TargetMethod, depth - 1, cancellationToken).HasSourceOutputs) return true;
                        break;
                    case IPropertyReferenceOperation property:
                        if (Symbols.IsSnapshotRead(property.Property) || (property.Property.GetMethod is { } g && Symbols.IsSnapshotRead(g))) return true;
                        if (depth > 0 && !IsAssignmentTarget(property))
                        {
                            if (property.Property.GetMethod is { } getter && IsInSource(getter) && GetSummary(getter, depth - 1, cancellationToken).HasSourceOutputs) return true;
                            if (IsMemberTainted(property.Property, depth - 1, cancellationToken)) return true;
                        }

                        break;
                    case IFieldReferenceOperation field:
                        if (Symbols.IsSnapshotRead(field.Field)) return true;
                        if (depth > 0 && !field.Field.IsConst && field.Field.ContainingType?.IsTupleType != true && !IsAssignmentTarget(field) &&
                            IsMemberTainted(field.Field, depth - 1, cancellationToken)) return true;
                        break;
                }
            }

            return false;
        }

        private static bool IsAssignmentTarget(IOperation operation) =>
            operation.Parent is ISimpleAssignmentOperation a && a.Target == operation;

        private bool ContainsPotentialSink(IOperation root, int depth, CancellationToken cancellationToken)
        {
            foreach (var op in root.DescendantsAndSelf())
            {
                if (op is IInvocationOperation invocation)
                {
                    if (!Symbols.SinkParameters(invocation.TargetMethod).IsEmpty) return true;
                    if (depth > 0 && IsInSource(invocation.TargetMethod) && invocation.TargetMethod.MethodKind != MethodKind.LocalFunction &&
                        !GetSummary(invocation.TargetMethod, depth - 1, cancellationToken).SinkParameters.IsEmpty) return true;
                }
            }

            return false;
        }

        // ------------------------------------------------------------------ summaries

        public bool IsInSource(IMethodSymbol method)
        {
            method = method.PartialImplementationPart ?? method;
            if (method.IsAbstract || method.IsExtern) return false;
            foreach (var reference in method.OriginalDefinition.DeclaringSyntaxReferences)
            {
                if (Compilation.ContainsSyntaxTree(reference.SyntaxTree)) return true;
            }

            return false;
        }

        /// <summary>The summary of <paramref name="method"/> following calls <paramref name="depth"/> deep (0 = opaque).</summary>
        public MethodSummary GetSummary(IMethodSymbol method, int depth, CancellationToken cancellationToken)
        {
            if (depth <= 0) return MethodSummary.Opaque;
            method = (method.PartialImplementationPart ?? method).OriginalDefinition;
            if (!_relevantNames.Value.Contains(method.AssociatedSymbol?.Name ?? method.Name)) return MethodSummary.Opaque;
            if (!IsInSource(method)) return MethodSummary.Opaque;
            return GetCached(_summaries, (method, depth), key => ComputeSummary(key.Item1, key.Item2, cancellationToken), cancellationToken);
        }

        /// <summary>
        /// The summary of a method of the compilation that mentions nothing relevant, computed only when a
        /// snapshot-derived value is actually passed to it (from a body being analyzed): how its parameters
        /// flow to its result, so that `Pick(staleSet)` returning a constant is clean.
        /// </summary>
        public MethodSummary GetParameterFlowSummary(IMethodSymbol method, int depth, CancellationToken cancellationToken)
        {
            if (depth <= 0) return MethodSummary.Opaque;
            method = (method.PartialImplementationPart ?? method).OriginalDefinition;
            if (!IsInSource(method)) return MethodSummary.Opaque;
            return GetCached(_flowSummaries, (method, depth), key => ComputeSummary(key.Item1, key.Item2, cancellationToken, force: true), cancellationToken);
        }

        private readonly ConcurrentDictionary<(IMethodSymbol, int), Lazy<MethodSummary>> _flowSummaries =
            new ConcurrentDictionary<(IMethodSymbol, int), Lazy<MethodSummary>>(new SymbolDepthComparer());

        private MethodSummary ComputeSummary(IMethodSymbol method, int depth, CancellationToken cancellationToken, bool force = false)
        {
            var root = GetBodyOperation(method, cancellationToken);
            if (root is null) return MethodSummary.Opaque;
            if (!force && !ContainsPotentialSource(root, depth, cancellationToken) && !ContainsPotentialSink(root, depth, cancellationToken))
                return MethodSummary.Opaque;

            var cfg = CreateGraph(root, cancellationToken);
            if (cfg is null) return MethodSummary.Opaque;
            var entry = FlowState.Empty;
            foreach (var p in method.Parameters)
            {
                entry = entry.Set(p, Taint.Of(Origin.Parameter(p.Ordinal), Symbols.IsProtocolLike(p.Type)));
            }

            var collector = new FindingCollector();
            var writes = new Dictionary<ISymbol, Taint>(SymbolEqualityComparer.Default);
            var analyzer = new BodyAnalyzer(this, depth, collector, writes, cancellationToken);
            var result = analyzer.AnalyzeRoot(cfg, entry);

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
                writes.ToImmutableDictionary(SymbolEqualityComparer.Default));
        }

        /// <summary>
        /// One computation per key across threads. A computation cancelled by another caller's token is not
        /// kept: it is dropped and redone under ours.
        /// </summary>
        private static TValue GetCached<TKey, TValue>(ConcurrentDictionary<TKey, Lazy<TValue>> cache, TKey key, Func<TKey, TValue> compute, CancellationToken cancellationToken)
            where TKey : notnull
        {
            for (int attempt = 0; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var lazy = cache.GetOrAdd(key, k => new Lazy<TValue>(() => compute(k), LazyThreadSafetyMode.ExecutionAndPublication));
                try
                {
                    return lazy.Value;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    ((ICollection<KeyValuePair<TKey, Lazy<TValue>>>)cache).Remove(new KeyValuePair<TKey, Lazy<TValue>>(key, lazy));
                    if (attempt >= 2) return compute(key);
                }
            }
        }

        /// <summary>The graph of a root operation of a kind the flow analysis API accepts, else null.</summary>
        public static ControlFlowGraph? CreateGraph(IOperation root, CancellationToken cancellationToken) => root switch
        {
            IMethodBodyOperation m => ControlFlowGraph.Create(m, cancellationToken),
            IConstructorBodyOperation c => ControlFlowGraph.Create(c, cancellationToken),
            IBlockOperation b => ControlFlowGraph.Create(b, cancellationToken),
            IFieldInitializerOperation f => ControlFlowGraph.Create(f, cancellationToken),
            IPropertyInitializerOperation p => ControlFlowGraph.Create(p, cancellationToken),
            _ => null,
        };

        private SemanticModel? GetModel(SyntaxTree tree)
        {
            if (!Compilation.ContainsSyntaxTree(tree)) return null;
#pragma warning disable RS1030 // Summaries of other methods need their bodies; models are cached per tree and compilation.
            return _models.GetOrAdd(tree, t => Compilation.GetSemanticModel(t));
#pragma warning restore RS1030
        }

        private IOperation? GetBodyOperation(IMethodSymbol method, CancellationToken cancellationToken)
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax(cancellationToken);
                var model = GetModel(syntax.SyntaxTree);
                if (model is null) continue;
                SyntaxNode? node = syntax switch
                {
                    BaseMethodDeclarationSyntax m when m.Body is not null || m.ExpressionBody is not null => m,
                    AccessorDeclarationSyntax a when a.Body is not null || a.ExpressionBody is not null => a,
                    ArrowExpressionClauseSyntax arrow => arrow,
                    _ => null,
                };
                if (node is null) continue;
                var operation = model.GetOperation(node, cancellationToken);
                if (operation is null) continue;
                while (operation.Parent is not null)
                {
                    operation = operation.Parent;
                }

                if (operation is IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation) return operation;
            }

            return null;
        }

        // ------------------------------------------------------------------ fields and properties

        /// <summary>
        /// The taint of reading <paramref name="member"/> (a field or property): a snapshot read named after
        /// the member when a snapshot-derived value is assigned to it anywhere in the compilation.
        /// </summary>
        public Taint MemberTaint(ISymbol member, int depth, Location readAt, CancellationToken cancellationToken)
        {
            if (!IsMemberTainted(member, depth, cancellationToken)) return Taint.Clean;
            var type = member switch
            {
                IFieldSymbol f => f.Type,
                IPropertySymbol p => p.Type,
                _ => null,
            };
            return Taint.Of(Origin.Source(member.Name, readAt), Symbols.IsProtocolLike(type));
        }

        private bool IsMemberTainted(ISymbol member, int depth, CancellationToken cancellationToken)
        {
            if (depth <= 0) return false;
            member = member.OriginalDefinition;
            if (member is IFieldSymbol { IsConst: true }) return false;
            if (member.DeclaringSyntaxReferences.IsEmpty) return false;
            if (!_relevantNames.Value.Contains(member.Name)) return false;
            if (_relevantNames.Value.AssignmentSites(member.Name).Count == 0) return false;
            return GetCached(_memberTaints, (member, depth), key => ComputeMemberTaint(key.Item1, key.Item2, cancellationToken), cancellationToken);
        }

        private static bool IsInside(SyntaxNode node, ImmutableArray<SyntaxReference> declarations)
        {
            foreach (var declaration in declarations)
            {
                if (declaration.SyntaxTree == node.SyntaxTree && declaration.Span.Contains(node.Span)) return true;
            }

            return false;
        }

        private bool ComputeMemberTaint(ISymbol member, int depth, CancellationToken cancellationToken)
        {
            // A private member is assigned only inside its own type (its declarations, nested types
            // included): sites elsewhere that assign something of the same name are not looked at.
            var declarations = member.DeclaredAccessibility == Accessibility.Private && member.ContainingType is { } owner
                ? owner.DeclaringSyntaxReferences
                : default;
            foreach (var node in _relevantNames.Value.AssignmentSites(member.Name))
            {
                if (!declarations.IsDefault && !IsInside(node, declarations)) continue;
                var model = GetModel(node.SyntaxTree);
                if (model is null) continue;
                if (node is VariableDeclaratorSyntax or PropertyDeclarationSyntax)
                {
                    // A field or property initializer.
                    var declared = model.GetDeclaredSymbol(node, cancellationToken);
                    if (declared is null || !SymbolEqualityComparer.Default.Equals(declared.OriginalDefinition, member)) continue;
                    var initializer = node is VariableDeclaratorSyntax v ? (SyntaxNode?)v.Initializer : ((PropertyDeclarationSyntax)node).Initializer;
                    if (initializer is null) continue;
                    var operation = model.GetOperation(initializer, cancellationToken);
                    if (operation is null) continue;
                    while (operation.Parent is not null)
                    {
                        operation = operation.Parent;
                    }

                    if (operation is not (IFieldInitializerOperation or IPropertyInitializerOperation)) continue;
                    if (!ContainsPotentialSource(operation, depth, cancellationToken)) continue;
                    var collector = new FindingCollector();
                    var writes = new Dictionary<ISymbol, Taint>(SymbolEqualityComparer.Default);
                    var result = new BodyAnalyzer(this, depth, collector, writes, cancellationToken)
                        .AnalyzeRoot(CreateGraph(operation, cancellationToken)!, FlowState.Empty);
                    if (result.Returned.HasSource || (writes.TryGetValue(member, out var w) && w.HasSource)) return true;
                    continue;
                }

                var symbol = model.GetDeclaredSymbol(node, cancellationToken) as IMethodSymbol;
                if (symbol is null) continue;
                var summary = GetSummary(symbol, depth, cancellationToken);
                if (summary.MemberWrites.TryGetValue(member, out var taint) && taint.HasSource) return true;
            }

            return false;
        }

        private sealed class SymbolDepthComparer : IEqualityComparer<(IMethodSymbol, int)>
        {
            public bool Equals((IMethodSymbol, int) x, (IMethodSymbol, int) y) =>
                x.Item2 == y.Item2 && SymbolEqualityComparer.Default.Equals(x.Item1, y.Item1);

            public int GetHashCode((IMethodSymbol, int) obj) => SymbolEqualityComparer.Default.GetHashCode(obj.Item1) * 31 + obj.Item2;
        }

        private sealed class MemberDepthComparer : IEqualityComparer<(ISymbol, int)>
        {
            public bool Equals((ISymbol, int) x, (ISymbol, int) y) =>
                x.Item2 == y.Item2 && SymbolEqualityComparer.Default.Equals(x.Item1, y.Item1);

            public int GetHashCode((ISymbol, int) obj) => SymbolEqualityComparer.Default.GetHashCode(obj.Item1) * 31 + obj.Item2;
        }
    }
}
