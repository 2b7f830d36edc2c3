using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>Assignments: what a target becomes, and the fields and properties a summarized body writes.</summary>
    internal sealed partial class TaintTransfer
    {
        private void Assign(IOperation target, Taint taint, bool evaluateTarget)
        {
            switch (target)
            {
                case ILocalReferenceOperation local:
                    _state = _state.Set(local.Local, taint);
                    if (local.Local.Type is INamedTypeSymbol { IsTupleType: true } tupleType)
                    {
                        for (int i = 0; i < tupleType.TupleElements.Length; i++)
                        {
                            _state = _state.Set(new TupleElementKey(local.Local, i), Taint.Clean);
                        }
                    }

                    break;
                case IParameterReferenceOperation parameter:
                    _state = _state.Set(parameter.Parameter, taint);
                    break;
                case IDeclarationExpressionOperation declaration:
                    Assign(declaration.Expression, taint, evaluateTarget);
                    break;
                case ITupleOperation tuple:
                    foreach (var element in tuple.Elements)
                    {
                        Assign(element, taint, evaluateTarget);
                    }

                    break;
                case IFieldReferenceOperation field:
                    if (evaluateTarget) Eval(field.Instance);
                    if (!IsInitializerOfFreshObject(field)) RecordMemberWrite(field.Field, taint);
                    break;
                case IPropertyReferenceOperation property:
                    if (evaluateTarget)
                    {
                        Eval(property.Instance);
                        foreach (var a in property.Arguments)
                        {
                            Eval(a);
                        }
                    }

                    if (!IsInitializerOfFreshObject(property)) RecordMemberWrite(property.Property, taint);
                    break;
                case IArrayElementReferenceOperation element:
                    if (evaluateTarget)
                    {
                        foreach (var index in element.Indices)
                        {
                            Eval(index);
                        }
                    }

                    // Weak update of the whole array variable.
                    if (element.ArrayReference is ILocalReferenceOperation arrayLocal)
                        _state = _state.Set(arrayLocal.Local, _state.Get(arrayLocal.Local).Union(taint));
                    else if (element.ArrayReference is IParameterReferenceOperation arrayParameter)
                        _state = _state.Set(arrayParameter.Parameter, _state.Get(arrayParameter.Parameter).Union(taint));
                    break;
                case IFlowCaptureReferenceOperation captureReference:
                    // A capture standing for an assignment target: assign what it stands for.
                    if (_captureTargets.TryGetValue(captureReference.Id, out var standsFor))
                    {
                        Assign(standsFor, taint, evaluateTarget: false);
                    }
                    else
                    {
                        _state = _state.Set(captureReference.Id, _state.Get(captureReference.Id).Union(taint));
                    }

                    break;
                default:
                    if (evaluateTarget) Eval(target);
                    break;
            }
        }

        private void RecordMemberWrite(ISymbol member, Taint taint)
        {
            if (_memberWrites is null || !taint.HasSource) return;
            var key = member.OriginalDefinition;
            var sources = taint.OnlySources();
            _memberWrites[key] = _memberWrites.TryGetValue(key, out var existing) ? existing.Union(sources) : sources;
        }
    }
}
