using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// Field-sensitive objects: a constructor argument, an object-initializer or `with` member, or a member
    /// assigned on a local taints that member of the value only (<see cref="Origin.Part"/>); reading a
    /// member keeps what taints it.
    /// </summary>
    internal sealed partial class TaintTransfer
    {
        // Captures of an object being created (`new T { ... }`, `x with { ... }`): the member assignments
        // of its initializer go to that object only, which no one else can see yet.
        private readonly HashSet<CaptureId> _freshObjects = new HashSet<CaptureId>();

        private static bool IsFreshObject(IOperation value) => value switch
        {
            IObjectCreationOperation or IAnonymousObjectCreationOperation or IWithOperation => true,
            IInvocationOperation { TargetMethod: { Name: "<Clone>$", Parameters.IsEmpty: true } } => true,
            _ => false,
        };

        /// <summary>
        /// An initializer's assignment to a member of the object being created: its taint lives in the
        /// object's value (<see cref="AssignMemberOfVariable"/>), it is not a write every reader of the member sees.
        /// </summary>
        private bool IsInitializerOfFreshObject(IMemberReferenceOperation member) =>
            member.Instance is IFlowCaptureReferenceOperation c && _freshObjects.Contains(c.Id);

        private Taint EvalObjectCreation(IObjectCreationOperation creation)
        {
            var result = Taint.Clean;
            foreach (var argument in creation.Arguments)
            {
                var t = Eval(argument.Value);
                if (t.IsClean) continue;
                var member = creation.Constructor is { } constructor && argument.Parameter is { } parameter
                    ? ObjectShapes.MemberFor(constructor, parameter, _compilation.Graphs, _cancellationToken)
                    : null;
                result = result.Union(member is null ? t.Flatten() : t.AsPart(member));
            }

            if (creation.Initializer is { } initializer)
            {
                // (Outside a graph; inside one the initializer is lowered to assignments on a capture.)
                result = result.Union(Eval(initializer).Flatten());
            }

            return Derived(result, creation.Type);
        }

        /// <summary>The receiver of a read of member <paramref name="member"/>: only what taints that member.</summary>
        private Taint EvalReceiver(IOperation? instance, string member)
        {
            var t = Eval(instance);
            if (instance?.Parent is IPropertyReferenceOperation { Property.IsIndexer: true }) return t.Flatten();
            int ordinal = instance is IParameterReferenceOperation { Parameter: { ContainingSymbol: IMethodSymbol { MethodKind: not (MethodKind.AnonymousFunction or MethodKind.LocalFunction) } } parameter }
                ? parameter.Ordinal
                : -1;
            return t.ReadMember(member, ordinal);
        }

        /// <summary>
        /// `x.Member = value` where x is a local, a parameter or the capture of a new object (initializers):
        /// x's value now holds <paramref name="value"/> in that member (and no longer what it held there).
        /// </summary>
        private void AssignMemberOfVariable(IOperation target, Taint value)
        {
            if (target is not IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol } member) return;
            if (member.Member is IPropertySymbol { IsIndexer: true }) return;
            object? key = member.Instance switch
            {
                ILocalReferenceOperation l when !(l.Local.Type?.IsTupleType ?? false) => l.Local,
                IParameterReferenceOperation p when p.Parameter.RefKind == RefKind.None => p.Parameter,
                IFlowCaptureReferenceOperation c when !_captureTargets.ContainsKey(c.Id) => c.Id,
                _ => null,
            };
            if (key is null) return;
            var name = member.Member.Name;
            _state = _state.Set(key, _state.Get(key).WithoutPart(name).Union(value.AsPart(name)));
        }

        /// <summary>
        /// `cache[key] = value` or `array[i] = value` on a field or property: that member holds a stale
        /// value for every later reader (a cache filled in one method and read in another).
        /// </summary>
        private void AssignIntoContainer(IOperation target, Taint value)
        {
            var container = target switch
            {
                IPropertyReferenceOperation { Property.IsIndexer: true } indexer => indexer.Instance,
                IArrayElementReferenceOperation element => element.ArrayReference,
                _ => null,
            };
            StoreInMember(container, value);
        }

        /// <summary>A modeled collection method (<see cref="CollectionModels"/>) storing its arguments in a field or property.</summary>
        private void StoreThroughCall(IInvocationOperation invocation, Taint[] argTaints)
        {
            if (!CollectionModels.Stores(invocation.TargetMethod)) return;
            var stored = Taint.Clean;
            foreach (var t in argTaints)
            {
                stored = stored.Union(t.Flatten());
            }

            StoreInMember(invocation.Instance, stored);
        }

        private void StoreInMember(IOperation? container, Taint value)
        {
            if (value.IsClean) return;
            while (container is IConversionOperation { IsImplicit: true } conversion) container = conversion.Operand;
            switch (container)
            {
                case ILocalReferenceOperation local:
                    _state = _state.Set(local.Local, _state.Get(local.Local).Union(value.Flatten()));
                    break;
                case IParameterReferenceOperation parameter:
                    _state = _state.Set(parameter.Parameter, _state.Get(parameter.Parameter).Union(value.Flatten()));
                    break;
                case IFieldReferenceOperation field:
                    RecordMemberWrite(field.Field, value.Flatten());
                    break;
                case IPropertyReferenceOperation { Property.IsIndexer: false } property:
                    RecordMemberWrite(property.Property, value.Flatten());
                    break;
            }
        }

        /// <summary>`var (a, b) = plan` for a record: each element reads its positional property.</summary>
        private Taint[]? TryDeconstructObject(IOperation value, int arity)
        {
            var unwrapped = Unwrap(value);
            if (unwrapped.Type is null || unwrapped.Type.IsTupleType) return null;
            string?[] members = new string?[arity];
            for (int i = 0; i < arity; i++)
            {
                members[i] = ObjectShapes.DeconstructedMember(unwrapped.Type, arity, i);
                if (members[i] is null) return null;
            }

            var whole = Eval(value);
            var result = new Taint[arity];
            for (int i = 0; i < arity; i++)
            {
                result[i] = whole.ReadMember(members[i]!);
            }

            return result;
        }
    }
}
