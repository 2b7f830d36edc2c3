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
    /// <summary>
    /// PN0003 fix, the edit: makes the discarded result of a Try-send observable, by throwing PeerNetException or by
    /// returning the result. Handles a bool result (TrySendWithCurrentProtocol) and a SendFailure result
    /// (TrySendOnConnection), discarded as a statement, into `_`, or into a local that is never read (the
    /// diagnostic's <see cref="DiagnosticProperties.DiscardKind"/> says which).
    /// </summary>
    internal static class PN0003TrySendResultRewrite
    {
        public enum Mode
        {
            Throw,
            Return,
        }

        private enum Form
        {
            /// <summary>`Try(...);` or `_ = Try(...);`: the statement is replaced.</summary>
            Discarded,

            /// <summary>`var unread = Try(...);` or `unread = Try(...);`: kept for a SendFailure (then checked), replaced for a bool.</summary>
            UnreadLocal,
        }

        public static async Task<Document?> TryFixAsync(Document document, DiagnosticNodes nodes, Mode mode, CancellationToken ct)
        {
            if (!nodes.Properties.TryGetValue(DiagnosticProperties.DiscardKind, out string? discardKind))
            {
                return null;
            }

            SyntaxNode node = nodes.Primary;
            SyntaxNode? root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            SemanticModel? model = await document.GetSemanticModelAsync(ct).ConfigureAwait(false);
            if (root == null || model == null)
            {
                return null;
            }

            FixSymbols? symbols = FixSymbols.Create(document, model.Compilation);
            if (symbols == null)
            {
                return null;
            }

            // The Try call whose bool or SendFailure result is dropped.
            InvocationExpressionSyntax? call = null;
            IInvocationOperation? op = null;
            foreach (InvocationExpressionSyntax candidate in node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>())
            {
                if (model.GetOperation(candidate, ct) is IInvocationOperation o &&
                    (o.TargetMethod.ReturnType.SpecialType == SpecialType.System_Boolean || FixSymbols.Is(o.TargetMethod.ReturnType, symbols.SendFailure)))
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

            if (discardKind != DiagnosticProperties.DiscardedInUnreadLocal &&
                await AsStatementAsync(document, root, model, nodes, call, ct).ConfigureAwait(false) is { } asStatement)
            {
                // An expression body or a conditional access: first made a statement of its own, then fixed as one.
                return await TryFixAsync(asStatement.Document, asStatement.Nodes, mode, ct).ConfigureAwait(false);
            }

            bool isBool = op.TargetMethod.ReturnType.SpecialType == SpecialType.System_Boolean;
            // Where the result went, as the analyzer found it, and the statement that holds the call.
            StatementSyntax statement;
            Form form = discardKind == DiagnosticProperties.DiscardedInUnreadLocal ? Form.UnreadLocal : Form.Discarded;
            string? resultLocal = null;
            switch (discardKind, call.Parent)
            {
                case (DiagnosticProperties.DiscardedAsStatement, ExpressionStatementSyntax s):
                    statement = s;
                    break;
                case (DiagnosticProperties.DiscardedToDiscard, AssignmentExpressionSyntax { Parent: ExpressionStatementSyntax s } a) when a.Right == call:
                    statement = s;
                    break;
                case (DiagnosticProperties.DiscardedInUnreadLocal, AssignmentExpressionSyntax { Parent: ExpressionStatementSyntax s, Left: IdentifierNameSyntax target } a)
                    when a.Right == call && a.IsKind(SyntaxKind.SimpleAssignmentExpression):
                    statement = s;
                    resultLocal = target.Identifier.ValueText;
                    break;
                case (DiagnosticProperties.DiscardedInUnreadLocal, EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }) when
                    declarator.Parent is VariableDeclarationSyntax { Variables.Count: 1 } && declarator.Parent.Parent is LocalDeclarationStatementSyntax d &&
                    d.UsingKeyword.IsKind(SyntaxKind.None):
                    statement = d;
                    resultLocal = declarator.Identifier.ValueText;
                    break;
                default:
                    return null;
            }

            int position = call.SpanStart;
            IArgumentOperation? failureArg = op.Arguments.FirstOrDefault(a =>
                a.Parameter != null && a.Parameter.RefKind == RefKind.Out && FixSymbols.Is(a.Parameter.Type, symbols.SendFailure));
            ExpressionSyntax? peer = PeerOf(op, position, model, symbols, ct);

            // The failure variable: the out argument of a bool Try (named if it was a discard), or the result of a
            // SendFailure Try (the unread local itself, or a new `failure` local).
            InvocationExpressionSyntax newCall = call;
            string? failure = null;
            if (isBool && failureArg?.Syntax is ArgumentSyntax failureSyntax)
            {
                switch (failureSyntax.Expression)
                {
                    case DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax named }:
                        failure = named.Identifier.ValueText;
                        break;
                    case DeclarationExpressionSyntax { Designation: DiscardDesignationSyntax }:
                    case IdentifierNameSyntax discard when IsDiscard(discard, model, ct):
                        failure = SyntaxQueries.UniqueName(call, "failure");
                        newCall = call.ReplaceNode(failureSyntax, failureSyntax.WithExpression(SyntaxBuilders.OutVar(failure)).WithTriviaFrom(failureSyntax));
                        break;
                    case IdentifierNameSyntax existing when model.GetSymbolInfo(existing, ct).Symbol is ILocalSymbol or IParameterSymbol:
                        failure = existing.Identifier.ValueText;
                        break;
                }
            }

            ExpressionSyntax failureValue = SyntaxBuilders.SendFailureNone();
            var replacement = new List<StatementSyntax>();
            bool keepStatement = false;
            StatementSyntax? alsoRemove = null;

            // For a SendFailure result: a named variable holding it, and the failed condition.
            ExpressionSyntax? failedCondition = null;
            if (!isBool)
            {
                if (form == Form.UnreadLocal)
                {
                    failure = resultLocal;
                    keepStatement = true;
                }
                else
                {
                    failure = SyntaxQueries.UniqueName(call, "failure");
                    replacement.Add(SyntaxBuilders.VarDeclaration(failure, call));
                }

                failedCondition = SyntaxFactory.BinaryExpression(SyntaxKind.NotEqualsExpression, SyntaxFactory.IdentifierName(failure!), failureValue);
            }

            StatementSyntax IfFailed(StatementSyntax then, bool needsFailure = true) => isBool
                ? SyntaxBuilders.IfNot(needsFailure ? newCall : call, then)
                : SyntaxFactory.IfStatement(failedCondition!, SyntaxFactory.Block(then)).WithAdditionalAnnotations(Formatter.Annotation);

            ITypeSymbol? returnType = SyntaxQueries.EffectiveReturnType(statement, model, ct);
            if (mode == Mode.Throw)
            {
                if (failure == null || peer == null)
                {
                    return null;
                }

                replacement.Add(IfFailed(SyntaxBuilders.ThrowPeerNetException(failure, peer)));
            }
            else if (returnType?.SpecialType == SpecialType.System_Boolean)
            {
                ReturnStatementSyntax? nextReturn = form == Form.Discarded ? NextReturn(statement, SyntaxKind.TrueLiteralExpression, model, symbols, ct) : null;
                if (nextReturn != null)
                {
                    // `Try(...); return true;` becomes `return Try(...);` (`== SendFailure.None` for a SendFailure Try).
                    ExpressionSyntax result = isBool
                        ? call.WithoutTrivia()
                        : SyntaxFactory.BinaryExpression(SyntaxKind.EqualsExpression, call.WithoutTrivia(), failureValue);
                    replacement.Clear();
                    replacement.Add(SyntaxFactory.ReturnStatement(result).WithAdditionalAnnotations(Formatter.Annotation));
                    alsoRemove = nextReturn;
                }
                else
                {
                    replacement.Add(IfFailed(SyntaxFactory.ReturnStatement(SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression)), needsFailure: false));
                }
            }
            else if (FixSymbols.Is(returnType, symbols.SendFailure) && failure != null)
            {
                ReturnStatementSyntax? nextReturn = !isBool && form == Form.Discarded ? NextReturn(statement, SyntaxKind.None, model, symbols, ct) : null;
                if (nextReturn != null)
                {
                    // `TrySendOnConnection(...); return SendFailure.None;` becomes `return TrySendOnConnection(...);`.
                    replacement.Clear();
                    replacement.Add(SyntaxFactory.ReturnStatement(call.WithoutTrivia()).WithAdditionalAnnotations(Formatter.Annotation));
                    alsoRemove = nextReturn;
                }
                else
                {
                    replacement.Add(IfFailed(SyntaxFactory.ReturnStatement(SyntaxFactory.IdentifierName(failure))));
                }
            }
            else
            {
                return null;
            }

            for (int i = 0; i < replacement.Count; i++)
            {
                replacement[i] = replacement[i].WithAdditionalAnnotations(Formatter.Annotation);
            }

            SyntaxNode tracked = root.TrackNodes(alsoRemove == null ? new SyntaxNode[] { statement } : new SyntaxNode[] { statement, alsoRemove });
            if (keepStatement)
            {
                // `var failure = sender.TrySendOnConnection(...);` stays; the check goes right after it.
                StatementSyntax current = tracked.GetCurrentNode(statement)!;
                replacement[replacement.Count - 1] = replacement[replacement.Count - 1].WithTrailingTrivia(current.GetTrailingTrivia());
                var withCheck = new List<StatementSyntax> { current.WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed) };
                withCheck.AddRange(replacement);
                return await CodeFixCleanup.CleanupAsync(document.WithSyntaxRoot(StatementEdits.ReplaceStatement(tracked, current, withCheck)), ct).ConfigureAwait(false);
            }

            SyntaxTriviaList leading = statement.GetLeadingTrivia();
            SyntaxTriviaList trailing = statement.GetTrailingTrivia();
            if (alsoRemove != null)
            {
                // The comments in front of the merged `return` go in front; its line end replaces ours.
                leading = leading.AddRange(StatementEdits.CommentsOf(alsoRemove.GetLeadingTrivia()));
                while (trailing.Count > 0 && (trailing.Last().IsKind(SyntaxKind.EndOfLineTrivia) || trailing.Last().IsKind(SyntaxKind.WhitespaceTrivia)))
                {
                    trailing = trailing.RemoveAt(trailing.Count - 1);
                }

                trailing = trailing.AddRange(alsoRemove.GetTrailingTrivia());
                tracked = tracked.RemoveNode(tracked.GetCurrentNode(alsoRemove)!, SyntaxRemoveOptions.KeepNoTrivia)!;
            }

            replacement[0] = replacement[0].WithLeadingTrivia(leading);
            replacement[replacement.Count - 1] = replacement[replacement.Count - 1].WithTrailingTrivia(trailing);
            SyntaxNode newRoot = StatementEdits.ReplaceStatement(tracked, tracked.GetCurrentNode(statement)!, replacement);
            return await CodeFixCleanup.CleanupAsync(document.WithSyntaxRoot(newRoot), ct).ConfigureAwait(false);
        }

        /// <summary>
        /// The discarded call as an expression statement where it is not one yet: the expression body of a void
        /// lambda, local function or method becomes a block (`() => { call; }`), and `client?.TrySend(...);` becomes
        /// `if (client is { } c) { c.TrySend(...); }` (no send without a client, as before). Null when it already is one.
        /// </summary>
        private static async Task<(Document Document, DiagnosticNodes Nodes)?> AsStatementAsync(
            Document document, SyntaxNode root, SemanticModel model, DiagnosticNodes nodes, InvocationExpressionSyntax call, CancellationToken ct)
        {
            var mark = new SyntaxAnnotation("PeerNet.CodeFixes.DiscardedCall");
            SyntaxNode? newRoot = null;
            if (call.Parent is AnonymousFunctionExpressionSyntax lambda && lambda.Body == call &&
                model.GetSymbolInfo(lambda, ct).Symbol is IMethodSymbol { ReturnsVoid: true })
            {
                BlockSyntax body = SyntaxFactory.Block(
                        SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed),
                        SyntaxFactory.SingletonList<StatementSyntax>(SyntaxFactory.ExpressionStatement(call.WithoutTrivia().WithAdditionalAnnotations(mark))),
                        SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed))
                    .WithTriviaFrom(call).WithAdditionalAnnotations(Formatter.Annotation);
                newRoot = root.ReplaceNode(lambda, lambda is ParenthesizedLambdaExpressionSyntax p
                    ? p.WithExpressionBody(null).WithBlock(body)
                    : ((SimpleLambdaExpressionSyntax)lambda).WithExpressionBody(null).WithBlock(body));
            }
            else if (call.Parent is ConditionalAccessExpressionSyntax { Parent: ExpressionStatementSyntax statement } conditional &&
                     conditional.WhenNotNull == call && call.Expression is MemberBindingExpressionSyntax binding &&
                     model.GetTypeInfo(conditional.Expression, ct).Type is { IsValueType: false })
            {
                string name = SyntaxQueries.UniqueName(statement, "client");
                InvocationExpressionSyntax direct = call.WithExpression(SyntaxFactory.MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.IdentifierName(name), binding.Name)).WithoutTrivia().WithAdditionalAnnotations(mark);
                ExpressionSyntax isClient = SyntaxFactory.ParseExpression(conditional.Expression.WithoutTrivia().ToFullString() + " is { } " + name);
                IfStatementSyntax guarded = SyntaxFactory.IfStatement(isClient, SyntaxFactory.Block(SyntaxFactory.ExpressionStatement(direct)))
                    .WithTriviaFrom(statement).WithAdditionalAnnotations(Formatter.Annotation);
                newRoot = root.ReplaceNode(statement, guarded);
            }

            if (newRoot == null)
            {
                return null;
            }

            Document changed = document.WithSyntaxRoot(newRoot);
            SyntaxNode? changedRoot = await changed.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            SyntaxNode? primary = changedRoot?.GetAnnotatedNodes(mark).FirstOrDefault();
            if (primary == null)
            {
                return null;
            }

            return (changed, new DiagnosticNodes(primary, null, null, nodes.Properties.SetItem(DiagnosticProperties.DiscardKind, DiagnosticProperties.DiscardedAsStatement)));
        }

        /// <summary>The peer for PeerNetException: a PeerNetworkId argument, or P of a `P.PeerId` argument.</summary>
        private static ExpressionSyntax? PeerOf(IInvocationOperation op, int position, SemanticModel model, FixSymbols symbols, CancellationToken ct)
        {
            foreach (IArgumentOperation argument in op.Arguments)
            {
                if (argument.ArgumentKind != ArgumentKind.Explicit || argument.Parameter == null || argument.Parameter.RefKind != RefKind.None ||
                    argument.Syntax is not ArgumentSyntax syntax)
                {
                    continue;
                }

                ExpressionSyntax e = SyntaxQueries.Unparenthesize(syntax.Expression);
                if (FixSymbols.Is(argument.Parameter.Type, symbols.PeerNetworkId))
                {
                    return ExpressionReuse.IsReusableAt(e, position, model, symbols, ct) ? e : null;
                }

                if (FixSymbols.Is(argument.Parameter.Type, symbols.PeerId) &&
                    e is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "PeerId" } access &&
                    FixSymbols.Is(model.GetTypeInfo(access.Expression, ct).Type, symbols.PeerNetworkId) &&
                    ExpressionReuse.IsReusableAt(access.Expression, position, model, symbols, ct))
                {
                    return access.Expression;
                }
            }

            return null;
        }

        /// <summary>The `return true;` (or `return SendFailure.None;` for <see cref="SyntaxKind.None"/>) right after the statement.</summary>
        private static ReturnStatementSyntax? NextReturn(StatementSyntax statement, SyntaxKind literal, SemanticModel model, FixSymbols symbols, CancellationToken ct)
        {
            if (statement.Parent is not BlockSyntax block)
            {
                return null;
            }

            int i = block.Statements.IndexOf(statement);
            if (i + 1 >= block.Statements.Count || block.Statements[i + 1] is not ReturnStatementSyntax { Expression: { } value } next)
            {
                return null;
            }

            if (literal != SyntaxKind.None)
            {
                return value.IsKind(literal) ? next : null;
            }

            Optional<object?> constant = model.GetConstantValue(value, ct);
            return constant.HasValue && FixSymbols.Is(model.GetTypeInfo(value, ct).Type, symbols.SendFailure) &&
                System.Convert.ToInt32(constant.Value, System.Globalization.CultureInfo.InvariantCulture) == 0
                ? next
                : null;
        }

        private static bool IsDiscard(ExpressionSyntax expression, SemanticModel model, CancellationToken ct) =>
            expression is IdentifierNameSyntax { Identifier.ValueText: "_" } && model.GetSymbolInfo(expression, ct).Symbol is null or IDiscardSymbol;
    }
}
