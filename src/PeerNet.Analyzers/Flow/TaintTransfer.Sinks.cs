using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// Sinks beyond parameters (a call's receiver, a property's setter), the declared correct designs (a send
    /// bound to the version of the snapshot its protocol came from; a read by the connection's owner), and
    /// which version checks are about a send (PN0002 only for those).
    /// </summary>
    internal sealed partial class TaintTransfer
    {
        /// <summary>A call whose receiver is a sink ([RequiresCurrentReceiver], <c>M:...|this</c>) on a snapshot-derived object.</summary>
        private void CheckReceiverSink(IInvocationOperation invocation, IMethodSymbol method, Taint receiver)
        {
            if (invocation.Instance is null || !_symbols.IsReceiverSink(method)) return;
            var t = receiver.Union(SinkPc(invocation.Instance));
            if (t.IsClean || IsValidatedSend(invocation, t)) return;
            _collector.Add(invocation, SinkFinding.ReceiverSlot, "this", invocation.Instance, t, ChecksAbout(invocation, invocation.Instance, t), method.Name, _symbols.SendKind(method), false);
        }

        /// <summary>An assignment of a snapshot-derived value to a sink property ([RequiresCurrentProtocol] on it, <c>P:...|value</c>).</summary>
        private void CheckSetterSink(ISimpleAssignmentOperation assignment, Taint value)
        {
            if (assignment.Target is not IPropertyReferenceOperation target || !_symbols.IsSetterSink(target.Property)) return;
            var t = value.Union(SinkPc(assignment.Value));
            if (t.IsClean) return;
            _collector.Add(assignment, SinkFinding.ValueSlot, "value", assignment.Value, t, ChecksAbout(assignment, assignment.Value, t), target.Property.Name, DiagnosticProperties.Direct, false);
        }

        /// <summary>A source read's origin, remembering the local or parameter it was read from (for <see cref="IsValidatedSend"/>).</summary>
        private static Origin SourceOrigin(string member, Location location, IOperation? instance) =>
            Origin.Source(member, location, instance is null ? null : VariableOf(CheckRelevance.Strip(instance)));

        private static ISymbol? VariableOf(IOperation operation) => operation switch
        {
            ILocalReferenceOperation l => l.Local,
            IParameterReferenceOperation p => p.Parameter,
            _ => null,
        };

        /// <summary>
        /// Whether a read on <paramref name="instance"/> is performed by the owner of the connection: the
        /// receiver is the containing instance (`this`, a field or property of it, or a primary-constructor parameter) of a [ConnectionOwner]
        /// (or <c>peernet.connection_owners</c>) type. Such a read is current at send time: no source.
        /// </summary>
        private bool IsOwnerRead(IOperation? instance)
        {
            int guard = 0;
            while (instance is not null && guard++ < 16)
            {
                switch (CheckRelevance.Strip(instance))
                {
                    case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance, Type: { } type }:
                        return _symbols.IsConnectionOwner(type);
                    case IFieldReferenceOperation f:
                        instance = f.Instance;
                        break;
                    case IPropertyReferenceOperation p when p.Arguments.IsEmpty:
                        instance = p.Instance;
                        break;
                    case IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor, ContainingType: { } owner } constructor }
                        when IsPrimaryConstructor(constructor, _cancellationToken):
                        // A primary-constructor parameter (C# 12) is the instance's own state wherever the type's members use it.
                        return _symbols.IsConnectionOwner(owner);
                    default:
                        return false;
                }
            }

            return false;
        }

        /// <summary>Whether <paramref name="constructor"/> is a class's or struct's primary constructor (declared by the type declaration's parameter list).</summary>
        private static bool IsPrimaryConstructor(IMethodSymbol constructor, CancellationToken cancellationToken)
        {
            foreach (var reference in constructor.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax) return true;
            }

            return false;
        }

        /// <summary>
        /// Whether <paramref name="send"/> passes, in a [ValidatedSnapshotVersion] (or
        /// <c>peernet.validated_versions</c>) parameter, the version of the very snapshot every read in
        /// <paramref name="sent"/> came from: `Send(peer, protocol, snapshot.Version)` where the protocol was
        /// read from `snapshot` (or from what was read from it). The receiver rejects the send when the
        /// snapshot is out of date, so it is no race. A version of another snapshot does not count.
        /// </summary>
        private bool IsValidatedSend(IInvocationOperation send, Taint sent)
        {
            var ordinals = _symbols.ValidatedVersionParameters(send.TargetMethod);
            if (ordinals.IsEmpty || !sent.HasSource) return false;
            foreach (var ordinal in ordinals)
            {
                if (FindArgument(send.Arguments, ordinal) is not { } argument) continue;
                var version = CheckRelevance.Strip(argument);
                var snapshot = version switch
                {
                    IPropertyReferenceOperation { Arguments.IsEmpty: true } p => p.Instance,
                    IFieldReferenceOperation f => f.Instance,
                    _ => null,
                };
                if (snapshot is null || VariableOf(CheckRelevance.Strip(snapshot)) is not { } variable) continue;
                bool all = true;
                foreach (var origin in sent.Origins)
                {
                    if (origin.Kind == OriginKind.Source && !BoundTo(origin, variable, 4))
                    {
                        all = false;
                        break;
                    }
                }

                if (all) return true;
            }

            return false;
        }

        /// <summary>Whether <paramref name="origin"/> is the read of <paramref name="snapshot"/> itself, or a read from it (or from what was read from it).</summary>
        private bool BoundTo(Origin origin, ISymbol snapshot, int depth)
        {
            if (_state.Get(snapshot).Origins.Contains(origin)) return true;
            if (origin.Receiver is not { } receiver) return false;
            if (SymbolEqualityComparer.Default.Equals(receiver, snapshot)) return true;
            if (depth == 0) return false;
            var from = _state.Get(receiver);
            if (!from.HasSource) return false;
            foreach (var o in from.Origins)
            {
                if (o.Kind == OriginKind.Source && !BoundTo(o, snapshot, depth - 1)) return false;
            }

            return true;
        }

        /// <summary>
        /// The version checks on the way to <paramref name="send"/> that are about it: not in another loop,
        /// not on another snapshot (when the check's operands are snapshot-derived, they share a read with
        /// the sent value), not about another peer (an argument the check shares by type with the send is
        /// the same value).
        /// </summary>
        private ImmutableHashSet<Origin> ChecksAbout(IOperation send, IOperation? sentArgument, Taint sent)
        {
            var checks = _state.Checks;
            if (checks.IsEmpty) return checks;
            var builder = checks.ToBuilder();
            foreach (var check in checks)
            {
                if (check.Site is not { } site) continue;
                if (CheckRelevance.IsInAnotherLoop(_cfg, site, _block) || IsAboutAnotherSnapshot(site, sent) || IsAboutAnotherPeer(site, send, sentArgument))
                {
                    builder.Remove(check);
                }
            }

            return builder.Count == checks.Count ? checks : builder.ToImmutable();
        }

        /// <summary>
        /// Whether the sent value was read from a snapshot held in a variable (`snapshot.GetMetadataForPeer(..)`)
        /// and the check's operands come from snapshot reads none of which the sent value shares (the
        /// version of another snapshot). A value read through the store itself (no snapshot variable) is
        /// checked by any version comparison of that store, as before.
        /// </summary>
        private bool IsAboutAnotherSnapshot(CheckSite site, Taint sent)
        {
            bool fromSnapshotVariable = false;
            foreach (var o in sent.Origins)
            {
                if (o.Receiver is { } r && _state.Get(r).HasSource)
                {
                    fromSnapshotVariable = true;
                    break;
                }
            }

            if (!fromSnapshotVariable) return false;
            var checkTaint = Peek(site.Operation);
            if (!checkTaint.HasSource) return false;
            foreach (var o in checkTaint.Origins)
            {
                if (o.Kind == OriginKind.Source && sent.Origins.Contains(o)) return false;
            }

            return true;
        }

        private bool IsAboutAnotherPeer(CheckSite site, IOperation send, IOperation? sentArgument)
        {
            if (send is not IInvocationOperation invocation) return false;
            var sendArguments = new List<IOperation>();
            foreach (var a in invocation.Arguments)
            {
                if (a.ArgumentKind == ArgumentKind.DefaultValue || ReferenceEquals(a.Value, sentArgument)) continue;
                sendArguments.Add(CheckRelevance.Strip(a.Value));
            }

            bool shared = false;
            foreach (var argument in CheckRelevance.ArgumentsOf(site.Operation))
            {
                // Snapshot-derived operands (the version) say which snapshot, not which peer.
                if (argument.Type is null || Peek(argument).HasSource || _symbols.IsSnapshotVersion(argument.Type)) continue;
                foreach (var s in sendArguments)
                {
                    if (!SymbolEqualityComparer.Default.Equals(s.Type, argument.Type)) continue;
                    shared = true;
                    if (CheckRelevance.SameValue(s, argument)) return false;
                }
            }

            return shared;
        }

        /// <summary>The taint of an already evaluated expression, from the variables it mentions (no state change).</summary>
        private Taint Peek(IOperation operation)
        {
            var result = Taint.Clean;
            foreach (var op in operation.DescendantsAndSelf())
            {
                switch (op)
                {
                    case ILocalReferenceOperation l: result = result.Union(_state.Get(l.Local)); break;
                    case IParameterReferenceOperation p: result = result.Union(_state.Get(p.Parameter)); break;
                }
            }

            return result;
        }

        private void RecordCheck(string what, IOperation check) =>
            _state = _state.AddCheck(Origin.Check(what, check.Syntax.GetLocation(), new CheckSite(check, _cfg, _block)));
    }
}
