using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>
    /// PN0001/PN0002 fix, locating: the send (PeerNet's INetworkSender.SendTo / SendRpcAsync) and its arguments, then
    /// the client (<see cref="PN0001PN0002ClientLocator"/>), the preferences (<see cref="PN0001PN0002PreferenceInference"/>),
    /// the peer (<see cref="PN0001PN0002PeerLocator"/>) and the guard (<see cref="PN0001PN0002GuardLocator"/>), as one
    /// plan. Returns null whenever one of them is not certain.
    /// </summary>
    internal static class PN0001PN0002SendLocator
    {
        public static PN0001PN0002RacySendPlan? Locate(
            Document document, SyntaxNode sendNode, SyntaxNode? readNode, SyntaxNode? checkNode, SemanticModel model, PN0001PN0002FixVariant variant, CancellationToken ct)
        {
            FixSymbols? symbols = FixSymbols.Create(document, model.Compilation);
            if (symbols == null)
            {
                return null;
            }

            // 1. The send: PeerNet's own INetworkSender.SendTo / SendRpcAsync (or an implementation of them).
            InvocationExpressionSyntax? send = null;
            IInvocationOperation? sendOp = null;
            bool isRpc = false;
            foreach (InvocationExpressionSyntax candidate in sendNode.AncestorsAndSelf().OfType<InvocationExpressionSyntax>())
            {
                if (model.GetOperation(candidate, ct) is IInvocationOperation op)
                {
                    if (symbols.IsNetworkSenderMember(op.TargetMethod, "SendTo"))
                    {
                        send = candidate;
                        sendOp = op;
                        break;
                    }

                    if (symbols.IsNetworkSenderMember(op.TargetMethod, "SendRpcAsync"))
                    {
                        send = candidate;
                        sendOp = op;
                        isRpc = true;
                        break;
                    }
                }
            }

            if (send == null || sendOp == null)
            {
                return null;
            }

            ExpressionSyntax? Arg(int ordinal) =>
                sendOp.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal && a.ArgumentKind == ArgumentKind.Explicit)?.Syntax is ArgumentSyntax s
                    ? s.Expression
                    : null;

            ExpressionSyntax? peerIdArg = Arg(0);
            ExpressionSyntax? protocolArg = Arg(1);
            ExpressionSyntax? messageArg = Arg(2);
            if (peerIdArg == null || protocolArg == null || messageArg == null)
            {
                return null;
            }

            int position = send.SpanStart;
            SyntaxNode? function = SyntaxQueries.EnclosingFunction(send);
            SyntaxNode scope = function ?? send.SyntaxTree.GetRoot(ct);
            var plan = new PN0001PN0002RacySendPlan { Send = send, IsRpc = isRpc, Message = WithNameComments(messageArg) };
            if (isRpc)
            {
                plan.Timeout = Arg(3) is ExpressionSyntax timeout ? WithNameComments(timeout) : null;
                plan.CancellationToken = Arg(4) is ExpressionSyntax token ? WithNameComments(token) : null;
                if (plan.Timeout == null)
                {
                    return null;
                }
            }

            // 2. Where the send stands: a statement (direct send), an expression-bodied void function, or any
            //    expression (RPC: the call is replaced by an expression of the same type).
            if (!isRpc)
            {
                if (send.Parent is ExpressionStatementSyntax statement)
                {
                    plan.SendStatement = statement;
                }
                else if (send.Parent is ConditionalAccessExpressionSyntax { Parent: ExpressionStatementSyntax guarded } conditional &&
                         conditional.WhenNotNull == send && send.Expression is MemberBindingExpressionSyntax)
                {
                    // `sender?.SendTo(...);`: sent only when the sender is there; the rewrite keeps that condition.
                    plan.SendStatement = guarded;
                    plan.NullCheckedReceiver = conditional.Expression;
                }
                else if (send.Parent is not ArrowExpressionClauseSyntax && !(send.Parent is AnonymousFunctionExpressionSyntax lambda && lambda.Body == send))
                {
                    return null;
                }
            }

            // 3. What the sender, the snapshot read and the protocol tell us.
            (ExpressionSyntax? senderClient, ExpressionSyntax? network) = PN0001PN0002ClientLocator.TraceSender(send, model, symbols, scope, ct);
            var read = new PN0001PN0002ClientLocator.ReadInfo();
            if (readNode != null)
            {
                PN0001PN0002ClientLocator.AnalyzeRead(readNode, model, symbols, scope, read, 0, ct);
            }

            var removable = new PN0001PN0002RemovalTracker(model, scope, symbols, ct);
            removable.Region(send);
            InferredPreferences preferences = PN0001PN0002PreferenceInference.Infer(protocolArg, model, symbols, scope, position, removable, ct);
            plan.PreferencesTraceable = preferences.Source != PreferenceSource.NotTraceable;
            if (variant.ClientPreferences)
            {
                // The client's configured preferences, whatever the protocol expression was.
                plan.UsesClientPreferences = true;
            }
            else if (preferences.Source == PreferenceSource.NotTraceable)
            {
                return null;
            }
            else
            {
                plan.Preferences = preferences.List;
            }

            // 4. The client: the sender's (or the read's), else every NetworkClient in reach (one action each).
            plan.ClientCandidates = PN0001PN0002ClientLocator.ChooseClients(senderClient, read.Client, position, model, symbols, ct);
            if (plan.ClientCandidates.Count == 0)
            {
                return null;
            }

            ExpressionSyntax? client = variant.ClientName == null
                ? plan.ClientCandidates[0]
                : plan.ClientCandidates.FirstOrDefault(c => c.ToString() == variant.ClientName);
            if (client == null)
            {
                return null;
            }

            plan.Client = client;

            // The client's own configured list for this kind of send is what the overload without preferences uses.
            if (plan.Preferences != null &&
                SyntaxQueries.Unparenthesize(plan.Preferences) is MemberAccessExpressionSyntax configured &&
                configured.Name.Identifier.ValueText == (isRpc ? "RpcProtocolsAndPreferences" : "DirectSendProtocolsAndPreferences") &&
                FixSymbols.IsMember(model.GetSymbolInfo(configured, ct).Symbol, symbols.NetworkClient, configured.Name.Identifier.ValueText) &&
                SyntaxQueries.ValueSymbol(configured.Expression, model, ct) is ISymbol owner &&
                client.SyntaxTree == send.SyntaxTree && client.Parent != null &&
                SymbolEqualityComparer.Default.Equals(owner, SyntaxQueries.ValueSymbol(client, model, ct)))
            {
                plan.Preferences = null;
            }

            // 5. The peer the old send actually went to.
            ExpressionSyntax? peer = PN0001PN0002PeerLocator.ChoosePeer(peerIdArg, network, read.Peer, position, model, symbols, ct);
            if (peer == null)
            {
                return null;
            }

            plan.Peer = peer;
            plan.PeerIsReusable = peer.Parent != null && SyntaxQueries.Unparenthesize(peer) is not ObjectCreationExpressionSyntax &&
                ExpressionReuse.IsReusableAt(peer, position, model, symbols, ct);

            // 6. PN0002: the version check that guarded the send goes, its body stays.
            if (checkNode != null)
            {
                PN0001PN0002GuardLocator.FindGuard(checkNode, send, model, symbols, plan, removable, ct);
            }

            // 7. What the rewrite leaves dead.
            plan.DeadCandidates = removable.Candidates();
            return plan;
        }

        /// <summary>An argument's value carried to the new call, with comments that stood after its `name:` kept.</summary>
        private static ExpressionSyntax WithNameComments(ExpressionSyntax value)
        {
            if (value.Parent is ArgumentSyntax { NameColon: { } nameColon })
            {
                var comments = new SyntaxTriviaList();
                foreach (SyntaxTrivia t in nameColon.ColonToken.TrailingTrivia)
                {
                    if (t.IsKind(SyntaxKind.MultiLineCommentTrivia))
                    {
                        comments = comments.Add(t).Add(SyntaxFactory.Space);
                    }
                    else if (t.IsKind(SyntaxKind.SingleLineCommentTrivia))
                    {
                        comments = comments.Add(t).Add(SyntaxFactory.ElasticCarriageReturnLineFeed);
                    }
                }

                if (comments.Count > 0)
                {
                    return value.WithLeadingTrivia(comments.AddRange(value.GetLeadingTrivia()));
                }
            }

            return value;
        }
    }
}
