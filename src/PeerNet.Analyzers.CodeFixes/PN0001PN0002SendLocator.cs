using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>
    /// PN0001/PN0002 fix, locating: the send (PeerNet's INetworkSender.SendTo / SendRpcAsync), its arguments, the
    /// client whose atomic send replaces it and the peer the old send went to, traced from the sender, the
    /// cached snapshot read and the code in reach. Returns null whenever one of them is not certain.
    /// </summary>
    internal static class PN0001PN0002SendLocator
    {
        public static PN0001PN0002RacySendPlan? Locate(
            Document document, SyntaxNode sendNode, SyntaxNode? readNode, SyntaxNode? checkNode, SemanticModel model, CancellationToken ct)
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
            SyntaxNode? function = FixSyntax.EnclosingFunction(send);
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
                else if (send.Parent is not ArrowExpressionClauseSyntax && !(send.Parent is AnonymousFunctionExpressionSyntax lambda && lambda.Body == send))
                {
                    return null;
                }
            }

            // 3. What the sender, the snapshot read and the protocol tell us.
            (ExpressionSyntax? senderClient, ExpressionSyntax? network) = TraceSender(send, model, symbols, scope, ct);
            var read = new ReadInfo();
            if (readNode != null)
            {
                AnalyzeRead(readNode, model, symbols, scope, read, 0, ct);
            }

            var removable = new PN0001PN0002RemovalTracker(model, scope, symbols, ct);
            removable.Region(send);
            ExpressionSyntax? preferences = PN0001PN0002PreferenceInference.Preferences(protocolArg, model, symbols, scope, position, removable, out bool understood, ct);
            if (!understood)
            {
                return null;
            }

            plan.Preferences = preferences;

            // 4. The client, by symbol identity.
            ExpressionSyntax? client = ChooseClient(senderClient, read.Client, position, model, symbols, ct);
            if (client == null)
            {
                return null;
            }

            plan.Client = client;

            // The client's own configured list for this kind of send is what the overload without preferences uses.
            if (plan.Preferences != null &&
                FixSyntax.Unparenthesize(plan.Preferences) is MemberAccessExpressionSyntax configured &&
                configured.Name.Identifier.ValueText == (isRpc ? "RpcProtocolsAndPreferences" : "DirectSendProtocolsAndPreferences") &&
                FixSymbols.IsMember(model.GetSymbolInfo(configured, ct).Symbol, symbols.NetworkClient, configured.Name.Identifier.ValueText) &&
                FixSyntax.ValueSymbol(configured.Expression, model, ct) is ISymbol owner &&
                client.SyntaxTree == send.SyntaxTree && client.Parent != null &&
                SymbolEqualityComparer.Default.Equals(owner, FixSyntax.ValueSymbol(client, model, ct)))
            {
                plan.Preferences = null;
            }

            // 5. The peer the old send actually went to.
            ExpressionSyntax? peer = ChoosePeer(peerIdArg, network, read.Peer, position, model, symbols, ct);
            if (peer == null)
            {
                return null;
            }

            plan.Peer = peer;
            plan.PeerIsReusable = peer.Parent != null && FixSyntax.Unparenthesize(peer) is not ObjectCreationExpressionSyntax &&
                FixSyntax.IsReusableAt(peer, position, model, symbols, ct);

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

        private static (ExpressionSyntax? Client, ExpressionSyntax? Network) TraceSender(
            InvocationExpressionSyntax send, SemanticModel model, FixSymbols symbols, SyntaxNode scope, CancellationToken ct)
        {
            if (send.Expression is not MemberAccessExpressionSyntax access)
            {
                return (null, null);
            }

            ExpressionSyntax sender = FixSyntax.Unparenthesize(access.Expression);
            if (model.GetSymbolInfo(sender, ct).Symbol is ILocalSymbol local &&
                FixSyntax.SingleAssignmentDeclarator(local, scope, model, ct) is VariableDeclaratorSyntax declarator)
            {
                sender = FixSyntax.Unparenthesize(declarator.Initializer!.Value);
            }

            if (sender is InvocationExpressionSyntax invocation &&
                FixSymbols.IsMember(model.GetSymbolInfo(invocation, ct).Symbol, symbols.NetworkClient, "GetSenderForNetwork") &&
                invocation.Expression is MemberAccessExpressionSyntax getSender &&
                invocation.ArgumentList.Arguments.Count == 1)
            {
                return (getSender.Expression, invocation.ArgumentList.Arguments[0].Expression);
            }

            return (null, null);
        }

        private sealed class ReadInfo
        {
            public ExpressionSyntax? Client;
            public ExpressionSyntax? Peer;
        }

        private static void AnalyzeRead(SyntaxNode node, SemanticModel model, FixSymbols symbols, SyntaxNode scope, ReadInfo info, int depth, CancellationToken ct)
        {
            if (depth > 8)
            {
                return;
            }

            // The location may name the member only: climb to the access or invocation that performs the read.
            ExpressionSyntax? expression = node.AncestorsAndSelf().OfType<ExpressionSyntax>()
                .FirstOrDefault(e => e is InvocationExpressionSyntax || (e is MemberAccessExpressionSyntax && e.Parent is not InvocationExpressionSyntax) || e is IdentifierNameSyntax && e.Parent is not MemberAccessExpressionSyntax && e.Parent is not InvocationExpressionSyntax);
            if (expression == null)
            {
                return;
            }

            Walk(FixSyntax.Unparenthesize(expression), model, symbols, scope, info, depth, ct);
        }

        private static void Walk(ExpressionSyntax e, SemanticModel model, FixSymbols symbols, SyntaxNode scope, ReadInfo info, int depth, CancellationToken ct)
        {
            if (depth > 8)
            {
                return;
            }

            e = FixSyntax.Unparenthesize(e);
            switch (e)
            {
                case InvocationExpressionSyntax invocation:
                    {
                        ISymbol? method = model.GetSymbolInfo(invocation, ct).Symbol;
                        ExpressionSyntax? receiver = (invocation.Expression as MemberAccessExpressionSyntax)?.Expression;
                        ExpressionSyntax? firstArg = invocation.ArgumentList.Arguments.FirstOrDefault()?.Expression;
                        if (FixSymbols.IsMember(method, symbols.NetworkClient, "GetPreferredProtocolForPeer") ||
                            FixSymbols.IsMember(method, symbols.NetworkClient, "GetSupportedProtocols"))
                        {
                            info.Client ??= receiver;
                            info.Peer ??= firstArg;
                        }
                        else if (FixSymbols.IsMember(method, symbols.PeersAndMetadata, "GetMetadataForPeer") ||
                                 FixSymbols.IsMember(method, symbols.PeersAndMetadata, "GetSnapshot") ||
                                 FixSymbols.IsMember(method, symbols.Snapshot, "GetMetadataForPeer") ||
                                 FixSymbols.IsMember(method, symbols.Snapshot, "TryGetMetadataForPeer"))
                        {
                            if (method!.Name != "GetSnapshot")
                            {
                                info.Peer ??= firstArg;
                            }

                            if (receiver != null)
                            {
                                Walk(receiver, model, symbols, scope, info, depth + 1, ct);
                            }
                        }
                        else if (FixSymbols.IsMember(method, symbols.ProtocolIdSet, "Contains") && receiver != null)
                        {
                            Walk(receiver, model, symbols, scope, info, depth + 1, ct);
                        }

                        break;
                    }

                case MemberAccessExpressionSyntax access:
                    {
                        ISymbol? member = model.GetSymbolInfo(access, ct).Symbol;
                        if (FixSymbols.IsMember(member, symbols.NetworkClient, "PeersAndMetadata"))
                        {
                            info.Client ??= access.Expression;
                        }
                        else if (member is IPropertySymbol)
                        {
                            Walk(access.Expression, model, symbols, scope, info, depth + 1, ct);
                        }

                        break;
                    }

                case IdentifierNameSyntax identifier:
                    {
                        ISymbol? symbol = model.GetSymbolInfo(identifier, ct).Symbol;
                        if (symbol is ILocalSymbol local)
                        {
                            if (FixSyntax.SingleAssignmentDeclarator(local, scope, model, ct) is VariableDeclaratorSyntax declarator)
                            {
                                Walk(declarator.Initializer!.Value, model, symbols, scope, info, depth + 1, ct);
                            }
                            else if (local.DeclaringSyntaxReferences.Length == 1 &&
                                     local.DeclaringSyntaxReferences[0].GetSyntax(ct) is SingleVariableDesignationSyntax designation &&
                                     designation.FirstAncestorOrSelf<InvocationExpressionSyntax>() is InvocationExpressionSyntax outer)
                            {
                                // `snapshot.TryGetMetadataForPeer(peer, out var metadata)`
                                Walk(outer, model, symbols, scope, info, depth + 1, ct);
                            }
                        }
                        else if (symbol is IPropertySymbol or IFieldSymbol && FixSymbols.Is(model.GetTypeInfo(identifier, ct).Type, symbols.NetworkClient))
                        {
                            info.Client ??= identifier;
                        }

                        break;
                    }
            }
        }

        private static ExpressionSyntax? ChooseClient(
            ExpressionSyntax? senderClient, ExpressionSyntax? readClient, int position, SemanticModel model, FixSymbols symbols, CancellationToken ct)
        {
            var candidates = new List<ExpressionSyntax>();
            foreach (ExpressionSyntax? c in new[] { senderClient, readClient })
            {
                if (c != null && FixSymbols.Is(model.GetTypeInfo(c, ct).Type, symbols.NetworkClient))
                {
                    candidates.Add(c);
                }
            }

            if (candidates.Count == 2)
            {
                ISymbol? a = FixSyntax.ValueSymbol(candidates[0], model, ct);
                ISymbol? b = FixSyntax.ValueSymbol(candidates[1], model, ct);
                if (a == null || !SymbolEqualityComparer.Default.Equals(a, b))
                {
                    // The sender's client and the read's client are not provably the same instance.
                    return null;
                }
            }

            foreach (ExpressionSyntax c in candidates)
            {
                if (FixSyntax.IsReusableAt(c, position, model, symbols, ct))
                {
                    return c;
                }
            }

            if (candidates.Count > 0)
            {
                return null;
            }

            // No client named by the code around the send: the only NetworkClient in reach, if there is exactly one.
            ISymbol? containing = model.GetEnclosingSymbol(position, ct);
            bool isStaticContext = IsStaticContext(containing);
            var inReach = new List<ISymbol>();
            foreach (ISymbol symbol in model.LookupSymbols(position))
            {
                ITypeSymbol? type = symbol switch
                {
                    ILocalSymbol l => l.Type,
                    IParameterSymbol p => p.Type,
                    IFieldSymbol f => f.Type,
                    IPropertySymbol p when !p.IsIndexer && p.GetMethod != null => p.Type,
                    _ => null,
                };
                if (!FixSymbols.Is(type, symbols.NetworkClient))
                {
                    continue;
                }

                if (symbol is IFieldSymbol or IPropertySymbol && !symbol.IsStatic && isStaticContext)
                {
                    continue;
                }

                if (symbol is IFieldSymbol or IPropertySymbol && !model.IsAccessible(position, symbol))
                {
                    continue;
                }

                if (symbol is ILocalSymbol local && local.DeclaringSyntaxReferences.Length == 1 &&
                    local.DeclaringSyntaxReferences[0].Span.Start > position)
                {
                    continue;
                }

                inReach.Add(symbol);
            }

            if (inReach.Count != 1)
            {
                return null;
            }

            return SyntaxFactory.IdentifierName(inReach[0].Name);
        }

        private static bool IsStaticContext(ISymbol? symbol)
        {
            for (ISymbol? s = symbol; s != null && s is not INamedTypeSymbol; s = s.ContainingSymbol)
            {
                if (s.IsStatic)
                {
                    return true;
                }
            }

            return false;
        }

        private static ExpressionSyntax? ChoosePeer(
            ExpressionSyntax peerIdArg, ExpressionSyntax? network, ExpressionSyntax? readPeer, int position, SemanticModel model, FixSymbols symbols, CancellationToken ct)
        {
            ExpressionSyntax peerId = FixSyntax.Unparenthesize(peerIdArg);

            // For comparisons: what the sender's network and the read's peer say, when free of effects.
            ExpressionSyntax? sameNetwork = network != null && !ContainsEffects(network) ? network : null;
            ExpressionSyntax? samePeer = readPeer != null && !ContainsEffects(readPeer) &&
                FixSymbols.Is(model.GetTypeInfo(readPeer, ct).Type, symbols.PeerNetworkId) ? readPeer : null;

            // For construction at the send: only what can be evaluated there again.
            if (network != null && !FixSyntax.IsReusableAt(network, position, model, symbols, ct))
            {
                network = null;
            }

            if (samePeer == null || !FixSyntax.IsReusableAt(samePeer, position, model, symbols, ct))
            {
                readPeer = null;
            }

            // `sender.SendTo(P.PeerId, ...)` with P a PeerNetworkId: P, when the network agrees. P is part of the
            // send itself, so it may be evaluated there once even when it is not a plain variable (e.g. `peers[i]`).
            if (peerId is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "PeerId" } ofPeer &&
                FixSymbols.Is(model.GetTypeInfo(ofPeer.Expression, ct).Type, symbols.PeerNetworkId) &&
                !ContainsEffects(ofPeer.Expression))
            {
                ExpressionSyntax p = FixSyntax.Unparenthesize(ofPeer.Expression);
                bool networkAgrees = sameNetwork != null
                    ? FixSyntax.Unparenthesize(sameNetwork) is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "NetworkId" } n &&
                      FixSyntax.AreSameValue(n.Expression, p, model, ct)
                    : samePeer != null && FixSyntax.AreSameValue(samePeer, p, model, ct);
                if (networkAgrees)
                {
                    return p;
                }
            }

            if (!FixSymbols.Is(model.GetTypeInfo(peerId, ct).Type, symbols.PeerId) || ContainsEffects(peerId))
            {
                return null;
            }

            if (network != null)
            {
                return SyntaxBuilders.NewPeerNetworkId(network, peerId);
            }

            // The network is not evident from the sender; the read's `new PeerNetworkId(network, sameId)` says it.
            if (readPeer != null && FixSyntax.Unparenthesize(readPeer) is ObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 2 } created &&
                FixSyntax.AreSameValue(created.ArgumentList.Arguments[1].Expression, peerId, model, ct))
            {
                return readPeer;
            }

            return null;
        }

        /// <summary>Calls, assignments, awaits and the like: an expression with these is not moved or repeated.</summary>
        private static bool ContainsEffects(ExpressionSyntax e) =>
            e.DescendantNodesAndSelf().Any(n => n is InvocationExpressionSyntax or AssignmentExpressionSyntax or AwaitExpressionSyntax or
                ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax or AnonymousFunctionExpressionSyntax or
                PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression } or
                PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreDecrementExpression } or DeclarationExpressionSyntax);
    }
}
