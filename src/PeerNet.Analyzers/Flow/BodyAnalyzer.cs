using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>The result of analyzing one control flow graph.</summary>
    internal sealed class BodyResult
    {
        public BodyResult(Taint returned, FlowState exit)
        {
            Returned = returned;
            Exit = exit;
        }

        /// <summary>The taint of every returned value (the body's result).</summary>
        public Taint Returned { get; }

        /// <summary>The state at the exit (for out/ref parameters and captured variables).</summary>
        public FlowState Exit { get; }
    }

    /// <summary>
    /// The flow engine: a forward, flow-sensitive, may-taint analysis over one
    /// <see cref="ControlFlowGraph"/> (iterated to a fixed point), with implicit flow through conditions on
    /// protocol-bearing values, lambdas and local functions analyzed in place with the captured state,
    /// and calls to methods of the compilation through per-compilation summaries.
    /// </summary>
    internal sealed class BodyAnalyzer
    {
        private const int MaxPasses = 64;
        private const int MaxNesting = 4;

        private readonly CompilationAnalysis _compilation;
        private readonly WellKnownSymbols _symbols;
        private readonly int _depth;
        private readonly FindingCollector _collector;
        private readonly Dictionary<ISymbol, Taint>? _memberWrites;
        private readonly HashSet<IMethodSymbol> _localFunctionStack;
        private readonly HashSet<IMethodSymbol> _analyzedLocalFunctions;
        private readonly int _nesting;
        private readonly CancellationToken _cancellationToken;

        private ControlFlowGraph _cfg = null!;
        private FlowState _state = FlowState.Empty;
        private Taint _pc;
        private Taint _basePc;
        private readonly Dictionary<CaptureId, IOperation> _captureTargets = new Dictionary<CaptureId, IOperation>();
        private ImmutableArray<int> _deps = ImmutableArray<int>.Empty;
        private Taint[] _branchTaint = System.Array.Empty<Taint>();

        public BodyAnalyzer(CompilationAnalysis compilation, int depth, FindingCollector collector, Dictionary<ISymbol, Taint>? memberWrites, CancellationToken cancellationToken)
            : this(compilation, depth, collector, memberWrites, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), 0, cancellationToken)
        {
        }

        private BodyAnalyzer(
            CompilationAnalysis compilation,
            int depth,
            FindingCollector collector,
            Dictionary<ISymbol, Taint>? memberWrites,
            HashSet<IMethodSymbol> localFunctionStack,
            HashSet<IMethodSymbol> analyzedLocalFunctions,
            int nesting,
            CancellationToken cancellationToken)
        {
            _compilation = compilation;
            _symbols = compilation.Symbols;
            _depth = depth;
            _collector = collector;
            _memberWrites = memberWrites;
            _localFunctionStack = localFunctionStack;
            _analyzedLocalFunctions = analyzedLocalFunctions;
            _nesting = nesting;
            _cancellationToken = cancellationToken;
        }

        private BodyAnalyzer Nested() =>
            new BodyAnalyzer(_compilation, _depth, _collector, _memberWrites, _localFunctionStack, _analyzedLocalFunctions, _nesting + 1, _cancellationToken);

        /// <summary>Analyzes <paramref name="cfg"/> from <paramref name="entry"/>; also every local function never called.</summary>
        public BodyResult AnalyzeRoot(ControlFlowGraph cfg, FlowState entry)
        {
            var result = Analyze(cfg, entry, Taint.Clean, out var union);
            AnalyzeUncalledLocalFunctions(cfg, union);
            return result;
        }

        private void AnalyzeUncalledLocalFunctions(ControlFlowGraph cfg, FlowState union)
        {
            foreach (var local in cfg.LocalFunctions)
            {
                if (_analyzedLocalFunctions.Contains(local) || _nesting >= MaxNesting) continue;
                _analyzedLocalFunctions.Add(local);
                var inner = cfg.GetLocalFunctionControlFlowGraph(local, _cancellationToken);
                var nested = Nested();
                nested.Analyze(inner, union.WithoutCaptures(), Taint.Clean, out var innerUnion);
                nested.AnalyzeUncalledLocalFunctions(inner, innerUnion);
            }
        }

        private BodyResult Analyze(ControlFlowGraph cfg, FlowState entry, Taint basePc, out FlowState union)
        {
            _cfg = cfg;
            var blocks = cfg.Blocks;
            int n = blocks.Length;
            var deps = ControlDependence.Compute(cfg);
            var inStates = new FlowState?[n];
            var branchTaint = new Taint[n];
            inStates[0] = entry;
            Taint returned = Taint.Clean;
            union = entry;

            // A block is evaluated again only when what it reads changed: its in-state (a predecessor's
            // output) or the taint of a branch it depends on. Otherwise it would produce what it did.
            var dirty = new bool[n];
            var dependents = new List<int>?[n];
            for (int j = 0; j < n; j++)
            {
                dirty[j] = true;
                foreach (var d in deps[j])
                {
                    (dependents[d] ??= new List<int>()).Add(j);
                }
            }

            bool changed = true;
            int passes = 0;
            while (changed && passes++ < MaxPasses)
            {
                changed = false;
                for (int i = 0; i < n; i++)
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                    if (!dirty[i]) continue;
                    dirty[i] = false;
                    var block = blocks[i];
                    var state = inStates[i];
                    if (state is null)
                    {
                        // Entries of catch/finally/filter regions have no incoming edges: they may run
                        // after any point of the try, so start them from everything seen so far.
                        if (i == 0 || !block.IsReachable || !block.Predecessors.IsEmpty || block.Kind != BasicBlockKind.Block) continue;
                        state = union;
                        inStates[i] = state;
                    }

                    var pc = basePc;
                    foreach (var d in deps[i])
                    {
                        pc = pc.Union(branchTaint[d]);
                    }

                    _pc = pc;
                    _basePc = basePc;
                    _deps = deps[i];
                    _branchTaint = branchTaint;
                    _state = state;
                    foreach (var operation in block.Operations)
                    {
                        Eval(operation);
                    }

                    if (block.BranchValue is { } branchValue)
                    {
                        var t = Eval(branchValue);
                        if (block.ConditionKind != ControlFlowConditionKind.None)
                        {
                            if (t.ProtocolBearing)
                            {
                                var merged = branchTaint[i].Union(t);
                                if (!merged.Equals(branchTaint[i]))
                                {
                                    branchTaint[i] = merged;
                                    changed = true;
                                    if (dependents[i] is { } affected)
                                    {
                                        foreach (var j in affected) dirty[j] = true;
                                    }
                                }
                            }
                        }
                        else if (block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return)
                        {
                            var r = returned.Union(t).Union(_pc);
                            if (!r.Equals(returned))
                            {
                                returned = r;
                                changed = true;
                            }
                        }
                    }

                    var output = _state;
                    var newUnion = FlowState.Join(union, output);
                    if (!newUnion.SameAs(union))
                    {
                        union = newUnion;
                        changed = true;
                    }

                    changed |= Flow(inStates, dirty, block.ConditionalSuccessor, output);
                    changed |= Flow(inStates, dirty, block.FallThroughSuccessor, output);
                }
            }

            var exit = inStates[n - 1] ?? union;
            return new BodyResult(returned, exit);
        }

        private static bool Flow(FlowState?[] inStates, bool[] dirty, ControlFlowBranch? branch, FlowState output)
        {
            if (branch?.Destination is not { } destination) return false;
            var old = inStates[destination.Ordinal];
            var joined = FlowState.Join(old, output);
            if (old is not null && joined.SameAs(old)) return false;
            inStates[destination.Ordinal] = joined;
            dirty[destination.Ordinal] = true;
            return true;
        }

        // ---------------------------------------------------------------- expressions

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
                case IBinaryOperation binary:
                {
                    var t = Eval(binary.LeftOperand).Union(Eval(binary.RightOperand));
                    if (_symbols.IsSnapshotVersion(binary.LeftOperand.Type) || _symbols.IsSnapshotVersion(binary.RightOperand.Type))
                    {
                        RecordCheck(ShortText.Of(binary.Syntax), binary.Syntax.GetLocation());
                    }

                    return Derived(t, binary.Type);
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

            return operation.ConstantValue.HasValue ? Taint.Clean : Derived(result, operation.Type);
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

        private void RecordCheck(string what, Location location) =>
            _state = _state.AddCheck(Origin.Source(what, location));

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
                    RecordMemberWrite(field.Field, taint);
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

                    RecordMemberWrite(property.Property, taint);
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

        private Taint EvalLambda(IFlowAnonymousFunctionOperation lambda)
        {
            if (_nesting >= MaxNesting) return Taint.Clean;
            var graph = _cfg.GetAnonymousFunctionControlFlowGraph(lambda, _cancellationToken);
            var outer = _cfg;
            var savedState = _state;
            var savedPc = _pc;
            var nested = Nested();
            var result = nested.Analyze(graph, savedState.WithoutCaptures(), savedPc, out var union);
            nested.AnalyzeUncalledLocalFunctions(graph, union);
            _cfg = outer;
            _state = savedState;
            _pc = savedPc;

            // The lambda may run (any number of times) or not: weak update of what it writes.
            foreach (var pair in result.Exit.Vars)
            {
                if (IsOuterVariable(pair.Key, lambda.Symbol))
                {
                    _state = _state.Set(pair.Key, _state.Get(pair.Key).Union(pair.Value));
                }
            }

            foreach (var check in result.Exit.Checks)
            {
                _state = _state.AddCheck(check);
            }

            // The delegate's value: whatever it returns (a predicate consulting a stale set, a selector
            // reading snapshot data, ...).
            return result.Returned;
        }

        private static ISymbol? KeySymbol(object key) => key switch
        {
            ISymbol s => s,
            TupleElementKey t => t.Local,
            _ => null,
        };

        private static bool IsOuterVariable(object key, IMethodSymbol function)
        {
            if (KeySymbol(key) is not { } symbol || symbol is not ILocalSymbol and not IParameterSymbol) return false;
            for (var s = symbol.ContainingSymbol; s is not null; s = s.ContainingSymbol)
            {
                if (SymbolEqualityComparer.Default.Equals(s, function)) return false;
                if (s is INamedTypeSymbol) break;
            }

            return true;
        }

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
                own = _compilation.MemberTaint(property, _depth - 1, location, _cancellationToken);
                if (property.GetMethod is { } getter && _compilation.IsInSource(getter))
                {
                    var summary = _compilation.GetSummary(getter, _depth - 1, _cancellationToken);
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
                own = _compilation.MemberTaint(field, _depth - 1, location, _cancellationToken);
            }

            return Derived(receiver.Union(own), field.Type);
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

        private Taint EvalInvocation(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            var receiver = Eval(invocation.Instance);
            var arguments = invocation.Arguments;
            var argTaints = new Taint[arguments.Length];
            var inputs = receiver;
            for (int i = 0; i < arguments.Length; i++)
            {
                var argument = arguments[i];
                if (argument.Parameter?.RefKind == RefKind.Out)
                {
                    // Evaluated as a target after the call.
                    argTaints[i] = Taint.Clean;
                    continue;
                }

                argTaints[i] = Eval(argument.Value);
                inputs = inputs.Union(argTaints[i]);
            }

            var location = invocation.Syntax.GetLocation();

            if (_symbols.IsVersionCheck(method))
            {
                RecordCheck(method.Name, location);
            }

            Taint ArgumentFor(int ordinal)
            {
                for (int i = 0; i < arguments.Length; i++)
                {
                    if (arguments[i].Parameter?.Ordinal == ordinal) return argTaints[i];
                }

                return Taint.Clean;
            }

            // Sinks: a [RequiresCurrentProtocol] (or configured) parameter.
            var sinkParameters = _symbols.SinkParameters(method);
            if (!sinkParameters.IsEmpty)
            {
                foreach (var p in sinkParameters)
                {
                    var t = ArgumentFor(p.Ordinal).Union(SinkPc(FindArgument(arguments, p.Ordinal)));
                    if (!t.IsClean)
                    {
                        _collector.Add(invocation, p, FindArgument(arguments, p.Ordinal), t, _state.Checks, method.Name, _symbols.SendKind(method), _symbols.IsPeerNetSend(method));
                    }
                }
            }

            Taint result;
            if (_symbols.IsSnapshotRead(method))
            {
                var origin = Origin.Source(method.Name, location);
                result = Taint.Of(origin, _symbols.IsProtocolBearingSource(method, method.ReturnType)).Union(receiver);
                AssignOutArguments(arguments, ordinal => Taint.Of(origin, _symbols.IsProtocolBearingSource(method, ordinal < method.Parameters.Length ? method.Parameters[ordinal].Type : null)).Union(receiver));
                return Derived(result, method.ReturnType);
            }

            if (method.MethodKind == MethodKind.LocalFunction)
            {
                return EvalLocalFunctionCall(invocation, argTaints, inputs);
            }

            if (_compilation.IsInSource(method))
            {
                var summary = _compilation.GetSummary(method, _depth - 1, _cancellationToken);
                if (summary.IsOpaque && !inputs.IsClean)
                {
                    summary = _compilation.GetParameterFlowSummary(method, _depth - 1, _cancellationToken);
                }

                if (!summary.IsOpaque)
                {
                    foreach (var pair in summary.SinkParameters)
                    {
                        var t = ArgumentFor(pair.Key).Union(SinkPc(FindArgument(arguments, pair.Key)));
                        if (!t.IsClean && pair.Key < method.Parameters.Length)
                        {
                            _collector.Add(invocation, method.Parameters[pair.Key], FindArgument(arguments, pair.Key), t, _state.Checks, method.Name, pair.Value, false);
                        }
                    }

                    // `this` is not tracked inside summaries: a stale receiver stays stale in the result.
                    result = Map(summary.Returned, method, location, ArgumentFor).Union(receiver);
                    AssignOutArguments(arguments, ordinal =>
                        summary.OutParameters.TryGetValue(ordinal, out var o) ? Map(o, method, location, ArgumentFor) : Taint.Clean);
                    return Derived(result, method.ReturnType);
                }
            }

            // Opaque (outside the compilation, or nothing to summarize): the result and out arguments are
            // derived from the receiver and every argument (e.g. LINQ over a stale set, or with a lambda
            // that consults one).
            AssignOutArguments(arguments, ordinal => inputs);

            // A method outside the compilation called on a variable with a stale argument may store it
            // there (`list.Add(stale)`): the variable becomes stale too (weak update).
            var argumentsOnly = inputs;
            if (!receiver.IsClean) argumentsOnly = Taint.Clean;
            for (int i = 0; i < argTaints.Length && receiver.IsClean; i++)
            {
                argumentsOnly = argumentsOnly.Union(argTaints[i]);
            }

            if (!argumentsOnly.IsClean && invocation.Instance is { } instance && !method.IsStatic && instance.Type?.IsReferenceType == true)
            {
                switch (instance)
                {
                    case ILocalReferenceOperation l:
                        _state = _state.Set(l.Local, _state.Get(l.Local).Union(argumentsOnly));
                        break;
                    case IParameterReferenceOperation p:
                        _state = _state.Set(p.Parameter, _state.Get(p.Parameter).Union(argumentsOnly));
                        break;
                }
            }

            return Derived(inputs, method.ReturnType);
        }

        private static IOperation? FindArgument(ImmutableArray<IArgumentOperation> arguments, int ordinal)
        {
            foreach (var a in arguments)
            {
                if (a.Parameter?.Ordinal == ordinal) return a.Value;
            }

            return null;
        }

        private void AssignOutArguments(ImmutableArray<IArgumentOperation> arguments, System.Func<int, Taint> taintFor)
        {
            foreach (var a in arguments)
            {
                if (a.Parameter is { RefKind: RefKind.Out or RefKind.Ref } p)
                {
                    var t = taintFor(p.Ordinal);
                    if (p.RefKind == RefKind.Ref) t = t.Union(Eval(a.Value));
                    Assign(a.Value, WithPc(t.WithBearing(_symbols.IsProtocolLike(p.Type))), evaluateTarget: p.RefKind == RefKind.Out);
                }
            }
        }

        /// <summary>Substitutes a summary's taint at a call site.</summary>
        private static Taint Map(Taint summaryTaint, IMethodSymbol callee, Location callSite, System.Func<int, Taint> argumentFor)
        {
            if (summaryTaint.IsClean) return Taint.Clean;
            var result = Taint.Clean;
            bool source = false;
            foreach (var origin in summaryTaint.Origins)
            {
                if (origin.Kind == OriginKind.Source) source = true;
                else result = result.Union(argumentFor(origin.Ordinal));
            }

            var name = callee.AssociatedSymbol?.Name ?? callee.Name;
            if (source) result = result.Union(Taint.Of(Origin.Source(name, callSite), summaryTaint.ProtocolBearing));
            return result.WithBearing(summaryTaint.ProtocolBearing);
        }

        private Taint EvalLocalFunctionCall(IInvocationOperation invocation, Taint[] argTaints, Taint inputs)
        {
            var method = invocation.TargetMethod.OriginalDefinition;
            ControlFlowGraph? graph = null;
            if (_nesting < MaxNesting && !_localFunctionStack.Contains(method))
            {
                graph = FindLocalFunctionGraph(method);
            }

            if (graph is null)
            {
                return Derived(inputs, invocation.TargetMethod.ReturnType);
            }

            _analyzedLocalFunctions.Add(method);
            var entry = _state.WithoutCaptures();
            for (int i = 0; i < invocation.Arguments.Length; i++)
            {
                if (invocation.Arguments[i].Parameter is { } p && p.Ordinal < method.Parameters.Length)
                {
                    entry = entry.Set(method.Parameters[p.Ordinal], argTaints[i]);
                }
            }

            var outer = _cfg;
            var savedState = _state;
            var savedPc = _pc;
            _localFunctionStack.Add(method);
            var nested = Nested();
            var result = nested.Analyze(graph, entry, savedPc, out var union);
            nested.AnalyzeUncalledLocalFunctions(graph, union);
            _localFunctionStack.Remove(method);
            _cfg = outer;
            _state = savedState;
            _pc = savedPc;

            // The call runs the body: what it leaves in the variables it shares with us is what they hold.
            var keys = new List<object>();
            foreach (var key in _state.Vars.Keys)
            {
                if (KeySymbol(key) is not null) keys.Add(key);
            }

            foreach (var key in result.Exit.Vars.Keys)
            {
                if (KeySymbol(key) is not null) keys.Add(key);
            }

            foreach (var key in keys)
            {
                if (KeySymbol(key) is { } symbol && !IsDeclaredIn(symbol, method))
                {
                    _state = _state.Set(key, result.Exit.Get(key));
                }
            }

            foreach (var check in result.Exit.Checks)
            {
                _state = _state.AddCheck(check);
            }

            foreach (var a in invocation.Arguments)
            {
                if (a.Parameter is { RefKind: RefKind.Out or RefKind.Ref } p && p.Ordinal < method.Parameters.Length)
                {
                    Assign(a.Value, WithPc(result.Exit.Get(method.Parameters[p.Ordinal])), evaluateTarget: true);
                }
            }

            return Derived(result.Returned, invocation.TargetMethod.ReturnType);
        }

        private static bool IsDeclaredIn(ISymbol symbol, IMethodSymbol function)
        {
            for (var s = symbol.ContainingSymbol; s is not null; s = s.ContainingSymbol)
            {
                if (SymbolEqualityComparer.Default.Equals(s, function)) return true;
                if (s is INamedTypeSymbol) break;
            }

            return false;
        }

        private ControlFlowGraph? FindLocalFunctionGraph(IMethodSymbol method)
        {
            for (var graph = _cfg; graph is not null; graph = graph.Parent)
            {
                foreach (var local in graph.LocalFunctions)
                {
                    if (SymbolEqualityComparer.Default.Equals(local, method))
                    {
                        return graph.GetLocalFunctionControlFlowGraph(local, _cancellationToken);
                    }
                }
            }

            return null;
        }
    }
}
