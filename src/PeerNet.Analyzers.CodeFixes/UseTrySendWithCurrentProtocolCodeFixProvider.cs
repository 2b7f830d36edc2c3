using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>
    /// PN0001 / PN0002: rewrites a raw send fed with a snapshot-derived protocol (or guarded by a separate version
    /// check) to NetworkClient's atomic TrySendWithCurrentProtocol (or SendToPeerRpcAsync for an RPC), keeping the
    /// explicit preferences and keeping a failure observable. Offers nothing when it cannot be sure.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseTrySendWithCurrentProtocolCodeFixProvider))]
    [Shared]
    public sealed class UseTrySendWithCurrentProtocolCodeFixProvider : CodeFixProvider
    {
        private static readonly FixAllProvider FixAll = DiagnosticNodes.CreateFixAll(
            (key, diagnostic) => key == KeyFor(diagnostic.Id),
            (key, document, nodes, ct) => RacySendRewriter.TryRewriteAsync(document, nodes.Primary, nodes.First, nodes.Second, ct));

        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(FixIds.StaleProtocol, FixIds.CheckThenSend);

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

                Document? fixedDocument = await RacySendRewriter.TryRewriteAsync(
                    context.Document, nodes.Primary, nodes.First, nodes.Second, context.CancellationToken).ConfigureAwait(false);
                if (fixedDocument == null)
                {
                    // No client in reach, or a shape we do not understand: no fix rather than a wrong one.
                    continue;
                }

                bool isRpc = diagnostic.Properties.TryGetValue("SendKind", out string? kind) && kind == "Rpc";
                string title = isRpc
                    ? "Use NetworkClient.SendToPeerRpcAsync (protocol chosen on the current connection)"
                    : "Use NetworkClient.TrySendWithCurrentProtocol (protocol chosen on the current connection)";
                context.RegisterCodeFix(
                    CodeAction.Create(title, _ => Task.FromResult(fixedDocument), KeyFor(diagnostic.Id)),
                    diagnostic);
            }
        }

        private static string? KeyFor(string id) => id switch
        {
            FixIds.StaleProtocol => FixIds.StaleProtocolKey,
            FixIds.CheckThenSend => FixIds.CheckThenSendKey,
            _ => null,
        };
    }
}
