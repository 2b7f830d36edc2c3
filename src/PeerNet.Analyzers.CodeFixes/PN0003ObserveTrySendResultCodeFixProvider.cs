using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>
    /// PN0003: the result of TrySendWithCurrentProtocol (or another Try-send) was discarded. Two actions: throw
    /// PeerNetException when the send fails, or return the result (a bool method returns it; a method returning
    /// SendFailure returns the failure). The edit: <see cref="PN0003TrySendResultRewrite"/>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PN0003ObserveTrySendResultCodeFixProvider))]
    [Shared]
    public sealed class PN0003ObserveTrySendResultCodeFixProvider : CodeFixProvider
    {
        private const string ThrowTitle = "Throw PeerNetException when the send fails";
        private const string ReturnTitle = "Return the result";

        private static readonly FixAllProvider FixAll = SequentialFixAll.Create(
            (key, diagnostic) => diagnostic.Id == DiagnosticIds.DiscardedTrySendResult && (key == EquivalenceKeys.ThrowOnFailure || key == EquivalenceKeys.ReturnResult),
            (key, document, nodes, ct) => PN0003TrySendResultRewrite.TryFixAsync(
                document, nodes, key == EquivalenceKeys.ReturnResult ? PN0003TrySendResultRewrite.Mode.Return : PN0003TrySendResultRewrite.Mode.Throw, ct));

        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.DiscardedTrySendResult);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => FixAll;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root == null)
            {
                return;
            }

            foreach (Diagnostic diagnostic in context.Diagnostics)
            {
                DiagnosticNodes? nodes = DiagnosticNodes.Find(root, diagnostic);
                if (nodes == null)
                {
                    continue;
                }

                Document? throwing = await PN0003TrySendResultRewrite.TryFixAsync(context.Document, nodes, PN0003TrySendResultRewrite.Mode.Throw, context.CancellationToken).ConfigureAwait(false);
                if (throwing != null)
                {
                    context.RegisterCodeFix(CodeAction.Create(ThrowTitle, _ => Task.FromResult(throwing), EquivalenceKeys.ThrowOnFailure), diagnostic);
                }

                Document? returning = await PN0003TrySendResultRewrite.TryFixAsync(context.Document, nodes, PN0003TrySendResultRewrite.Mode.Return, context.CancellationToken).ConfigureAwait(false);
                if (returning != null)
                {
                    context.RegisterCodeFix(CodeAction.Create(ReturnTitle, _ => Task.FromResult(returning), EquivalenceKeys.ReturnResult), diagnostic);
                }
            }
        }
    }
}
