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
    /// explicit preferences and keeping a failure observable. Offers nothing when it cannot be sure. Locating:
    /// <see cref="PN0001PN0002SendLocator"/>, <see cref="PN0001PN0002GuardLocator"/>; preferences:
    /// <see cref="PN0001PN0002PreferenceInference"/>; the edit: <see cref="PN0001PN0002SendRewrite"/>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PN0001PN0002UseTrySendWithCurrentProtocolCodeFixProvider))]
    [Shared]
    public sealed class PN0001PN0002UseTrySendWithCurrentProtocolCodeFixProvider : CodeFixProvider
    {
        private const string DirectTitle = "Use NetworkClient.TrySendWithCurrentProtocol (protocol chosen on the current connection)";
        private const string RpcTitle = "Use NetworkClient.SendToPeerRpcAsync (protocol chosen on the current connection)";

        // PN0001 and PN0002 get the same rewrite. The IDE's Fix All passes one id and the key of the action it
        // was started from; `dotnet format` passes every id this provider fixes with the key of the first
        // diagnostic's action, so a key of either rule takes the diagnostics of both (else one rule's sites
        // are silently left when both occur in a project).
        private static readonly FixAllProvider FixAll = SequentialFixAll.Create(
            (key, diagnostic) => KeyFor(diagnostic.Id) is not null && (key == EquivalenceKeys.StaleProtocol || key == EquivalenceKeys.CheckThenSend),
            (key, document, nodes, ct) => PN0001PN0002SendRewrite.TryRewriteAsync(document, nodes, ct));

        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.StaleProtocol, DiagnosticIds.CheckThenSend);

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

                Document? fixedDocument = await PN0001PN0002SendRewrite.TryRewriteAsync(context.Document, nodes, context.CancellationToken).ConfigureAwait(false);
                if (fixedDocument == null)
                {
                    // No client in reach, or a shape we do not understand: no fix rather than a wrong one.
                    continue;
                }

                bool isRpc = nodes.Properties.TryGetValue(DiagnosticProperties.SendKind, out string? kind) && kind == DiagnosticProperties.Rpc;
                context.RegisterCodeFix(
                    CodeAction.Create(isRpc ? RpcTitle : DirectTitle, _ => Task.FromResult(fixedDocument), KeyFor(diagnostic.Id)),
                    diagnostic);
            }
        }

        private static string? KeyFor(string id) => id switch
        {
            DiagnosticIds.StaleProtocol => EquivalenceKeys.StaleProtocol,
            DiagnosticIds.CheckThenSend => EquivalenceKeys.CheckThenSend,
            _ => null,
        };
    }
}
