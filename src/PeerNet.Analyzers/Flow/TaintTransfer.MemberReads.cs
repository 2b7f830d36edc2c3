using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>Field and property reads: snapshot reads, members assigned a snapshot-derived value, summarized getters.</summary>
    internal sealed partial class TaintTransfer
    {
        private Taint EvalPropertyRead(IPropertyReferenceOperation reference)
        {
            var receiver = Eval(reference.Instance);
            var args = Taint.Clean;
            foreach (var a in reference.Arguments)
            {
                args = args.Union(Eval(a));
            }

            var property = reference.Property;
            var location = reference.Syntax.GetLocation();
            Taint own;
            if (_symbols.IsSnapshotRead(property) || (property.GetMethod is { } g && _symbols.IsSnapshotRead(g)))
            {
                own = Taint.Of(Origin.Source(property.Name, location), _symbols.IsProtocolBearingSource(property, property.Type));
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

            var receiver = Eval(reference.Instance);
            if (reference.ConstantValue.HasValue || field.IsConst) return Taint.Clean;
            var location = reference.Syntax.GetLocation();
            Taint own;
            if (_symbols.IsSnapshotRead(field))
            {
                own = Taint.Of(Origin.Source(field.Name, location), _symbols.IsProtocolBearingSource(field, field.Type));
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
    }
}
