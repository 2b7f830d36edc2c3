using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// The transfer function of the flow engine over one graph: what each operation does to the taint of
    /// values and variables (a forward, flow-sensitive, may-taint analysis), with implicit flow through
    /// conditions on protocol-bearing values. The solver (<see cref="FlowSolver"/>) hands it one block at a
    /// time. Split by job: assignments, tuples, field and property reads, calls (summaries), lambdas and
    /// local functions each have their own file.
    /// </summary>
    internal sealed partial class TaintTransfer
    {
        private readonly BodyAnalysis _analysis;
        private readonly CompilationAnalysis _compilation;
        private readonly WellKnownSymbols _symbols;
        private readonly FindingCollector _collector;
        private readonly Dictionary<ISymbol, Taint>? _memberWrites;
        private readonly CancellationToken _cancellationToken;
        private readonly ControlFlowGraph _cfg;
        private readonly Taint _basePc;
        private readonly int _nesting;
        private readonly Dictionary<CaptureId, IOperation> _captureTargets = new Dictionary<CaptureId, IOperation>();

        // The block being evaluated (set by EvaluateBlock).
        private FlowState _state = FlowState.Empty;
        private Taint _pc;
        private int _block;
        private ImmutableArray<int> _deps = ImmutableArray<int>.Empty;
        private Taint[] _branchTaint = System.Array.Empty<Taint>();

        public TaintTransfer(BodyAnalysis analysis, ControlFlowGraph cfg, Taint basePc, int nesting)
        {
            _analysis = analysis;
            _compilation = analysis.Compilation;
            _symbols = analysis.Compilation.Symbols;
            _collector = analysis.Collector;
            _memberWrites = analysis.MemberWrites;
            _cancellationToken = analysis.CancellationToken;
            _cfg = cfg;
            _basePc = basePc;
            _nesting = nesting;
        }

        /// <summary>
        /// Evaluates <paramref name="block"/>'s operations from <paramref name="input"/> under the implicit
        /// flow <paramref name="pc"/> (the taint of the branches in <paramref name="deps"/> it depends on) and
        /// returns the state at its end; <paramref name="branchValue"/> is the taint of its branch value, if any.
        /// </summary>
        public FlowState EvaluateBlock(BasicBlock block, FlowState input, Taint pc, ImmutableArray<int> deps, Taint[] branchTaint, out Taint? branchValue)
        {
            _pc = pc;
            _block = block.Ordinal;
            _deps = deps;
            _branchTaint = branchTaint;
            _state = input;
            foreach (var operation in block.Operations)
            {
                Eval(operation);
            }

            branchValue = block.BranchValue is { } value ? Eval(value) : null;
            return _state;
        }

        private Taint Derived(Taint t, ITypeSymbol? type) => t.WithBearing(_symbols.IsProtocolLike(type));

        private Taint Eval(IOperation? operation)
        {
            if (operation is null) return Taint.Clean;
            _cancellationToken.ThrowIfCancellationRequested();

            switch (operation)
            {
                case ILiteralOperation:
                    return Taint.Clean;
                case ILocalReferenceOperation local:
                    return ReadLocal(local.Local);
                case IParameterReferenceOperation parameter:
                    return _state.Get(parameter.Parameter);
                case IFlowCaptureReferenceOperation captureReference:
                    return _state.Get(captureReference.Id);
                case IFlowCaptureOperation capture:
                {
                    // The graph captures assignment targets too (`this.field = c ? a : b` becomes
                    // capture#0 = this.field; ...; capture#0 = capture#1): remember what it stands for.
                    if (capture.Value is IFieldReferenceOperation or IPropertyReferenceOperation or ILocalReferenceOperation or IParameterReferenceOperation or IArrayElementReferenceOperation)
                    {
                        _captureTargets[capture.Id] = capture.Value;
                    }
                    else if (IsFreshObject(capture.Value))
                    {
                        _freshObjects.Add(capture.Id);
                    }

                    var t = Eval(capture.Value);
                    _state = _state.Set(capture.Id, WithPc(t));
                    return Taint.Clean;
                }

                case ISimpleAssignmentOperation assignment:
                {
                    if (assignment.Target is ILocalReferenceOperation { Local.Type.IsTupleType: true } tupleLocal &&
                        TryEvalTupleElements(assignment.Value) is { } elements)
                    {
                        AssignTupleLocal(tupleLocal.Local, elements);
                        return Union(elements);
                    }

                    var t = Eval(assignment.Value);
                    Assign(assignment.Target, WithPc(t), evaluateTarget: true);
                    CheckSetterSink(assignment, t);
                    AssignMemberOfVariable(assignment.Target, WithPc(t));
                    AssignIntoContainer(assignment.Target, WithPc(t));
                    return t;
                }

                case ICompoundAssignmentOperation compound:
                {
                    var t = Eval(compound.Target).Union(Eval(compound.Value));
                    Assign(compound.Target, WithPc(t), evaluateTarget: false);
                    return t;
                }

                case ICoalesceAssignmentOperation coalesce:
                {
                    var t = Eval(coalesce.Target).Union(Eval(coalesce.Value));
                    Assign(coalesce.Target, WithPc(t), evaluateTarget: false);
                    return t;
                }

                case IDeconstructionAssignmentOperation deconstruction:
                    return EvalDeconstruction(deconstruction);
                case IInvocationOperation invocation:
                    return EvalInvocation(invocation);
                case IPropertyReferenceOperation property:
                    return EvalPropertyRead(property);
                case IFieldReferenceOperation field:
                    return EvalFieldRead(field);
                case IFlowAnonymousFunctionOperation lambda:
                    return EvalLambda(lambda);
                case IObjectCreationOperation creation:
                    return EvalObjectCreation(creation);
                case IWithOperation with:
                {
                    // Not lowered (outside a graph): the operand, with the members it sets replaced.
                    var t = Eval(with.Operand);
                    if (with.Initializer is { } initializer)
                    {
                        foreach (var member in initializer.Initializers)
                        {
                            if (member is ISimpleAssignmentOperation { Target: IMemberReferenceOperation target } set)
                                t = t.WithoutPart(target.Member.Name).Union(Eval(set.Value).AsPart(target.Member.Name));
                            else t = t.Union(Eval(member).Flatten());
                        }
                    }

                    return Derived(t, with.Type);
                }
                case IBinaryOperation binary:
                {
                    var t = Eval(binary.LeftOperand).Union(Eval(binary.RightOperand)).Flatten();
                    if (_symbols.IsSnapshotVersion(binary.LeftOperand.Type) || _symbols.IsSnapshotVersion(binary.RightOperand.Type))
                    {
                        RecordCheck(ShortText.Of(binary.Syntax), binary);
                    }

                    return Derived(t, binary.Type);
                }

                case IIsPatternOperation isPattern:
                {
                    // Locals a pattern declares (`md is { SupportedProtocols: var set }`, `arr is [var first, ..]`)
                    // hold (part of) the matched value.
                    var t = Eval(isPattern.Value).Union(Eval(isPattern.Pattern)).Flatten();
                    foreach (var pattern in isPattern.Pattern.DescendantsAndSelf())
                    {
                        var declared = pattern switch
                        {
                            IDeclarationPatternOperation d => d.DeclaredSymbol,
                            IRecursivePatternOperation r => r.DeclaredSymbol,
                            IListPatternOperation l => l.DeclaredSymbol,
                            _ => null,
                        };
                        if (declared is ILocalSymbol local) _state = _state.Set(local, WithPc(Derived(t, local.Type)));
                    }

                    return Derived(t, isPattern.Type);
                }

                case IDeclarationExpressionOperation declaration:
                    return Eval(declaration.Expression);
                case IArgumentOperation argument:
                    return Eval(argument.Value);
                case IAwaitOperation await:
                    return Eval(await.Operation);
                case IConversionOperation conversion:
                    return Derived(Eval(conversion.Operand), conversion.Type);
                case IIncrementOrDecrementOperation increment:
                    return Eval(increment.Target);
                case ICaughtExceptionOperation:
                case IInstanceReferenceOperation:
                case IDefaultValueOperation:
                case ITypeOfOperation:
                case ISizeOfOperation:
                    return Taint.Clean;
            }

            // Everything else (tuples, object creation, string interpolation, unary, is-pattern, invalid
            // operations in half-typed code, ...): derived from its operands.
            var result = Taint.Clean;
            foreach (var child in operation.ChildOperations)
            {
                result = result.Union(Eval(child));
            }

            return operation.ConstantValue.HasValue ? Taint.Clean : Derived(result.Flatten(), operation.Type);
        }

        private Taint WithPc(Taint t) => _pc.IsClean ? t : t.Union(_pc);

        /// <summary>
        /// Implicit flow into a sink argument: only from conditions that mention the value being sent
        /// (`if (set.Contains(X)) SendTo(.., X, ..)`), not from any stale condition on the path
        /// (`if (set.IsEmpty) return; SendTo(.., Constant, ..)` sends a protocol not chosen from the set).
        /// </summary>
        private Taint SinkPc(IOperation? argument)
        {
            if (_pc.IsClean || argument is null) return Taint.Clean;
            var result = _basePc;
            var symbols = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            var constants = new List<object?>();
            foreach (var op in argument.DescendantsAndSelf())
            {
                switch (op)
                {
                    case ILocalReferenceOperation l: symbols.Add(l.Local); break;
                    case IParameterReferenceOperation p: symbols.Add(p.Parameter); break;
                    case IFieldReferenceOperation f when !op.ConstantValue.HasValue: symbols.Add(f.Field); break;
                    case IPropertyReferenceOperation pr: symbols.Add(pr.Property); break;
                }

                if (op.ConstantValue.HasValue) constants.Add(op.ConstantValue.Value);
            }

            foreach (var d in _deps)
            {
                if (_branchTaint[d].IsClean || _cfg.Blocks[d].BranchValue is not { } condition) continue;
                foreach (var op in condition.DescendantsAndSelf())
                {
                    bool mentions = op switch
                    {
                        ILocalReferenceOperation l => symbols.Contains(l.Local),
                        IParameterReferenceOperation p => symbols.Contains(p.Parameter),
                        IFieldReferenceOperation f when !op.ConstantValue.HasValue => symbols.Contains(f.Field),
                        IPropertyReferenceOperation pr => symbols.Contains(pr.Property),
                        _ => op.ConstantValue.HasValue && constants.Contains(op.ConstantValue.Value),
                    };
                    if (mentions)
                    {
                        result = result.Union(_branchTaint[d]);
                        break;
                    }
                }
            }

            return result;
        }
    }
}
