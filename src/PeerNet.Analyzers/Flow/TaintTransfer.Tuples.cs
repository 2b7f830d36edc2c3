using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>Tuples: element-wise taint of tuple literals and tuple locals, deconstruction.</summary>
    internal sealed partial class TaintTransfer
    {
        private Taint EvalDeconstruction(IDeconstructionAssignmentOperation deconstruction)
        {
            var target = deconstruction.Target is IDeclarationExpressionOperation d ? d.Expression : deconstruction.Target;
            return AssignDeconstruction(target, deconstruction.Value);
        }

        private Taint AssignDeconstruction(IOperation target, IOperation value)
        {
            if (target is IDeclarationExpressionOperation d) target = d.Expression;
            if (target is ITupleOperation targetTuple && TryEvalTupleElementOperations(value, targetTuple.Elements.Length) is { } valueElements)
            {
                // Element by element: `var (a, b) = (stale, constant)` leaves b clean.
                var all = Taint.Clean;
                for (int i = 0; i < valueElements.Length; i++)
                {
                    all = all.Union(AssignDeconstruction(targetTuple.Elements[i], valueElements[i]));
                }

                return all;
            }

            if (target is ITupleOperation mismatched && Unwrap(value) is ITupleOperation wrongArity && wrongArity.Elements.Length != mismatched.Elements.Length)
            {
                // Invalid code (arity mismatch while typing): evaluate for side effects, assign nothing.
                Eval(value);
                return Taint.Clean;
            }

            if (target is ITupleOperation objectTarget && Unwrap(value) is not ITupleOperation &&
                TryDeconstructObject(value, objectTarget.Elements.Length) is { } members)
            {
                for (int i = 0; i < members.Length; i++)
                {
                    Assign(objectTarget.Elements[i], WithPc(members[i]), evaluateTarget: true);
                }

                return Union(members);
            }

            if (target is ITupleOperation tupleTarget && TryEvalTupleElements(value) is { } taints && taints.Length == tupleTarget.Elements.Length)
            {
                for (int i = 0; i < taints.Length; i++)
                {
                    Assign(tupleTarget.Elements[i], WithPc(taints[i]), evaluateTarget: true);
                }

                return Union(taints);
            }

            var t = Eval(value);
            Assign(target, WithPc(t), evaluateTarget: true);
            return t;
        }

        private static IOperation Unwrap(IOperation operation)
        {
            while (operation is IConversionOperation conversion && (conversion.IsImplicit || conversion.Operand is ITupleOperation))
            {
                operation = conversion.Operand;
            }

            return operation;
        }

        private static ImmutableArray<IOperation>? TryEvalTupleElementOperations(IOperation value, int arity)
        {
            var unwrapped = Unwrap(value);
            return unwrapped is ITupleOperation tuple && tuple.Elements.Length == arity ? tuple.Elements : null;
        }

        /// <summary>Per-element taints of a tuple literal or a tracked tuple local; null otherwise.</summary>
        private Taint[]? TryEvalTupleElements(IOperation value)
        {
            var unwrapped = Unwrap(value);
            if (unwrapped is ITupleOperation tuple)
            {
                var result = new Taint[tuple.Elements.Length];
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] = Eval(tuple.Elements[i]);
                }

                return result;
            }

            if (unwrapped is ILocalReferenceOperation { Local.Type: INamedTypeSymbol { IsTupleType: true } tupleType } local)
            {
                var whole = _state.Get(local.Local);
                var result = new Taint[tupleType.TupleElements.Length];
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] = whole.Union(_state.Get(new TupleElementKey(local.Local, i)));
                }

                return result;
            }

            return null;
        }

        private static Taint Union(Taint[] taints)
        {
            var all = Taint.Clean;
            foreach (var t in taints)
            {
                all = all.Union(t);
            }

            return all;
        }

        private void AssignTupleLocal(ILocalSymbol local, Taint[] elements)
        {
            _state = _state.Set(local, _pc);
            for (int i = 0; i < elements.Length; i++)
            {
                _state = _state.Set(new TupleElementKey(local, i), elements[i]);
            }
        }

        private Taint ReadLocal(ILocalSymbol local)
        {
            var t = _state.Get(local);
            if (local.Type is INamedTypeSymbol { IsTupleType: true } tupleType)
            {
                for (int i = 0; i < tupleType.TupleElements.Length; i++)
                {
                    t = t.Union(_state.Get(new TupleElementKey(local, i)));
                }
            }

            return t;
        }

        private static int TupleElementIndex(INamedTypeSymbol tupleType, IFieldSymbol field)
        {
            var elements = tupleType.TupleElements;
            for (int i = 0; i < elements.Length; i++)
            {
                if (SymbolEqualityComparer.Default.Equals(elements[i].CorrespondingTupleField, field.CorrespondingTupleField ?? field) ||
                    SymbolEqualityComparer.Default.Equals(elements[i], field))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
