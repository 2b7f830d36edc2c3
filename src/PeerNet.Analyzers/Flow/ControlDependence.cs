using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// For each basic block, the conditional blocks it is control-dependent on: the blocks reachable from a
    /// conditional block's successors before its immediate post-dominator. A protocol assigned (or sent)
    /// there was chosen by that condition (implicit flow: `set.Contains(p) ? p : q`, if/else, loop-break).
    /// </summary>
    internal static class ControlDependence
    {
        public static ImmutableArray<int>[] Compute(ControlFlowGraph cfg)
        {
            var blocks = cfg.Blocks;
            int n = blocks.Length;
            int exit = n - 1;
            var succ = new List<int>[n];
            var unmatched = new bool[n];
            for (int i = 0; i < n; i++)
            {
                succ[i] = new List<int>(2);
                var b = blocks[i];
                if (IsUnmatchedSwitchThrow(b))
                {
                    // The compiler's throw when no arm of a switch expression matches: not a path the program's
                    // logic takes, so it neither post-dominates nor makes the code after the switch depend on
                    // the arms' tests (a user's own `throw` does, as a `return` does).
                    unmatched[i] = true;
                    continue;
                }

                if (b.ConditionalSuccessor?.Destination is { } c) succ[i].Add(c.Ordinal);
                if (b.FallThroughSuccessor?.Destination is { } f) succ[i].Add(f.Ordinal);
                if (succ[i].Count == 0 && i != exit) succ[i].Add(exit);
            }

            // Post-dominators (iterative, bit sets).
            var pdom = new BitArray[n];
            for (int i = 0; i < n; i++)
            {
                pdom[i] = new BitArray(n, true);
            }

            pdom[exit] = new BitArray(n, false);
            pdom[exit][exit] = true;
            bool changed = true;
            int guard = 0;
            while (changed && guard++ < n + 8)
            {
                changed = false;
                for (int i = n - 1; i >= 0; i--)
                {
                    if (i == exit || unmatched[i]) continue;
                    var next = new BitArray(n, true);
                    foreach (var s in succ[i])
                    {
                        next.And(pdom[s]);
                    }

                    next[i] = true;
                    if (!Same(next, pdom[i]))
                    {
                        pdom[i] = next;
                        changed = true;
                    }
                }
            }

            // How many post-dominators each block has, counted once (the immediate post-dominator of a block is its
            // strict post-dominator with the most).
            var pdomCount = new int[n];
            for (int d = 0; d < n; d++)
            {
                for (int k = 0; k < n; k++)
                {
                    if (pdom[d][k]) pdomCount[d]++;
                }
            }

            var deps = new List<int>[n];
            for (int i = 0; i < n; i++)
            {
                deps[i] = new List<int>();
            }

            for (int a = 0; a < n; a++)
            {
                if (blocks[a].ConditionKind == ControlFlowConditionKind.None || succ[a].Count < 2) continue;
                int ipdom = ImmediatePostDominator(a, pdom, pdomCount, n);
                var seen = new bool[n];
                var stack = new Stack<int>(succ[a]);
                while (stack.Count > 0)
                {
                    int x = stack.Pop();
                    if (x == ipdom || seen[x]) continue;
                    seen[x] = true;
                    deps[x].Add(a);
                    foreach (var s in succ[x])
                    {
                        stack.Push(s);
                    }
                }
            }

            var result = new ImmutableArray<int>[n];
            for (int i = 0; i < n; i++)
            {
                result[i] = deps[i].ToImmutableArray();
            }

            return result;
        }

        private static bool IsUnmatchedSwitchThrow(BasicBlock block) =>
            block.FallThroughSuccessor is { Semantics: ControlFlowBranchSemantics.Throw } &&
            block.BranchValue is { IsImplicit: true } thrown &&
            thrown.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.SwitchExpressionSyntax;

        private static int ImmediatePostDominator(int a, BitArray[] pdom, int[] pdomCount, int n)
        {
            // The strict post-dominator of `a` that all other strict post-dominators post-dominate:
            // the one with the most post-dominators of its own.
            int best = -1;
            int bestCount = -1;
            for (int d = 0; d < n; d++)
            {
                if (d == a || !pdom[a][d]) continue;
                int count = pdomCount[d];
                if (count > bestCount)
                {
                    best = d;
                    bestCount = count;
                }
            }

            return best;
        }

        private static bool Same(BitArray x, BitArray y)
        {
            for (int i = 0; i < x.Length; i++)
            {
                if (x[i] != y[i]) return false;
            }

            return true;
        }
    }
}
