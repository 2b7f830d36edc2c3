using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>
    /// PN0002 fix, locating the guard: the version check that guarded the send (a [SnapshotVersionCheck] member or
    /// a SnapshotVersion comparison) and the `if` around or ahead of the send that the rewrite unwraps or removes.
    /// </summary>
    internal static class PN0001PN0002GuardLocator
    {
        public static void FindGuard(SyntaxNode checkNode, InvocationExpressionSyntax send, SemanticModel model, FixSymbols symbols, PN0001PN0002RacySendPlan plan, PN0001PN0002RemovalTracker removable, CancellationToken ct)
        {
            // A [SnapshotVersionCheck] member (IsCurrent) or a comparison of SnapshotVersion values.
            ExpressionSyntax? check = checkNode.AncestorsAndSelf().OfType<ExpressionSyntax>().FirstOrDefault(e =>
                (e is InvocationExpressionSyntax or MemberAccessExpressionSyntax or IdentifierNameSyntax &&
                 symbols.IsVersionCheck(model.GetSymbolInfo(e, ct).Symbol)) ||
                IsVersionComparison(e, model, symbols, ct));
            if (check == null)
            {
                return;
            }

            if (check.IsKind(SyntaxKind.NotEqualsExpression))
            {
                // `if (snapshot.Version != store.CurrentVersion) return;` ahead of the send.
                SyntaxNode? parent = check.Parent;
                while (parent is ParenthesizedExpressionSyntax)
                {
                    parent = parent.Parent;
                }

                if (parent is IfStatementSyntax stale && stale.Else == null && stale.Parent is BlockSyntax staleBlock &&
                    IsExit(stale.Statement) && stale.Span.End <= send.SpanStart && staleBlock.Span.Contains(send.Span))
                {
                    plan.GuardToRemove = stale;
                    removable.Region(stale);
                }

                return;
            }

            if (check.Parent is MemberAccessExpressionSyntax parentAccess && parentAccess.Name == check)
            {
                check = parentAccess;
            }

            if (check.Parent is InvocationExpressionSyntax parentCall && parentCall.Expression == check)
            {
                check = parentCall;
            }

            SyntaxNode? up = check.Parent;
            while (up is ParenthesizedExpressionSyntax)
            {
                up = up.Parent;
            }

            if (up is IfStatementSyntax guard && guard.Else == null && guard.Parent is BlockSyntax && guard.Statement.Span.Contains(send.Span))
            {
                // `if (store.IsCurrent(v)) { send }`: keep the body.
                plan.GuardToUnwrap = guard;
                removable.Region(guard.Condition);
                return;
            }

            if (up is PrefixUnaryExpressionSyntax not && not.IsKind(SyntaxKind.LogicalNotExpression))
            {
                up = not.Parent;
                while (up is ParenthesizedExpressionSyntax)
                {
                    up = up.Parent;
                }

                // `if (!store.IsCurrent(v)) return;` ahead of the send, in a block around it.
                if (up is IfStatementSyntax early && early.Else == null && early.Parent is BlockSyntax block &&
                    IsExit(early.Statement) && early.Span.End <= send.SpanStart && block.Span.Contains(send.Span))
                {
                    plan.GuardToRemove = early;
                    removable.Region(early);
                }
            }
        }

        private static bool IsVersionComparison(ExpressionSyntax e, SemanticModel model, FixSymbols symbols, CancellationToken ct) =>
            e is BinaryExpressionSyntax binary &&
            (binary.IsKind(SyntaxKind.EqualsExpression) || binary.IsKind(SyntaxKind.NotEqualsExpression) ||
             binary.IsKind(SyntaxKind.GreaterThanOrEqualExpression) || binary.IsKind(SyntaxKind.LessThanOrEqualExpression)) &&
            (FixSymbols.Is(model.GetTypeInfo(binary.Left, ct).Type, symbols.SnapshotVersion) ||
             FixSymbols.Is(model.GetTypeInfo(binary.Right, ct).Type, symbols.SnapshotVersion));

        private static bool IsExit(StatementSyntax statement)
        {
            if (statement is BlockSyntax { Statements.Count: 1 } block)
            {
                statement = block.Statements[0];
            }

            return statement is ReturnStatementSyntax or ThrowStatementSyntax or ContinueStatementSyntax or BreakStatementSyntax;
        }
    }
}
