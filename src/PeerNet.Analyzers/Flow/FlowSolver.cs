using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis.FlowAnalysis;

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
    /// The fixed-point solver of the flow engine: a forward worklist over the blocks of one
    /// <see cref="ControlFlowGraph"/>, joining states (<see cref="FlowState.Join"/>) at block entries and
    /// re-evaluating a block (with the <see cref="TaintTransfer">transfer function</see>) only when its
    /// in-state or the taint of a branch it is control-dependent on changed. It knows nothing about what
    /// an operation does.
    /// </summary>
    internal static class FlowSolver
    {
        private const int MaxPasses = 64;

        public static BodyResult Solve(ControlFlowGraph cfg, FlowState entry, Taint basePc, TaintTransfer transfer, CancellationToken cancellationToken, out FlowState union)
        {
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
                    cancellationToken.ThrowIfCancellationRequested();
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

                    var output = transfer.EvaluateBlock(block, state, pc, deps[i], branchTaint, out var branchValue);
                    if (branchValue is { } t)
                    {
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
                            var r = returned.Union(t).Union(pc);
                            if (!r.Equals(returned))
                            {
                                returned = r;
                                changed = true;
                            }
                        }
                    }

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
    }
}
