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
    /// SendFailure returns the failure).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ObserveTrySendResultCodeFixProvider))]
    [Shared]
    public sealed class ObserveTrySendResultCodeFixProvider : CodeFixProvider
    {
        private const string ThrowTitle = "Throw PeerNetException when the send fails";
        private const string ReturnTitle = "Return the result";

        private static readonly FixAllProvider FixAll = DiagnosticNodes.CreateFixAll(
            (key, diagnostic) => diagnostic.Id == FixIds.DiscardedTrySend && (key == FixIds.ThrowOnFailureKey || key == FixIds.ReturnResultKey),
            (key, document, nodes, ct) => TrySendResultFixer.TryFixAsync(
                document, nodes.Primary, key == FixIds.ReturnResultKey ? TrySendResultFixer.Mode.Return : TrySendResultFixer.Mode.Throw, ct));

        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(FixIds.DiscardedTrySend);

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

                Document? throwing = await TrySendResultFixer.TryFixAsync(context.Document, nodes.Primary, TrySendResultFixer.Mode.Throw, context.CancellationToken).ConfigureAwait(false);
                if (throwing != null)
                {
                    context.RegisterCodeFix(CodeAction.Create(ThrowTitle, _ => Task.FromResult(throwing), FixIds.ThrowOnFailureKey), diagnostic);
                }

                Document? returning = await TrySendResultFixer.TryFixAsync(context.Document, nodes.Primary, TrySendResultFixer.Mode.Return, context.CancellationToken).ConfigureAwait(false);
                if (returning != null)
                {
                    context.RegisterCodeFix(CodeAction.Create(ReturnTitle, _ => Task.FromResult(returning), FixIds.ReturnResultKey), diagnostic);
                }
            }
        }
    }
}
