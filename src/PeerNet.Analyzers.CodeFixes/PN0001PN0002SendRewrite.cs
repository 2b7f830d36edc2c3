using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>
    /// PN0001/PN0002 fix, the edit: replaces the racy send with NetworkClient's atomic send
    /// (TrySendWithCurrentProtocol with a throw on failure, SendToPeer in an expression body, SendToPeerRpcAsync
    /// for an RPC), unwraps or removes the guard, and removes the declarations the rewrite left dead, keeping
    /// comments and formatting.
    /// </summary>
    internal static class PN0001PN0002SendRewrite
    {
        private const string FailureName = "failure";

        public static async Task<Document?> TryRewriteAsync(Document document, DiagnosticNodes nodes, PN0001PN0002FixVariant variant, CancellationToken ct) =>
            (await TryRewriteWithPlanAsync(document, nodes, variant, ct).ConfigureAwait(false)).Document;

        /// <summary>The rewritten document and the plan it followed (null, null when this variant is not possible).</summary>
        public static async Task<(Document? Document, PN0001PN0002RacySendPlan? Plan)> TryRewriteWithPlanAsync(Document document, DiagnosticNodes nodes, PN0001PN0002FixVariant variant, CancellationToken ct)
        {
            SyntaxNode? root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            SemanticModel? model = await document.GetSemanticModelAsync(ct).ConfigureAwait(false);
            if (root == null || model == null)
            {
                return (null, null);
            }

            PN0001PN0002RacySendPlan? plan = PN0001PN0002SendLocator.Locate(document, nodes.Primary, nodes.First, nodes.Second, model, variant, ct);
            if (plan == null)
            {
                return (null, null);
            }

            SyntaxNode newRoot = Apply(root, plan);
            return (await CodeFixCleanup.CleanupAsync(document.WithSyntaxRoot(newRoot), ct).ConfigureAwait(false), plan);
        }

        private static SyntaxNode Apply(SyntaxNode root, PN0001PN0002RacySendPlan plan)
        {
            var tracked = new List<SyntaxNode> { plan.Send };
            if (plan.SendStatement != null)
            {
                tracked.Add(plan.SendStatement);
            }

            if (plan.GuardToUnwrap != null)
            {
                tracked.Add(plan.GuardToUnwrap);
            }

            if (plan.GuardToRemove != null)
            {
                tracked.Add(plan.GuardToRemove);
            }

            tracked.AddRange(plan.DeadCandidates.Select(c => c.Declaration));
            List<BlockSyntax> blocks = plan.Send.Ancestors().OfType<BlockSyntax>().ToList();
            tracked.AddRange(blocks);
            root = root.TrackNodes(tracked);

            // The send.
            if (plan.IsRpc)
            {
                InvocationExpressionSyntax current = root.GetCurrentNode(plan.Send)!;
                root = root.ReplaceNode(current, RpcCall(plan).WithTriviaFrom(current));
            }
            else if (plan.SendStatement == null)
            {
                InvocationExpressionSyntax current = root.GetCurrentNode(plan.Send)!;
                root = root.ReplaceNode(current, ThrowingSendCall(plan).WithTriviaFrom(current));
            }
            else
            {
                StatementSyntax current = root.GetCurrentNode(plan.SendStatement)!;
                List<StatementSyntax> replacement = TrySendStatements(plan, current);
                root = StatementEdits.ReplaceStatement(root, current, replacement);
            }

            // The guard.
            if (plan.GuardToUnwrap != null && root.GetCurrentNode(plan.GuardToUnwrap) is IfStatementSyntax guard)
            {
                List<StatementSyntax> body = guard.Statement is BlockSyntax block ? block.Statements.ToList() : new List<StatementSyntax> { guard.Statement };
                if (body.Count == 0)
                {
                    root = StatementEdits.RemoveStatementKeepingComments(root, guard);
                }
                else
                {
                    // The guard's own leading trivia (blank lines, comments, indentation) stays where the guard was.
                    SyntaxTriviaList leading = guard.GetLeadingTrivia();
                    if (guard.Statement is BlockSyntax b)
                    {
                        leading = leading.AddRange(StatementEdits.CommentsOf(b.OpenBraceToken.TrailingTrivia)).AddRange(StatementEdits.CommentsOf(b.CloseBraceToken.LeadingTrivia));
                    }

                    body[0] = body[0].WithLeadingTrivia(leading.AddRange(StatementEdits.CommentsOf(body[0].GetLeadingTrivia())));
                    body = body.Select(s => s.WithAdditionalAnnotations(Formatter.Annotation)).ToList();
                    root = root.ReplaceNode(guard, body);
                }
            }

            if (plan.GuardToRemove != null && root.GetCurrentNode(plan.GuardToRemove) is IfStatementSyntax early)
            {
                root = StatementEdits.RemoveStatementKeepingComments(root, early);
            }

            // Declarations the rewrite left unused (by name, conservatively: any identifier spelled the same keeps
            // the declaration), removed until nothing more becomes unused.
            bool removed = true;
            while (removed)
            {
                removed = false;
                foreach ((string name, LocalDeclarationStatementSyntax declaration) in plan.DeadCandidates)
                {
                    if (root.GetCurrentNode(declaration) is not LocalDeclarationStatementSyntax current)
                    {
                        continue;
                    }

                    SyntaxNode scope = SyntaxQueries.OutermostScope(current);
                    bool used = scope.DescendantNodes().OfType<IdentifierNameSyntax>().Any(id => id.Identifier.ValueText == name);
                    if (!used)
                    {
                        root = StatementEdits.RemoveStatementKeepingComments(root, current);
                        removed = true;
                    }
                }
            }

            // A block that lost its first statements should not start with a blank line.
            foreach (BlockSyntax block in blocks)
            {
                if (root.GetCurrentNode(block) is BlockSyntax currentBlock && currentBlock.Statements.Count > 0)
                {
                    StatementSyntax first = currentBlock.Statements[0];
                    SyntaxTriviaList trimmed = StatementEdits.TrimLeadingBlankLines(first.GetLeadingTrivia());
                    if (trimmed.Count != first.GetLeadingTrivia().Count)
                    {
                        root = root.ReplaceNode(first, first.WithLeadingTrivia(trimmed));
                    }
                }
            }

            return root;
        }

        private static ExpressionSyntax RpcCall(PN0001PN0002RacySendPlan plan)
        {
            var args = new List<ArgumentSyntax> { SyntaxFactory.Argument(plan.Message) };
            if (plan.Preferences != null)
            {
                args.Add(SyntaxFactory.Argument(plan.Preferences.WithoutTrivia()));
            }

            args.Add(SyntaxFactory.Argument(plan.Timeout!));
            args.Add(SyntaxFactory.Argument(plan.Peer.WithoutTrivia()));
            if (plan.CancellationToken != null)
            {
                args.Add(SyntaxFactory.Argument(plan.CancellationToken));
            }

            return SyntaxBuilders.Call(plan.Client, "SendToPeerRpcAsync", args);
        }

        private static ExpressionSyntax ThrowingSendCall(PN0001PN0002RacySendPlan plan)
        {
            var args = new List<ArgumentSyntax> { SyntaxFactory.Argument(plan.Message), SyntaxFactory.Argument(plan.Peer.WithoutTrivia()) };
            if (plan.Preferences != null)
            {
                args.Add(SyntaxFactory.Argument(plan.Preferences.WithoutTrivia()));
            }

            return SyntaxBuilders.Call(plan.Client, "SendToPeer", args);
        }

        private static List<StatementSyntax> TrySendStatements(PN0001PN0002RacySendPlan plan, StatementSyntax original)
        {
            var statements = new List<StatementSyntax>();
            ExpressionSyntax peer = plan.Peer;
            if (!plan.PeerIsReusable)
            {
                // Evaluated once, named, then used for the send and the exception.
                string peerName = SyntaxQueries.UniqueName(original, "peer");
                statements.Add(SyntaxBuilders.VarDeclaration(peerName, peer));
                peer = SyntaxFactory.IdentifierName(peerName);
            }

            string failure = SyntaxQueries.UniqueName(original, FailureName);
            ExpressionSyntax trySend = SyntaxBuilders.TrySendCall(plan.Client, peer, plan.Preferences, plan.Message, failure);
            statements.Add(SyntaxBuilders.ThrowIfFailed(trySend, failure, peer));
            if (plan.NullCheckedReceiver != null)
            {
                // `sender?.SendTo(...)` sent nothing without a sender: neither does the rewrite.
                statements = new List<StatementSyntax>
                {
                    SyntaxFactory.IfStatement(
                        SyntaxFactory.BinaryExpression(SyntaxKind.NotEqualsExpression, plan.NullCheckedReceiver.WithoutTrivia(), SyntaxFactory.LiteralExpression(SyntaxKind.NullLiteralExpression)),
                        SyntaxFactory.Block(statements)),
                };
            }

            statements = statements.Select(s => s.WithAdditionalAnnotations(Formatter.Annotation)).ToList();
            statements[0] = statements[0].WithLeadingTrivia(original.GetLeadingTrivia());
            statements[statements.Count - 1] = statements[statements.Count - 1].WithTrailingTrivia(original.GetTrailingTrivia());
            return statements;
        }
    }
}
