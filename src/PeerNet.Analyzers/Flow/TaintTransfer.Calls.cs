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
                if (argument.Parameter?.RefKind == RefKind.Out || LambdaArgument(argument) is not null)
                {
                    // Out arguments are evaluated as targets after the call, lambdas once the values
                    // they may be applied to are known.
                    argTaints[i] = Taint.Clean;
                    continue;
                }

                argTaints[i] = Eval(argument.Value);
                inputs = inputs.Union(argTaints[i]);
            }

            // A lambda passed to a higher-order method (LINQ, List.ForEach, Parallel.ForEach, a user's own
            // helper) may be applied to anything else the call receives: its parameters get that taint.
            var applied = inputs.Flatten();
            for (int i = 0; i < arguments.Length; i++)
            {
                if (LambdaArgument(arguments[i]) is { } lambda)
                {
                    argTaints[i] = EvalLambda(lambda, applied);
                    inputs = inputs.Union(argTaints[i]);
                }
                else if (!applied.IsClean && MethodGroupArgument(arguments[i]) is { } group)
                {
                    argTaints[i] = EvalMethodGroup(group, applied);
                    inputs = inputs.Union(argTaints[i]);
                }
            }

            var location = invocation.Syntax.GetLocation();

            if (_symbols.IsVersionCheck(method))
            {
                RecordCheck(method.Name, invocation);
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
                    if (!t.IsClean && !IsValidatedSend(invocation, t))
                    {
                        _collector.Add(invocation, p, FindArgument(arguments, p.Ordinal), t, ChecksAbout(invocation, FindArgument(arguments, p.Ordinal), t), method.Name, _symbols.SendKind(method), _symbols.IsPeerNetSend(method));
                    }
                }
            }

            CheckReceiverSink(invocation, method, receiver);

            Taint result;
            if (_symbols.IsSnapshotRead(method) && !IsOwnerRead(invocation.Instance))
            {
                var origin = SourceOrigin(method.Name, location, invocation.Instance);
                result = Taint.Of(origin, _symbols.IsProtocolBearingSource(method, method.ReturnType)).Union(receiver);
                AssignOutArguments(arguments, ordinal => Taint.Of(origin, _symbols.IsProtocolBearingSource(method, ordinal < method.Parameters.Length ? method.Parameters[ordinal].Type : null)).Union(receiver));
                return Derived(result, method.ReturnType);
            }

            if (method.Name == "<Clone>$" && method.Parameters.IsEmpty)
            {
                // A record's clone (a lowered `with`): the same members as the receiver.
                return receiver;
            }

            if (method.MethodKind == MethodKind.LocalFunction)
            {
                return EvalLocalFunctionCall(invocation, argTaints, inputs);
            }

            if (SummaryFor(method, inputs, inputs.IsClean && PcReachesAnArgument(arguments)) is { } summary)
            {
                if (!summary.IsOpaque)
                {
                    foreach (var pair in summary.SinkParameters)
                    {
                        var t = SunkPart(summary, pair.Key, ArgumentFor(pair.Key)).Union(SinkPc(FindArgument(arguments, pair.Key)));
                        if (!t.IsClean && pair.Key < method.Parameters.Length)
                        {
                            _collector.Add(invocation, method.Parameters[pair.Key], FindArgument(arguments, pair.Key), t, ChecksAbout(invocation, FindArgument(arguments, pair.Key), t), method.Name, pair.Value, false);
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
            inputs = inputs.Flatten();
            AssignOutArguments(arguments, ordinal => inputs);
            StoreThroughCall(invocation, argTaints);

            // A method outside the compilation called on a variable with a stale argument may store it
            // there (`list.Add(stale)`): the variable becomes stale too (weak update).
            var argumentsOnly = inputs;
            if (!receiver.IsClean) argumentsOnly = Taint.Clean;
            for (int i = 0; i < argTaints.Length && receiver.IsClean; i++)
            {
                argumentsOnly = argumentsOnly.Union(argTaints[i].Flatten());
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

        /// <summary>
        /// Whether the path's condition reaches a sink through one of <paramref name="arguments"/>: a stale condition
        /// that mentions what the argument holds (<see cref="SinkPc"/>). Only then can a callee's sink of that
        /// parameter make the call a finding when nothing stale goes in: with a clean argument, what a summary
        /// passes on to a sink (<see cref="SunkPart"/>) is clean, so a stale condition that mentions none of the
        /// arguments (`while (snapshot.Version &lt; target) Refresh(false)`) adds nothing a summary could report.
        /// </summary>
        private bool PcReachesAnArgument(ImmutableArray<IArgumentOperation> arguments)
        {
            if (_pc.IsClean) return false;
            foreach (var argument in arguments)
            {
                if (argument.Parameter is not null && !SinkPc(argument.Value).IsClean) return true;
            }

            return false;
        }

        /// <summary>
        /// The summary of a call to <paramref name="method"/>: its own when it is in source, joined with every
        /// implementation or override in source when the call dispatches (interfaces, abstract and virtual
        /// members: what any of them returns or sinks); null when there is none to use. <paramref name="pcMatters"/>:
        /// the path's condition reaches a sink through an argument (<see cref="PcReachesAnArgument"/>; asked only when nothing
        /// stale goes in, since otherwise the summary is used whatever the condition).
        /// </summary>
        private MethodSummary? SummaryFor(IMethodSymbol method, Taint inputs, bool pcMatters)
        {
            // With nothing stale going in (receiver, arguments, a condition about an argument), a summary can add only
            // what the method itself reads from a snapshot and returns: asked of the sources question alone.
            if (inputs.IsClean && !pcMatters && !_compilation.RelevantSymbols.MayYieldSource(method, _cancellationToken)) return null;
            var targets = !inputs.IsClean || _compilation.RelevantSymbols.IsWorthSummarizing(method, _cancellationToken)
                ? _compilation.Dispatch.Of(method, _cancellationToken)
                : default;
            bool own = _compilation.Summaries.IsInSource(method);
            if (targets.IsDefaultOrEmpty) return own ? SummaryOf(method, inputs) : null;

            var joined = own ? SummaryOf(method, inputs) : null;
            foreach (var target in targets)
            {
                if (!_compilation.Summaries.IsInSource(target)) return null;
                var summary = SummaryOf(target, inputs);

                // Nothing relevant in an implementation that receives nothing stale: it adds nothing.
                if (summary.IsOpaque && inputs.IsClean) continue;
                if (summary.IsOpaque) return null;
                joined = joined is null ? summary : Join(joined, summary);
            }

            return joined ?? (own ? null : new MethodSummary(false, Taint.Clean, ImmutableDictionary<int, Taint>.Empty, ImmutableDictionary<int, string>.Empty, ImmutableDictionary<ISymbol, Taint>.Empty));
        }

        /// <summary>
        /// The summary of a call's target. With something stale going in, the callee's body is summarized whatever it
        /// mentions (what it does with its parameters decides), so the gate's second question ("is it worth
        /// summarizing") is not asked: its answer would change nothing.
        /// </summary>
        private MethodSummary SummaryOf(IMethodSymbol method, Taint inputs) =>
            inputs.IsClean
                ? _compilation.Summaries.Get(method, _cancellationToken)
                : _compilation.Summaries.GetParameterFlow(method, _cancellationToken);

        private static MethodSummary Join(MethodSummary a, MethodSummary b)
        {
            if (a.IsOpaque || b.IsOpaque) return MethodSummary.Opaque;
            var outs = a.OutParameters;
            foreach (var pair in b.OutParameters)
            {
                outs = outs.SetItem(pair.Key, outs.TryGetValue(pair.Key, out var t) ? t.Union(pair.Value) : pair.Value);
            }

            var sinks = a.SinkParameters;
            foreach (var pair in b.SinkParameters)
            {
                if (!sinks.ContainsKey(pair.Key)) sinks = sinks.Add(pair.Key, pair.Value);
            }

            var paths = a.SinkParameterPaths;
            foreach (var pair in b.SinkParameterPaths)
            {
                paths = paths.SetItem(pair.Key, paths.TryGetValue(pair.Key, out var p) ? p.Union(pair.Value) : pair.Value);
            }

            var writes = a.MemberWrites;
            foreach (var pair in b.MemberWrites)
            {
                writes = writes.SetItem(pair.Key, writes.TryGetValue(pair.Key, out var w) ? w.Union(pair.Value) : pair.Value);
            }

            return new MethodSummary(false, a.Returned.Union(b.Returned), outs, sinks, writes, paths);
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

        /// <summary>
        /// What of <paramref name="argument"/> a summary passes on to a sink: only the members it reads from
        /// its parameter when that is all it sends (`Send(Plan plan) => ..SendTo(.., plan.Protocol, ..)`).
        /// </summary>
        private static Taint SunkPart(MethodSummary summary, int ordinal, Taint argument)
        {
            if (!summary.SinkParameterPaths.TryGetValue(ordinal, out var paths) || paths.IsEmpty || paths.Contains(string.Empty))
                return argument.Flatten();
            var result = Taint.Clean;
            foreach (var path in paths)
            {
                result = result.Union(argument.ReadMember(path));
            }

            return result.Flatten();
        }

        /// <summary>Substitutes a summary's taint at a call site (member restrictions and parameter members kept).</summary>
        private static Taint Map(Taint summaryTaint, IMethodSymbol callee, Location callSite, System.Func<int, Taint> argumentFor)
        {
            if (summaryTaint.IsClean) return Taint.Clean;
            var result = Taint.Clean;
            var name = callee.AssociatedSymbol?.Name ?? callee.Name;
            foreach (var origin in summaryTaint.Origins)
            {
                Taint t;
                if (origin.Kind == OriginKind.Source)
                {
                    t = Taint.Of(Origin.Source(name, callSite), summaryTaint.ProtocolBearing);
                }
                else
                {
                    t = argumentFor(origin.Ordinal);
                    t = origin.Path.Length != 0 ? t.ReadMember(origin.Path) : t;
                }

                result = result.Union(origin.Part.Length != 0 ? t.AsPart(origin.Part) : t);
            }

            return result.WithBearing(summaryTaint.ProtocolBearing);
        }
    }
}
