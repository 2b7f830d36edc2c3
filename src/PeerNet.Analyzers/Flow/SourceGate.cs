using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// The cost gates in front of the flow engine: a body (or a callee being summarized) gets a control flow
    /// graph only when it references a relevant symbol (<see cref="RelevantSymbols"/>: found by name, confirmed
    /// by binding just that name) and then, bound, contains a possible source (or, for a summary, a possible sink).
    /// </summary>
    internal sealed class SourceGate
    {
        private readonly CompilationAnalysis _context;

        public SourceGate(CompilationAnalysis context) => _context = context;

        /// <summary>Whether <paramref name="body"/> references, by symbol, something a source can hide behind (answered from the propagation, nothing bound here).</summary>
        public bool MayContainSource(SyntaxNode body, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return _context.RelevantSymbols.IsMentionedIn(body, cancellationToken);
        }

        /// <summary>Whether <paramref name="root"/> reads a snapshot, or calls or reads what yields one (through summaries, however deep).</summary>
        public bool ContainsPotentialSource(IOperation root, CancellationToken cancellationToken)
        {
            foreach (var op in root.DescendantsAndSelf())
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (op)
                {
                    case IInvocationOperation invocation:
                        if (_context.Symbols.IsSnapshotRead(invocation.TargetMethod)) return true;
                        if (!_context.RelevantSymbols.MayYieldSource(invocation.TargetMethod, cancellationToken)) break;
                        if (_context.Summaries.IsInSource(invocation.TargetMethod) && invocation.TargetMethod.MethodKind != MethodKind.LocalFunction &&
                            _context.Summaries.Get(invocation.TargetMethod, cancellationToken).HasSourceOutputs) return true;
                        if (DispatchTargets.AnyTarget(_context, invocation.TargetMethod, s => s.HasSourceOutputs, cancellationToken)) return true;
                        break;
                    case IPropertyReferenceOperation property:
                        if (_context.Symbols.IsSnapshotRead(property.Property) || (property.Property.GetMethod is { } g && _context.Symbols.IsSnapshotRead(g))) return true;
                        if (!IsAssignmentTarget(property))
                        {
                            if (property.Property.GetMethod is { } getter && _context.Summaries.IsInSource(getter) &&
                                _context.RelevantSymbols.MayYieldSource(getter, cancellationToken) && _context.Summaries.Get(getter, cancellationToken).HasSourceOutputs) return true;
                            if (_context.MemberTaints.IsTainted(property.Property, cancellationToken)) return true;
                        }

                        break;
                    case IFieldReferenceOperation field:
                        if (_context.Symbols.IsSnapshotRead(field.Field)) return true;
                        if (!field.Field.IsConst && field.Field.ContainingType?.IsTupleType != true && !IsAssignmentTarget(field) &&
                            _context.MemberTaints.IsTainted(field.Field, cancellationToken)) return true;
                        break;
                }
            }

            return false;
        }

        private static bool IsAssignmentTarget(IOperation operation) =>
            operation.Parent is ISimpleAssignmentOperation a && a.Target == operation;

        /// <summary>Whether <paramref name="root"/> calls a sink, or a method that passes a parameter on to one.</summary>
        public bool ContainsPotentialSink(IOperation root, CancellationToken cancellationToken)
        {
            foreach (var op in root.DescendantsAndSelf())
            {
                if (op is IInvocationOperation invocation)
                {
                    if (!_context.Symbols.SinkParameters(invocation.TargetMethod).IsEmpty) return true;
                    if (_context.Summaries.IsInSource(invocation.TargetMethod) && invocation.TargetMethod.MethodKind != MethodKind.LocalFunction &&
                        !_context.Summaries.Get(invocation.TargetMethod, cancellationToken).SinkParameters.IsEmpty) return true;
                    if (DispatchTargets.AnyTarget(_context, invocation.TargetMethod, s => !s.SinkParameters.IsEmpty, cancellationToken)) return true;
                }
            }

            return false;
        }
    }
}
