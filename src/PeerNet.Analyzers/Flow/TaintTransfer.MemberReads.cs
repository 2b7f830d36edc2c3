using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>Field and property reads: snapshot reads, members assigned a snapshot-derived value, summarized getters.</summary>
    internal sealed partial class TaintTransfer
    {
        private Taint EvalPropertyRead(IPropertyReferenceOperation reference)
        {
            var receiver = EvalReceiver(reference.Instance, reference.Property.Name);
            var args = Taint.Clean;
            foreach (var a in reference.Arguments)
            {
                args = args.Union(Eval(a));
            }

            var property = reference.Property;
            var location = reference.Syntax.GetLocation();
            if (!IsAssigned(reference) && (_symbols.IsVersionCheck(property) || (property.GetMethod is { } checkGetter && _symbols.IsVersionCheck(checkGetter))))
            {
                RecordCheck(property.Name, reference);
            }

            Taint own;
            if (_symbols.IsSnapshotRead(property) || (property.GetMethod is { } g && _symbols.IsSnapshotRead(g)))
            {
                // A read by the connection's owner is current at send time (see IsOwnerRead).
                own = IsOwnerRead(reference.Instance) ? Taint.Clean :
                    Taint.Of(SourceOrigin(property.Name, location, reference.Instance), _symbols.IsProtocolBearingSource(property, property.Type));
            }
            else
            {
                own = _compilation.MemberTaints.Of(property, location, _cancellationToken);
                if (property.GetMethod is { } getter && _compilation.Summaries.IsInSource(getter))
                {
                    var summary = _compilation.Summaries.Get(getter, _cancellationToken);
                    if (!summary.IsOpaque)
                    {
                        own = own.Union(Map(summary.Returned, getter, location, ordinal => Taint.Clean));
                        return Derived(receiver.Union(own), property.Type);
                    }
                }
            }

            return Derived(receiver.Union(args).Union(own), property.Type);
        }

        private Taint EvalFieldRead(IFieldReferenceOperation reference)
        {
            var field = reference.Field;
            if (reference.Instance is ILocalReferenceOperation { Local.Type: INamedTypeSymbol { IsTupleType: true } tupleType } tupleLocal)
            {
                int index = TupleElementIndex(tupleType, field);
                if (index >= 0)
                {
                    return _state.Get(tupleLocal.Local).Union(_state.Get(new TupleElementKey(tupleLocal.Local, index)));
                }
            }

            var receiver = EvalReceiver(reference.Instance, field.Name);
            if (reference.ConstantValue.HasValue || field.IsConst) return Taint.Clean;
            var location = reference.Syntax.GetLocation();
            if (!IsAssigned(reference) && _symbols.IsVersionCheck(field)) RecordCheck(field.Name, reference);
            Taint own;
            if (_symbols.IsSnapshotRead(field))
            {
                own = IsOwnerRead(reference.Instance) ? Taint.Clean :
                    Taint.Of(SourceOrigin(field.Name, location, reference.Instance), _symbols.IsProtocolBearingSource(field, field.Type));
            }
            else if (field.ContainingType?.IsTupleType == true)
            {
                own = Taint.Clean;
            }
            else
            {
                own = _compilation.MemberTaints.Of(field, location, _cancellationToken);
            }

            return Derived(receiver.Union(own), field.Type);
        }

        /// <summary>Whether the reference is the target of an assignment (a write, not a read).</summary>
        private static bool IsAssigned(IOperation reference) =>
            reference.Parent is IAssignmentOperation assignment && ReferenceEquals(assignment.Target, reference);
    }
}
