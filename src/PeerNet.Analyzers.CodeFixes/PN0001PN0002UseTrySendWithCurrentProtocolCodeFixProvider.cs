using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

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
        private const string DirectClientPreferencesTitle = "Use TrySendWithCurrentProtocol (client's preferences)";
        private const string RpcClientPreferencesTitle = "Use SendToPeerRpcAsync (client's preferences)";

        // PN0001 and PN0002 get the same rewrite. The IDE's Fix All passes one id and the key of the action it
        // was started from; `dotnet format` passes every id this provider fixes with the key of the first
        // diagnostic's action, so a key of either rule takes the diagnostics of both (else one rule's sites
        // are silently left when both occur in a project).
        private static readonly FixAllProvider FixAll = SequentialFixAll.Create(
            (key, diagnostic) => IsMine(diagnostic.Id) && VariantOf(key) != null,
            (key, document, nodes, ct) => VariantOf(key) is { } variant
                ? FixAllOneAsync(document, nodes, variant, ct)
                : Task.FromResult<Document?>(null));

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

                bool isRpc = nodes.Properties.TryGetValue(DiagnosticProperties.SendKind, out string? kind) && kind == DiagnosticProperties.Rpc;

                // The sender's own preferences, when they can be traced; then the client's configured preferences
                // when they differ (or nothing could be traced). No client in reach: no fix (see NoFixReason).
                (Document? traced, PN0001PN0002RacySendPlan? tracedPlan) = await PN0001PN0002SendRewrite.TryRewriteWithPlanAsync(
                    context.Document, nodes, new PN0001PN0002FixVariant(false, null), context.CancellationToken).ConfigureAwait(false);
                (Document? configured, PN0001PN0002RacySendPlan? configuredPlan) = await PN0001PN0002SendRewrite.TryRewriteWithPlanAsync(
                    context.Document, nodes, new PN0001PN0002FixVariant(true, null), context.CancellationToken).ConfigureAwait(false);
                List<ExpressionSyntax> clients = (tracedPlan ?? configuredPlan)?.ClientCandidates ?? new List<ExpressionSyntax>();
                bool offerConfigured = configured != null && (tracedPlan == null || tracedPlan.Preferences != null);
                if (clients.Count <= 1)
                {
                    if (traced != null)
                    {
                        Register(context, diagnostic, traced, isRpc ? RpcTitle : DirectTitle, new PN0001PN0002FixVariant(false, null));
                    }

                    if (offerConfigured)
                    {
                        Register(context, diagnostic, configured!, isRpc ? RpcClientPreferencesTitle : DirectClientPreferencesTitle, KeyVariant(true, null, traced != null));
                    }

                    continue;
                }

                // Several clients in reach and nothing ties the send to one: one action per client.
                foreach (ExpressionSyntax client in clients)
                {
                    string name = client.ToString();
                    foreach (bool clientPreferences in new[] { false, true })
                    {
                        if ((clientPreferences && !offerConfigured) || (!clientPreferences && traced == null))
                        {
                            continue;
                        }

                        var variant = new PN0001PN0002FixVariant(clientPreferences, name);
                        Document? fixedDocument = await PN0001PN0002SendRewrite.TryRewriteAsync(context.Document, nodes, variant, context.CancellationToken).ConfigureAwait(false);
                        if (fixedDocument != null)
                        {
                            string title = (clientPreferences ? (isRpc ? RpcClientPreferencesTitle : DirectClientPreferencesTitle) : (isRpc ? RpcTitle : DirectTitle)) + " via " + name;
                            Register(context, diagnostic, fixedDocument, title, KeyVariant(clientPreferences, name, traced != null));
                        }
                    }
                }
            }
        }

        /// <summary>
        /// The key an action is registered under. The client's-preferences action takes the first key when it is
        /// the finding's only fix (nothing could be traced): every finding's first action then has the first key,
        /// whose Fix All gives each finding its best fix (traced list, else the client's preferences), so that
        /// `dotnet format`, which applies the key of the first diagnostic's first action everywhere, never
        /// replaces traced lists by the client's preferences because of one untraceable finding.
        /// </summary>
        private static PN0001PN0002FixVariant KeyVariant(bool clientPreferences, string? clientName, bool tracedOffered) =>
            new PN0001PN0002FixVariant(clientPreferences && tracedOffered, clientName);

        private static bool IsMine(string id) => id == DiagnosticIds.StaleProtocol || id == DiagnosticIds.CheckThenSend;

        /// <summary>The variant a key of either rule names (the rewrite is the same for both rules).</summary>
        private static PN0001PN0002FixVariant? VariantOf(string? key) =>
            PN0001PN0002FixVariant.FromKey(key, DiagnosticIds.StaleProtocol) ?? PN0001PN0002FixVariant.FromKey(key, DiagnosticIds.CheckThenSend);

        /// <summary>
        /// Fix All of the sender's-preferences action gives each finding its first fix: the sender's list where it
        /// can be traced, the client's preferences where not (`dotnet format` applies one key per rule).
        /// </summary>
        private static async Task<Document?> FixAllOneAsync(Document document, DiagnosticNodes nodes, PN0001PN0002FixVariant variant, System.Threading.CancellationToken ct) =>
            await PN0001PN0002SendRewrite.TryRewriteAsync(document, nodes, variant, ct).ConfigureAwait(false) ??
            (variant.ClientPreferences ? null : await PN0001PN0002SendRewrite.TryRewriteAsync(document, nodes, new PN0001PN0002FixVariant(true, variant.ClientName), ct).ConfigureAwait(false));

        private static void Register(CodeFixContext context, Diagnostic diagnostic, Document fixedDocument, string title, PN0001PN0002FixVariant variant) =>
            context.RegisterCodeFix(CodeAction.Create(title, _ => Task.FromResult(fixedDocument), variant.KeyFor(diagnostic.Id)), diagnostic);
    }
}
