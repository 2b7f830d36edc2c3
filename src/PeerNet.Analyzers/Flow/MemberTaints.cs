using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// Fields and properties of the compilation that are assigned a snapshot-derived value somewhere (so
    /// that reading them is a snapshot read), computed on demand and once per member (<see cref="FixedPointCache{TKey, TValue}"/>).
    /// </summary>
    internal sealed class MemberTaints
    {
        private readonly CompilationAnalysis _context;

        private static readonly object Tainted = true;
        private static readonly object Untainted = false;

        private readonly FixedPointCache<ISymbol, object> _memberTaints;

        public MemberTaints(CompilationAnalysis context, FixedPointStack stack)
        {
            _context = context;
            _memberTaints = new FixedPointCache<ISymbol, object>(stack, SymbolEqualityComparer.Default, Untainted, Untainted, (a, b) => a.Equals(b));
        }

        /// <summary>
        /// The taint of reading <paramref name="member"/> (a field or property): a snapshot read named after
        /// the member when a snapshot-derived value is assigned to it anywhere in the compilation.
        /// </summary>
        public Taint Of(ISymbol member, Location readAt, CancellationToken cancellationToken)
        {
            if (!IsTainted(member, cancellationToken)) return Taint.Clean;
            var type = member switch
            {
                IFieldSymbol f => f.Type,
                IPropertySymbol p => p.Type,
                _ => null,
            };
            return Taint.Of(Origin.Source(member.Name, readAt), _context.Symbols.IsProtocolLike(type));
        }

        /// <summary>Whether a snapshot-derived value is assigned to <paramref name="member"/> anywhere it can be (computed once per member; cycles solved to a fixed point).</summary>
        public bool IsTainted(ISymbol member, CancellationToken cancellationToken)
        {
            member = member.OriginalDefinition;
            if (member is IFieldSymbol { IsConst: true }) return false;
            if (member.DeclaringSyntaxReferences.IsEmpty) return false;
            if (_context.RelevantSymbols.AssignmentSites(member, cancellationToken).Count == 0) return false;
            return _memberTaints.Get(member, key => ComputeMemberTaint(key, cancellationToken) ? Tainted : Untainted, cancellationToken) == Tainted;
        }

        private bool ComputeMemberTaint(ISymbol member, CancellationToken cancellationToken)
        {
            // The sites are the member's own (a private member's only inside its type: RelevantSymbols.AssignmentSites).
            foreach (var node in _context.RelevantSymbols.AssignmentSites(member, cancellationToken))
            {
                var model = _context.Graphs.GetModel(node.SyntaxTree);
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
                    if (!_context.Gate.ContainsPotentialSource(operation, cancellationToken)) continue;
                    var collector = new FindingCollector();
                    var writes = new Dictionary<ISymbol, Taint>(SymbolEqualityComparer.Default);
                    var result = new BodyAnalysis(_context, collector, writes, cancellationToken)
                        .AnalyzeRoot(BodyGraphs.Create(operation, cancellationToken)!, FlowState.Empty);
                    if (result.Returned.HasSource || (writes.TryGetValue(member, out var w) && w.HasSource)) return true;
                    continue;
                }

                var symbol = model.GetDeclaredSymbol(node, cancellationToken) as IMethodSymbol;
                if (symbol is null) continue;
                var summary = _context.Summaries.Get(symbol, cancellationToken);
                if (summary.MemberWrites.TryGetValue(member, out var taint) && taint.HasSource) return true;
            }

            return false;
        }
    }
}
