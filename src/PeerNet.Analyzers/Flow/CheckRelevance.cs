using System.Collections;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>Where a version check was evaluated: its operation, and the graph and block it is in.</summary>
    internal sealed class CheckSite
    {
        public CheckSite(IOperation operation, ControlFlowGraph graph, int block)
        {
            Operation = operation;
            Graph = graph;
            Block = block;
        }

        public IOperation Operation { get; }

        public ControlFlowGraph Graph { get; }

        public int Block { get; }
    }

    /// <summary>
    /// Whether a version check is about a send (PN0002) or about something else (issue 12.6): a check in a
    /// loop that does not contain the send, and whose result does not leave that loop, checked other
    /// iterations; a check on another snapshot or about another peer does not make a send check-then-act.
    /// </summary>
    internal static class CheckRelevance
    {
        /// <summary>
        /// Whether the check at <paramref name="check"/> sits in a loop of <paramref name="cfg"/> that does not
        /// hold <paramref name="sendBlock"/>, and its branch does not leave that loop (break/return on the check).
        /// </summary>
        public static bool IsInAnotherLoop(ControlFlowGraph cfg, CheckSite check, int sendBlock)
        {
            if (!ReferenceEquals(check.Graph, cfg)) return false;
            var fromCheck = Reachable(cfg, check.Block);
            if (!fromCheck[check.Block]) return false; // not in a loop
            var fromSend = Reachable(cfg, sendBlock);
            bool sameLoop = (fromCheck[sendBlock] && fromSend[check.Block]) || check.Block == sendBlock;
            if (sameLoop) return false;

            // The check decides whether the loop is left (`if (IsCurrent(v)) break;`, `return`): it guards what follows.
            var block = cfg.Blocks[check.Block];
            if (block.BranchValue is { } condition && condition.Syntax.Span.Contains(check.Operation.Syntax.Span))
            {
                foreach (var next in new[] { block.ConditionalSuccessor?.Destination, block.FallThroughSuccessor?.Destination })
                {
                    if (next is null) continue;
                    if (!Reachable(cfg, next.Ordinal)[check.Block]) return false;
                }
            }

            return true;
        }

        /// <summary>The blocks reachable from <paramref name="start"/>'s successors (so start itself only when in a cycle).</summary>
        private static BitArray Reachable(ControlFlowGraph cfg, int start)
        {
            var seen = new BitArray(cfg.Blocks.Length);
            var stack = new Stack<int>();
            Push(cfg.Blocks[start], stack);
            while (stack.Count > 0)
            {
                int b = stack.Pop();
                if (seen[b]) continue;
                seen[b] = true;
                Push(cfg.Blocks[b], stack);
            }

            return seen;
        }

        private static void Push(BasicBlock block, Stack<int> stack)
        {
            if (block.ConditionalSuccessor?.Destination is { } c) stack.Push(c.Ordinal);
            if (block.FallThroughSuccessor?.Destination is { } f) stack.Push(f.Ordinal);
        }

        /// <summary>The arguments of a check (a method call or an indexer read); empty for comparisons and plain properties.</summary>
        public static IEnumerable<IOperation> ArgumentsOf(IOperation check) => check switch
        {
            IInvocationOperation i => Values(i.Arguments),
            IPropertyReferenceOperation p => Values(p.Arguments),
            _ => System.Array.Empty<IOperation>(),
        };

        private static IEnumerable<IOperation> Values(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments)
        {
            foreach (var a in arguments)
            {
                if (a.ArgumentKind != ArgumentKind.DefaultValue) yield return Strip(a.Value);
            }
        }

        public static IOperation Strip(IOperation operation)
        {
            while (operation is IConversionOperation { IsImplicit: true } c) operation = c.Operand;
            return operation;
        }

        /// <summary>Whether two expressions denote the same value at a glance: the same variable, member path or constant, or the same text.</summary>
        public static bool SameValue(IOperation a, IOperation b)
        {
            a = Strip(a);
            b = Strip(b);
            if (a.ConstantValue.HasValue || b.ConstantValue.HasValue)
            {
                return a.ConstantValue.HasValue && b.ConstantValue.HasValue && Equals(a.ConstantValue.Value, b.ConstantValue.Value);
            }

            switch (a)
            {
                case ILocalReferenceOperation la when b is ILocalReferenceOperation lb:
                    return SymbolEqualityComparer.Default.Equals(la.Local, lb.Local);
                case IParameterReferenceOperation pa when b is IParameterReferenceOperation pb:
                    return SymbolEqualityComparer.Default.Equals(pa.Parameter, pb.Parameter);
                case IMemberReferenceOperation ma when b is IMemberReferenceOperation mb:
                    return SymbolEqualityComparer.Default.Equals(ma.Member, mb.Member) &&
                        (ma.Instance is null ? mb.Instance is null : mb.Instance is not null && SameValue(ma.Instance, mb.Instance));
                case IInstanceReferenceOperation when b is IInstanceReferenceOperation:
                    return true;
            }

            return a.Syntax.IsEquivalentTo(b.Syntax, topLevel: false);
        }
    }
}
