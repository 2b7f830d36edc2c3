using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>Lambdas and local functions, analyzed in place with the captured state.</summary>
    internal sealed partial class TaintTransfer
    {
        /// <summary>The lambda passed as <paramref name="argument"/> (through its delegate creation), if any.</summary>
        private static IFlowAnonymousFunctionOperation? LambdaArgument(IArgumentOperation argument)
        {
            var value = argument.Value;
            while (true)
            {
                switch (value)
                {
                    case IConversionOperation conversion:
                        value = conversion.Operand;
                        continue;
                    case IDelegateCreationOperation creation:
                        value = creation.Target;
                        continue;
                    case IFlowAnonymousFunctionOperation lambda:
                        return lambda;
                    default:
                        return null;
                }
            }
        }

        /// <summary>The method group passed as <paramref name="argument"/> (`items.ForEach(Send)`), if any.</summary>
        private static IMethodReferenceOperation? MethodGroupArgument(IArgumentOperation argument)
        {
            var value = argument.Value;
            while (value is IConversionOperation conversion) value = conversion.Operand;
            return value is IDelegateCreationOperation { Target: IMethodReferenceOperation reference } ? reference : null;
        }

        /// <summary>
        /// A method group passed to a higher-order method that may apply it to <paramref name="appliedTo"/>: as
        /// if each of its parameters received that taint, through the method's sinks (a finding at the method
        /// group) or its summary; its value is what the method returns.
        /// </summary>
        private Taint EvalMethodGroup(IMethodReferenceOperation group, Taint appliedTo)
        {
            var method = group.Method;
            if (method.MethodKind == MethodKind.LocalFunction) return Derived(appliedTo, method.ReturnType);
            var location = group.Syntax.GetLocation();
            foreach (var p in _symbols.SinkParameters(method))
            {
                _collector.Add(group, p.Ordinal, p.Name, null, appliedTo, ChecksAbout(group, null, appliedTo), method.Name, _symbols.SendKind(method), _symbols.IsPeerNetSend(method));
            }

            if (SummaryFor(method, appliedTo, !_pc.IsClean) is not { IsOpaque: false } summary) return Derived(appliedTo, method.ReturnType);
            foreach (var pair in summary.SinkParameters)
            {
                if (pair.Key >= method.Parameters.Length) continue;
                var t = SunkPart(summary, pair.Key, appliedTo);
                if (!t.IsClean)
                {
                    var p = method.Parameters[pair.Key];
                    _collector.Add(group, p.Ordinal, p.Name, null, t, ChecksAbout(group, null, t), method.Name, pair.Value, false);
                }
            }

            return Derived(Map(summary.Returned, method, location, _ => appliedTo), method.ReturnType);
        }

        /// <summary>
        /// A lambda, analyzed in place with the captured state; with <paramref name="appliedTo"/>, its
        /// parameters hold that taint (the values a higher-order method may apply it to).
        /// </summary>
        private Taint EvalLambda(IFlowAnonymousFunctionOperation lambda, Taint appliedTo = default)
        {
            if (_nesting >= BodyAnalysis.MaxNesting) return Taint.Clean;
            var graph = _cfg.GetAnonymousFunctionControlFlowGraph(lambda, _cancellationToken);
            var entry = _state.WithoutCaptures();
            if (!appliedTo.IsClean)
            {
                foreach (var parameter in lambda.Symbol.Parameters)
                {
                    entry = entry.Set(parameter, Derived(appliedTo, parameter.Type));
                }
            }

            var result = _analysis.AnalyzeGraph(graph, entry, _pc, _nesting + 1);

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

        private Taint EvalLocalFunctionCall(IInvocationOperation invocation, Taint[] argTaints, Taint inputs)
        {
            var method = invocation.TargetMethod.OriginalDefinition;
            ControlFlowGraph? graph = null;
            if (_nesting < BodyAnalysis.MaxNesting && !_analysis.LocalFunctionStack.Contains(method))
            {
                graph = FindLocalFunctionGraph(method);
            }

            if (graph is null)
            {
                return Derived(inputs, invocation.TargetMethod.ReturnType);
            }

            _analysis.AnalyzedLocalFunctions.Add(method);
            var entry = _state.WithoutCaptures();
            for (int i = 0; i < invocation.Arguments.Length; i++)
            {
                if (invocation.Arguments[i].Parameter is { } p && p.Ordinal < method.Parameters.Length)
                {
                    entry = entry.Set(method.Parameters[p.Ordinal], argTaints[i]);
                }
            }

            _analysis.LocalFunctionStack.Add(method);
            var result = _analysis.AnalyzeGraph(graph, entry, _pc, _nesting + 1);
            _analysis.LocalFunctionStack.Remove(method);

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
