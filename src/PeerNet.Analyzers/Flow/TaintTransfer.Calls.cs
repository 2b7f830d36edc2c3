using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>Invocations: version checks, sinks, snapshot reads, and calls to methods of the compilation through their summaries.</summary>
    internal sealed partial class TaintTransfer
    {
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

            if (_compilation.Summaries.IsInSource(method))
            {
                var summary = _compilation.Summaries.Get(method, _cancellationToken);
                if (summary.IsOpaque && !inputs.IsClean)
                {
                    summary = _compilation.Summaries.GetParameterFlow(method, _cancellationToken);
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
    }
}
