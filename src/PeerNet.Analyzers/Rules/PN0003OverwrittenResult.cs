using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers
{
    /// <summary>
    /// PN0003: a Try-send's result stored in a local that is overwritten on every path before it is read
    /// (`var ok = TrySend(..); ok = TrySend(..);`). Decided on the control flow graph of the body: from the
    /// store, each path either reads the local first (the result is observed) or writes it first. A local
    /// captured by a lambda or local function, or read in a catch/finally region, counts as read.
    /// </summary>
    internal static class PN0003OverwrittenResult
    {
        private enum Effect
        {
            None,
            Read,
            Write,
        }

        /// <summary>Whether the value <paramref name="invocation"/> stores in <paramref name="local"/> is overwritten before any read.</summary>
        public static bool IsOverwrittenBeforeRead(IInvocationOperation invocation, ILocalSymbol local, CancellationToken cancellationToken)
        {
            IOperation root = invocation;
            while (root.Parent is not null) root = root.Parent;
            foreach (var op in root.Descendants())
            {
                // Captured: the read may happen whenever the function runs.
                if (op is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local) && IsInFunction(reference, root)) return false;
            }

            ControlFlowGraph cfg;
            try
            {
                cfg = root switch
                {
                    IMethodBodyOperation m => ControlFlowGraph.Create(m, cancellationToken),
                    IBlockOperation b => ControlFlowGraph.Create(b, cancellationToken),
                    IConstructorBodyOperation c => ControlFlowGraph.Create(c, cancellationToken),
                    _ => null!,
                };
            }
            catch (System.ArgumentException)
            {
                return false;
            }

            if (cfg is null) return false;

            // The block and operation that store the call's result.
            foreach (var block in cfg.Blocks)
            {
                for (int i = 0; i < block.Operations.Length; i++)
                {
                    if (!Contains(block.Operations[i], invocation.Syntax)) continue;
                    if (block.EnclosingRegion.Kind is ControlFlowRegionKind.Try or ControlFlowRegionKind.TryAndCatch or ControlFlowRegionKind.TryAndFinally && ReadInHandler(cfg, local)) return false;
                    var first = FirstEffect(block, i + 1, local);
                    if (first != Effect.None) return first == Effect.Write;
                    return !ReachesRead(cfg, block, local);
                }
            }

            return false;
        }

        private static bool IsInFunction(IOperation operation, IOperation root)
        {
            for (var p = operation.Parent; p is not null && p != root; p = p.Parent)
            {
                if (p is IAnonymousFunctionOperation or ILocalFunctionOperation) return true;
            }

            return false;
        }

        private static bool Contains(IOperation operation, SyntaxNode syntax)
        {
            foreach (var op in operation.DescendantsAndSelf())
            {
                if (op.Syntax == syntax && op is IInvocationOperation) return true;
            }

            return false;
        }

        private static bool ReadInHandler(ControlFlowGraph cfg, ILocalSymbol local)
        {
            foreach (var block in cfg.Blocks)
            {
                if (block.EnclosingRegion.Kind is not (ControlFlowRegionKind.Catch or ControlFlowRegionKind.Finally or ControlFlowRegionKind.Filter or ControlFlowRegionKind.FilterAndHandler)) continue;
                if (FirstEffect(block, 0, local) == Effect.Read) return true;
                foreach (var op in block.Operations)
                {
                    if (EffectOf(op, local) != Effect.None) return true;
                }
            }

            return false;
        }

        /// <summary>Whether some path from the end of <paramref name="start"/> reads <paramref name="local"/> before writing it.</summary>
        private static bool ReachesRead(ControlFlowGraph cfg, BasicBlock start, ILocalSymbol local)
        {
            var seen = new HashSet<int>();
            var work = new Stack<BasicBlock>();
            if (start.BranchValue is { } bv && EffectOf(bv, local) == Effect.Read) return true;
            Push(start, work);
            while (work.Count > 0)
            {
                var block = work.Pop();
                if (!seen.Add(block.Ordinal)) continue;
                var effect = FirstEffect(block, 0, local);
                if (effect == Effect.Read) return true;
                if (effect == Effect.Write) continue;
                Push(block, work);
            }

            return false;
        }

        private static void Push(BasicBlock block, Stack<BasicBlock> work)
        {
            if (block.ConditionalSuccessor?.Destination is { } c) work.Push(c);
            if (block.FallThroughSuccessor?.Destination is { } f) work.Push(f);
        }

        private static Effect FirstEffect(BasicBlock block, int from, ILocalSymbol local)
        {
            for (int i = from; i < block.Operations.Length; i++)
            {
                var e = EffectOf(block.Operations[i], local);
                if (e != Effect.None) return e;
            }

            return block.BranchValue is { } value ? EffectOf(value, local) : Effect.None;
        }

        /// <summary>The first effect on <paramref name="local"/> of evaluating <paramref name="operation"/> (values before the store).</summary>
        private static Effect EffectOf(IOperation operation, ILocalSymbol local)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local):
                {
                    var e = EffectOf(assignment.Value, local);
                    return e != Effect.None ? e : Effect.Write;
                }

                case IArgumentOperation { Parameter.RefKind: RefKind.Out, Value: ILocalReferenceOperation target } when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    return Effect.Write;
                case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, local):
                    return Effect.Read;
            }

            foreach (var child in operation.ChildOperations)
            {
                var e = EffectOf(child, local);
                if (e != Effect.None) return e;
            }

            return Effect.None;
        }
    }
}
