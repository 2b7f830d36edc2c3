using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>PN0003: makes the discarded result of a Try-send observable (throw, or return it).</summary>
    internal static class TrySendResultFixer
    {
        public enum Mode
        {
            Throw,
            Return,
        }

        public static async Task<Document?> TryFixAsync(Document document, SyntaxNode node, Mode mode, CancellationToken ct)
        {
            SyntaxNode? root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            SemanticModel? model = await document.GetSemanticModelAsync(ct).ConfigureAwait(false);
            if (root == null || model == null)
            {
                return null;
            }

            var symbols = PeerNetSymbols.Create(model.Compilation);
            if (!symbols.IsComplete)
            {
                return null;
            }

            // The discarded bool-returning Try call, as a statement (`x.Try...(...);` or `_ = x.Try...(...);`).
            InvocationExpressionSyntax? call = null;
            IInvocationOperation? op = null;
            foreach (InvocationExpressionSyntax candidate in node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>())
            {
                if (model.GetOperation(candidate, ct) is IInvocationOperation o && o.TargetMethod.ReturnType.SpecialType == SpecialType.System_Boolean)
                {
                    call = candidate;
                    op = o;
                    break;
                }
            }

            if (call == null || op == null)
            {
                return null;
            }

            StatementSyntax? statement = call.Parent switch
            {
                ExpressionStatementSyntax s => s,
                AssignmentExpressionSyntax { Parent: ExpressionStatementSyntax s } a when a.Right == call && IsDiscard(a.Left, model, ct) => s,
                _ => null,
            };
            if (statement == null)
            {
                return null;
            }

            int position = call.SpanStart;

            // The out SendFailure argument (renamed from a discard to a named variable when we need it) and the peer.
            IArgumentOperation? failureArg = op.Arguments.FirstOrDefault(a =>
                a.Parameter != null && a.Parameter.RefKind == RefKind.Out && PeerNetSymbols.Is(a.Parameter.Type, symbols.SendFailure));
            IArgumentOperation? peerArg = op.Arguments.FirstOrDefault(a =>
                a.Parameter != null && a.Parameter.RefKind == RefKind.None && PeerNetSymbols.Is(a.Parameter.Type, symbols.PeerNetworkId) &&
                a.ArgumentKind == ArgumentKind.Explicit);

            InvocationExpressionSyntax newCall = call;
            string? failure = null;
            if (failureArg?.Syntax is ArgumentSyntax failureSyntax)
            {
                switch (failureSyntax.Expression)
                {
                    case DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax named }:
                        failure = named.Identifier.ValueText;
                        break;
                    case DeclarationExpressionSyntax { Designation: DiscardDesignationSyntax }:
                    case IdentifierNameSyntax discard when IsDiscard(discard, model, ct):
                        failure = FixSyntax.UniqueName(call, "failure");
                        newCall = call.ReplaceNode(failureSyntax, failureSyntax.WithExpression(RacySendRewriter.OutVar(failure)).WithTriviaFrom(failureSyntax));
                        break;
                    case IdentifierNameSyntax existing when model.GetSymbolInfo(existing, ct).Symbol is ILocalSymbol or IParameterSymbol:
                        failure = existing.Identifier.ValueText;
                        break;
                }
            }

            var replacement = new List<StatementSyntax>();
            StatementSyntax? alsoRemove = null;
            if (mode == Mode.Throw)
            {
                if (failure == null || peerArg?.Syntax is not ArgumentSyntax peerSyntax ||
                    !FixSyntax.IsReusableAt(peerSyntax.Expression, position, model, symbols, ct))
                {
                    return null;
                }

                replacement.Add(RacySendRewriter.ThrowIfFailed(newCall, failure, peerSyntax.Expression));
            }
            else
            {
                ITypeSymbol? returnType = FixSyntax.EffectiveReturnType(statement, model, ct);
                if (returnType?.SpecialType == SpecialType.System_Boolean)
                {
                    if (statement.Parent is BlockSyntax block && block.Statements.IndexOf(statement) is int i && i + 1 < block.Statements.Count &&
                        block.Statements[i + 1] is ReturnStatementSyntax { Expression: LiteralExpressionSyntax literal } nextReturn &&
                        literal.IsKind(SyntaxKind.TrueLiteralExpression))
                    {
                        // `Try(...); return true;` becomes `return Try(...);`.
                        replacement.Add(SyntaxFactory.ReturnStatement(call.WithoutTrivia()).WithAdditionalAnnotations(Formatter.Annotation));
                        alsoRemove = nextReturn;
                    }
                    else
                    {
                        replacement.Add(RacySendRewriter.IfNot(call, SyntaxFactory.ReturnStatement(SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression))));
                    }
                }
                else if (PeerNetSymbols.Is(returnType, symbols.SendFailure) && failure != null)
                {
                    replacement.Add(RacySendRewriter.IfNot(newCall, SyntaxFactory.ReturnStatement(SyntaxFactory.IdentifierName(failure))));
                }
                else
                {
                    return null;
                }
            }

            SyntaxTriviaList leading = statement.GetLeadingTrivia();
            SyntaxTriviaList trailing = statement.GetTrailingTrivia();
            if (alsoRemove != null)
            {
                // The comments in front of the merged `return true;` go in front; its line end replaces ours.
                leading = leading.AddRange(RacySendRewriter.CommentsOf(alsoRemove.GetLeadingTrivia()));
                while (trailing.Count > 0 && (trailing.Last().IsKind(SyntaxKind.EndOfLineTrivia) || trailing.Last().IsKind(SyntaxKind.WhitespaceTrivia)))
                {
                    trailing = trailing.RemoveAt(trailing.Count - 1);
                }

                trailing = trailing.AddRange(alsoRemove.GetTrailingTrivia());
            }

            replacement[0] = replacement[0].WithLeadingTrivia(leading);

            replacement[replacement.Count - 1] = replacement[replacement.Count - 1].WithTrailingTrivia(trailing);
            SyntaxNode tracked = root.TrackNodes(alsoRemove == null ? new SyntaxNode[] { statement } : new SyntaxNode[] { statement, alsoRemove });
            if (alsoRemove != null)
            {
                tracked = tracked.RemoveNode(tracked.GetCurrentNode(alsoRemove)!, SyntaxRemoveOptions.KeepNoTrivia)!;
            }

            SyntaxNode newRoot = RacySendRewriter.ReplaceStatement(tracked, tracked.GetCurrentNode(statement)!, replacement);
            return await CodeFixCleanup.CleanupAsync(document.WithSyntaxRoot(newRoot), ct).ConfigureAwait(false);
        }

        private static bool IsDiscard(ExpressionSyntax expression, SemanticModel model, CancellationToken ct) =>
            expression is IdentifierNameSyntax { Identifier.ValueText: "_" } && model.GetSymbolInfo(expression, ct).Symbol is null or IDiscardSymbol;
    }
}
