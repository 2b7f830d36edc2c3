using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>
    /// Rewrites a racy raw send (INetworkSender.SendTo / SendRpcAsync fed with a protocol read from a cached
    /// snapshot) to NetworkClient's atomic send, keeping the sender's explicit preferences and keeping a failure
    /// observable. Returns null, i.e. offers no fix, whenever the client, the peer, the preferences or the shape
    /// of the code cannot be established with certainty.
    /// </summary>
    internal static class RacySendRewriter
    {
        private const string FailureName = "failure";

        public static async Task<Document?> TryRewriteAsync(
            Document document, SyntaxNode sendNode, SyntaxNode? readNode, SyntaxNode? checkNode, CancellationToken ct)
        {
            SyntaxNode? root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            SemanticModel? model = await document.GetSemanticModelAsync(ct).ConfigureAwait(false);
            if (root == null || model == null)
            {
                return null;
            }

            Plan? plan = BuildPlan(sendNode, readNode, checkNode, model, ct);
            if (plan == null)
            {
                return null;
            }

            SyntaxNode newRoot = Apply(root, plan);
            return await CodeFixCleanup.CleanupAsync(document.WithSyntaxRoot(newRoot), ct).ConfigureAwait(false);
        }

        private sealed class Plan
        {
            public InvocationExpressionSyntax Send = null!;
            public bool IsRpc;
            public ExpressionSyntax Client = null!;
            public ExpressionSyntax Peer = null!;
            public bool PeerIsReusable;
            public ExpressionSyntax? Preferences;
            public ExpressionSyntax Message = null!;
            public ExpressionSyntax? Timeout;
            public ExpressionSyntax? CancellationToken;
            public StatementSyntax? SendStatement;
            public IfStatementSyntax? GuardToUnwrap;
            public IfStatementSyntax? GuardToRemove;
            public List<(string Name, LocalDeclarationStatementSyntax Declaration)> DeadCandidates = new List<(string, LocalDeclarationStatementSyntax)>();
        }

        private static Plan? BuildPlan(SyntaxNode sendNode, SyntaxNode? readNode, SyntaxNode? checkNode, SemanticModel model, CancellationToken ct)
        {
            var symbols = PeerNetSymbols.Create(model.Compilation);
            if (!symbols.IsComplete)
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
            var plan = new Plan { Send = send, IsRpc = isRpc, Message = WithNameComments(messageArg) };
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

            var removable = new RemovalTracker(model, scope, symbols, ct);
            removable.Region(send);
            ExpressionSyntax? preferences = Preferences(protocolArg, model, symbols, scope, position, removable, out bool understood, ct);
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
                PeerNetSymbols.IsMember(model.GetSymbolInfo(configured, ct).Symbol, symbols.NetworkClient, configured.Name.Identifier.ValueText) &&
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
                FindGuard(checkNode, send, model, symbols, plan, removable, ct);
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
            InvocationExpressionSyntax send, SemanticModel model, PeerNetSymbols symbols, SyntaxNode scope, CancellationToken ct)
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
                PeerNetSymbols.IsMember(model.GetSymbolInfo(invocation, ct).Symbol, symbols.NetworkClient, "GetSenderForNetwork") &&
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

        private static void AnalyzeRead(SyntaxNode node, SemanticModel model, PeerNetSymbols symbols, SyntaxNode scope, ReadInfo info, int depth, CancellationToken ct)
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

        private static void Walk(ExpressionSyntax e, SemanticModel model, PeerNetSymbols symbols, SyntaxNode scope, ReadInfo info, int depth, CancellationToken ct)
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
                        if (PeerNetSymbols.IsMember(method, symbols.NetworkClient, "GetPreferredProtocolForPeer") ||
                            PeerNetSymbols.IsMember(method, symbols.NetworkClient, "GetSupportedProtocols"))
                        {
                            info.Client ??= receiver;
                            info.Peer ??= firstArg;
                        }
                        else if (PeerNetSymbols.IsMember(method, symbols.PeersAndMetadata, "GetMetadataForPeer") ||
                                 PeerNetSymbols.IsMember(method, symbols.PeersAndMetadata, "GetSnapshot") ||
                                 PeerNetSymbols.IsMember(method, symbols.Snapshot, "GetMetadataForPeer") ||
                                 PeerNetSymbols.IsMember(method, symbols.Snapshot, "TryGetMetadataForPeer"))
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
                        else if (PeerNetSymbols.IsMember(method, symbols.ProtocolIdSet, "Contains") && receiver != null)
                        {
                            Walk(receiver, model, symbols, scope, info, depth + 1, ct);
                        }

                        break;
                    }

                case MemberAccessExpressionSyntax access:
                    {
                        ISymbol? member = model.GetSymbolInfo(access, ct).Symbol;
                        if (PeerNetSymbols.IsMember(member, symbols.NetworkClient, "PeersAndMetadata"))
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
                        else if (symbol is IPropertySymbol or IFieldSymbol && PeerNetSymbols.Is(model.GetTypeInfo(identifier, ct).Type, symbols.NetworkClient))
                        {
                            info.Client ??= identifier;
                        }

                        break;
                    }
            }
        }

        /// <summary>
        /// The preference list the old code selected the protocol with, as an expression; null for the client's
        /// configured preferences. <paramref name="understood"/> is false when the explicit preferences exist but
        /// cannot be carried to the send.
        /// </summary>
        private static ExpressionSyntax? Preferences(
            ExpressionSyntax protocolArg, SemanticModel model, PeerNetSymbols symbols, SyntaxNode scope, int position,
            RemovalTracker removable, out bool understood, CancellationToken ct)
        {
            understood = true;
            ExpressionSyntax e = FixSyntax.Unparenthesize(protocolArg);

            // `chosen.Value` of a ProtocolId?
            if (e is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Value" } valueAccess &&
                model.GetTypeInfo(valueAccess.Expression, ct).Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T })
            {
                e = FixSyntax.Unparenthesize(valueAccess.Expression);
            }

            // A constant protocol (e.g. sent after a Contains check): exactly that one.
            if (model.GetConstantValue(e, ct).HasValue && PeerNetSymbols.Is(model.GetTypeInfo(e, ct).Type, symbols.ProtocolId))
            {
                if (!FixSyntax.IsReusableAt(e, position, model, symbols, ct))
                {
                    understood = false;
                    return null;
                }

                return ArrayOf(new[] { e });
            }

            if (e is InvocationExpressionSyntax inlineRead &&
                PeerNetSymbols.IsMember(model.GetSymbolInfo(inlineRead, ct).Symbol, symbols.NetworkClient, "GetPreferredProtocolForPeer"))
            {
                // Inline at the sink: the preferences expression moves to the same place; evaluated once either way.
                return inlineRead.ArgumentList.Arguments.Count == 2 ? inlineRead.ArgumentList.Arguments[1].Expression : Fail(out understood);
            }

            if (e is ConditionalExpressionSyntax conditional)
            {
                List<ExpressionSyntax>? candidates = ContainsChain(conditional, model, symbols, ct);
                if (candidates == null || !candidates.All(c => FixSyntax.IsReusableAt(c, position, model, symbols, ct)))
                {
                    // A selection we do not understand: we cannot say which preferences it encodes.
                    return Fail(out understood);
                }

                return ArrayOf(candidates);
            }

            if (IsPlainProtocolValue(e, model, symbols, ct))
            {
                // A parameter, field or property holding the protocol (chosen by the caller): exactly that one.
                return ReusableOrFail(e, position, model, symbols, out understood, ct) is ExpressionSyntax single ? ArrayOf(new[] { single }) : null;
            }

            if (e is not IdentifierNameSyntax identifier || model.GetSymbolInfo(identifier, ct).Symbol is not ILocalSymbol local)
            {
                // Some other expression over snapshot data (e.g. `metadata.SupportedProtocols.First()`): no explicit
                // preference list; the client's configured preferences.
                return null;
            }

            if (local.DeclaringSyntaxReferences.Length == 1 && local.DeclaringSyntaxReferences[0].GetSyntax(ct) is ForEachStatementSyntax loop)
            {
                // Sent from inside `foreach (var candidate in preferences)`.
                return ReusableOrFail(loop.Expression, position, model, symbols, out understood, ct);
            }

            if (FixSyntax.SingleAssignmentDeclarator(local, scope, model, ct) is VariableDeclaratorSyntax declarator)
            {
                removable.Candidate(local);
                ExpressionSyntax init = FixSyntax.Unparenthesize(declarator.Initializer!.Value);
                if (init is InvocationExpressionSyntax read &&
                    PeerNetSymbols.IsMember(model.GetSymbolInfo(read, ct).Symbol, symbols.NetworkClient, "GetPreferredProtocolForPeer"))
                {
                    return read.ArgumentList.Arguments.Count == 2
                        ? ReusableOrFail(read.ArgumentList.Arguments[1].Expression, position, model, symbols, out understood, ct)
                        : Fail(out understood);
                }

                if (IsPlainProtocolValue(init, model, symbols, ct))
                {
                    return ReusableOrFail(init, position, model, symbols, out understood, ct) is ExpressionSyntax single ? ArrayOf(new[] { single }) : null;
                }

                if (init is ConditionalExpressionSyntax chain)
                {
                    List<ExpressionSyntax>? candidates = ContainsChain(chain, model, symbols, ct);
                    if (candidates == null || !candidates.All(c => FixSyntax.IsReusableAt(c, position, model, symbols, ct)))
                    {
                        return Fail(out understood);
                    }

                    return ArrayOf(candidates);
                }

                return null;
            }

            // Assigned in a selection loop: `foreach (var candidate in preferences) if (supported.Contains(candidate)) { chosen = candidate; break; }`
            ExpressionSyntax? loopSource = null;
            foreach (AssignmentExpressionSyntax assignment in scope.DescendantNodes().OfType<AssignmentExpressionSyntax>())
            {
                if (!assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) ||
                    !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(assignment.Left, ct).Symbol, local))
                {
                    continue;
                }

                ExpressionSyntax right = FixSyntax.Unparenthesize(assignment.Right);
                if (right.IsKind(SyntaxKind.NullLiteralExpression) || right.IsKind(SyntaxKind.DefaultLiteralExpression))
                {
                    continue;
                }

                if (model.GetSymbolInfo(right, ct).Symbol is ILocalSymbol iteration &&
                    iteration.DeclaringSyntaxReferences.Length == 1 &&
                    iteration.DeclaringSyntaxReferences[0].GetSyntax(ct) is ForEachStatementSyntax selection &&
                    (loopSource == null || FixSyntax.AreSameValue(loopSource, selection.Expression, model, ct)))
                {
                    loopSource = selection.Expression;
                    continue;
                }

                return Fail(out understood);
            }

            if (loopSource != null)
            {
                return ReusableOrFail(loopSource, position, model, symbols, out understood, ct);
            }

            foreach (VariableDeclaratorSyntax d in local.DeclaringSyntaxReferences.Select(r => r.GetSyntax(ct)).OfType<VariableDeclaratorSyntax>())
            {
                if (d.Initializer != null && FixSyntax.Unparenthesize(d.Initializer.Value) is not LiteralExpressionSyntax)
                {
                    return Fail(out understood);
                }
            }

            return Fail(out understood);
        }

        /// <summary>A ProtocolId parameter, field or (non-snapshot) property, or a constant.</summary>
        private static bool IsPlainProtocolValue(ExpressionSyntax e, SemanticModel model, PeerNetSymbols symbols, CancellationToken ct)
        {
            if (!PeerNetSymbols.Is(model.GetTypeInfo(e, ct).Type, symbols.ProtocolId))
            {
                return false;
            }

            if (model.GetConstantValue(e, ct).HasValue)
            {
                return true;
            }

            ISymbol? symbol = FixSyntax.ValueSymbol(e, model, ct);
            return symbol is IParameterSymbol or IFieldSymbol ||
                (symbol is IPropertySymbol && !symbols.HasAttribute(symbol, symbols.CachedSnapshotRead));
        }

        private static ExpressionSyntax? Fail(out bool understood)
        {
            understood = false;
            return null;
        }

        private static ExpressionSyntax? ReusableOrFail(ExpressionSyntax e, int position, SemanticModel model, PeerNetSymbols symbols, out bool understood, CancellationToken ct)
        {
            if (FixSyntax.IsReusableAt(e, position, model, symbols, ct))
            {
                understood = true;
                return e;
            }

            return Fail(out understood);
        }

        /// <summary>`set.Contains(A) ? A : set.Contains(B) ? B : C` gives [A, B, C]; `... : throw ...` ends the list.</summary>
        private static List<ExpressionSyntax>? ContainsChain(ConditionalExpressionSyntax conditional, SemanticModel model, PeerNetSymbols symbols, CancellationToken ct)
        {
            var result = new List<ExpressionSyntax>();
            ExpressionSyntax current = conditional;
            while (true)
            {
                current = FixSyntax.Unparenthesize(current);
                if (current is ThrowExpressionSyntax)
                {
                    return result.Count > 0 ? result : null;
                }

                if (current is ConditionalExpressionSyntax c)
                {
                    if (FixSyntax.Unparenthesize(c.Condition) is not InvocationExpressionSyntax contains ||
                        !PeerNetSymbols.IsMember(model.GetSymbolInfo(contains, ct).Symbol, symbols.ProtocolIdSet, "Contains") ||
                        contains.ArgumentList.Arguments.Count != 1)
                    {
                        return null;
                    }

                    ExpressionSyntax asked = contains.ArgumentList.Arguments[0].Expression;
                    Optional<object?> askedValue = model.GetConstantValue(asked, ct);
                    Optional<object?> chosenValue = model.GetConstantValue(c.WhenTrue, ct);
                    if (!askedValue.HasValue || !chosenValue.HasValue || !Equals(askedValue.Value, chosenValue.Value))
                    {
                        return null;
                    }

                    result.Add(FixSyntax.Unparenthesize(c.WhenTrue));
                    current = c.WhenFalse;
                    continue;
                }

                if (model.GetConstantValue(current, ct).HasValue && PeerNetSymbols.Is(model.GetTypeInfo(current, ct).Type, symbols.ProtocolId))
                {
                    result.Add(current);
                    return result;
                }

                return null;
            }
        }

        private static ExpressionSyntax ArrayOf(IEnumerable<ExpressionSyntax> elements) =>
            SyntaxFactory.ImplicitArrayCreationExpression(
                SyntaxFactory.InitializerExpression(
                    SyntaxKind.ArrayInitializerExpression,
                    SyntaxFactory.SeparatedList(elements.Select(x => x.WithoutTrivia()))))
            .WithAdditionalAnnotations(Formatter.Annotation);

        private static ExpressionSyntax? ChooseClient(
            ExpressionSyntax? senderClient, ExpressionSyntax? readClient, int position, SemanticModel model, PeerNetSymbols symbols, CancellationToken ct)
        {
            var candidates = new List<ExpressionSyntax>();
            foreach (ExpressionSyntax? c in new[] { senderClient, readClient })
            {
                if (c != null && PeerNetSymbols.Is(model.GetTypeInfo(c, ct).Type, symbols.NetworkClient))
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
                if (!PeerNetSymbols.Is(type, symbols.NetworkClient))
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
            ExpressionSyntax peerIdArg, ExpressionSyntax? network, ExpressionSyntax? readPeer, int position, SemanticModel model, PeerNetSymbols symbols, CancellationToken ct)
        {
            ExpressionSyntax peerId = FixSyntax.Unparenthesize(peerIdArg);

            // For comparisons: what the sender's network and the read's peer say, when free of effects.
            ExpressionSyntax? sameNetwork = network != null && !ContainsEffects(network) ? network : null;
            ExpressionSyntax? samePeer = readPeer != null && !ContainsEffects(readPeer) &&
                PeerNetSymbols.Is(model.GetTypeInfo(readPeer, ct).Type, symbols.PeerNetworkId) ? readPeer : null;

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
                PeerNetSymbols.Is(model.GetTypeInfo(ofPeer.Expression, ct).Type, symbols.PeerNetworkId) &&
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

            if (!PeerNetSymbols.Is(model.GetTypeInfo(peerId, ct).Type, symbols.PeerId) || ContainsEffects(peerId))
            {
                return null;
            }

            if (network != null)
            {
                return NewPeerNetworkId(network, peerId);
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

        private static ExpressionSyntax NewPeerNetworkId(ExpressionSyntax network, ExpressionSyntax peerId) =>
            SyntaxFactory.ObjectCreationExpression(CodeFixCleanup.PeerNetType("PeerNetworkId"))
                .WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[]
                {
                    SyntaxFactory.Argument(network.WithoutTrivia()),
                    SyntaxFactory.Argument(peerId.WithoutTrivia()),
                })))
                .WithAdditionalAnnotations(Formatter.Annotation);

        private static void FindGuard(SyntaxNode checkNode, InvocationExpressionSyntax send, SemanticModel model, PeerNetSymbols symbols, Plan plan, RemovalTracker removable, CancellationToken ct)
        {
            // A [SnapshotVersionCheck] member (IsCurrent) or a comparison of SnapshotVersion values.
            ExpressionSyntax? check = checkNode.AncestorsAndSelf().OfType<ExpressionSyntax>().FirstOrDefault(e =>
                (e is InvocationExpressionSyntax or MemberAccessExpressionSyntax or IdentifierNameSyntax &&
                 symbols.HasAttribute(model.GetSymbolInfo(e, ct).Symbol, symbols.SnapshotVersionCheck)) ||
                IsVersionComparison(e, model, symbols, ct));
            if (check == null)
            {
                return;
            }

            if (check.IsKind(SyntaxKind.NotEqualsExpression))
            {
                // `if (snapshot.Version != store.CurrentVersion) return;` ahead of the send.
                SyntaxNode? parent = check.Parent;
                while (parent is ParenthesizedExpressionSyntax)
                {
                    parent = parent.Parent;
                }

                if (parent is IfStatementSyntax stale && stale.Else == null && stale.Parent is BlockSyntax staleBlock &&
                    IsExit(stale.Statement) && stale.Span.End <= send.SpanStart && staleBlock.Span.Contains(send.Span))
                {
                    plan.GuardToRemove = stale;
                    removable.Region(stale);
                }

                return;
            }

            if (check.Parent is MemberAccessExpressionSyntax parentAccess && parentAccess.Name == check)
            {
                check = parentAccess;
            }

            if (check.Parent is InvocationExpressionSyntax parentCall && parentCall.Expression == check)
            {
                check = parentCall;
            }

            SyntaxNode? up = check.Parent;
            while (up is ParenthesizedExpressionSyntax)
            {
                up = up.Parent;
            }

            if (up is IfStatementSyntax guard && guard.Else == null && guard.Parent is BlockSyntax && guard.Statement.Span.Contains(send.Span))
            {
                // `if (store.IsCurrent(v)) { send }`: keep the body.
                plan.GuardToUnwrap = guard;
                removable.Region(guard.Condition);
                return;
            }

            if (up is PrefixUnaryExpressionSyntax not && not.IsKind(SyntaxKind.LogicalNotExpression))
            {
                up = not.Parent;
                while (up is ParenthesizedExpressionSyntax)
                {
                    up = up.Parent;
                }

                // `if (!store.IsCurrent(v)) return;` ahead of the send, in a block around it.
                if (up is IfStatementSyntax early && early.Else == null && early.Parent is BlockSyntax block &&
                    IsExit(early.Statement) && early.Span.End <= send.SpanStart && block.Span.Contains(send.Span))
                {
                    plan.GuardToRemove = early;
                    removable.Region(early);
                }
            }
        }

        private static bool IsVersionComparison(ExpressionSyntax e, SemanticModel model, PeerNetSymbols symbols, CancellationToken ct) =>
            e is BinaryExpressionSyntax binary &&
            (binary.IsKind(SyntaxKind.EqualsExpression) || binary.IsKind(SyntaxKind.NotEqualsExpression) ||
             binary.IsKind(SyntaxKind.GreaterThanOrEqualExpression) || binary.IsKind(SyntaxKind.LessThanOrEqualExpression)) &&
            (PeerNetSymbols.Is(model.GetTypeInfo(binary.Left, ct).Type, symbols.SnapshotVersion) ||
             PeerNetSymbols.Is(model.GetTypeInfo(binary.Right, ct).Type, symbols.SnapshotVersion));

        private static bool IsExit(StatementSyntax statement)
        {
            if (statement is BlockSyntax { Statements.Count: 1 } block)
            {
                statement = block.Statements[0];
            }

            return statement is ReturnStatementSyntax or ThrowStatementSyntax or ContinueStatementSyntax or BreakStatementSyntax;
        }

        private static SyntaxNode Apply(SyntaxNode root, Plan plan)
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
                root = ReplaceStatement(root, current, replacement);
            }

            // The guard.
            if (plan.GuardToUnwrap != null && root.GetCurrentNode(plan.GuardToUnwrap) is IfStatementSyntax guard)
            {
                List<StatementSyntax> body = guard.Statement is BlockSyntax block ? block.Statements.ToList() : new List<StatementSyntax> { guard.Statement };
                if (body.Count == 0)
                {
                    root = RemoveStatementKeepingComments(root, guard);
                }
                else
                {
                    // The guard's own leading trivia (blank lines, comments, indentation) stays where the guard was.
                    SyntaxTriviaList leading = guard.GetLeadingTrivia();
                    if (guard.Statement is BlockSyntax b)
                    {
                        leading = leading.AddRange(CommentsOf(b.OpenBraceToken.TrailingTrivia)).AddRange(CommentsOf(b.CloseBraceToken.LeadingTrivia));
                    }

                    body[0] = body[0].WithLeadingTrivia(leading.AddRange(CommentsOf(body[0].GetLeadingTrivia())));
                    body = body.Select(s => s.WithAdditionalAnnotations(Formatter.Annotation)).ToList();
                    root = root.ReplaceNode(guard, body);
                }
            }

            if (plan.GuardToRemove != null && root.GetCurrentNode(plan.GuardToRemove) is IfStatementSyntax early)
            {
                root = RemoveStatementKeepingComments(root, early);
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

                    SyntaxNode scope = FixSyntax.OutermostScope(current);
                    bool used = scope.DescendantNodes().OfType<IdentifierNameSyntax>().Any(id => id.Identifier.ValueText == name);
                    if (!used)
                    {
                        root = RemoveStatementKeepingComments(root, current);
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
                    SyntaxTriviaList trimmed = TrimLeadingBlankLines(first.GetLeadingTrivia());
                    if (trimmed.Count != first.GetLeadingTrivia().Count)
                    {
                        root = root.ReplaceNode(first, first.WithLeadingTrivia(trimmed));
                    }
                }
            }

            return root;
        }

        private static SyntaxTriviaList TrimLeadingBlankLines(SyntaxTriviaList trivia)
        {
            int keepFrom = 0;
            for (int i = 0; i < trivia.Count; i++)
            {
                if (trivia[i].IsKind(SyntaxKind.EndOfLineTrivia))
                {
                    keepFrom = i + 1;
                }
                else if (!trivia[i].IsKind(SyntaxKind.WhitespaceTrivia))
                {
                    break;
                }
            }

            return keepFrom == 0 ? trivia : SyntaxFactory.TriviaList(trivia.Skip(keepFrom));
        }

        private static ExpressionSyntax RpcCall(Plan plan)
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

            return Call(plan.Client, "SendToPeerRpcAsync", args);
        }

        private static ExpressionSyntax ThrowingSendCall(Plan plan)
        {
            var args = new List<ArgumentSyntax> { SyntaxFactory.Argument(plan.Message), SyntaxFactory.Argument(plan.Peer.WithoutTrivia()) };
            if (plan.Preferences != null)
            {
                args.Add(SyntaxFactory.Argument(plan.Preferences.WithoutTrivia()));
            }

            return Call(plan.Client, "SendToPeer", args);
        }

        private static InvocationExpressionSyntax Call(ExpressionSyntax receiver, string name, IEnumerable<ArgumentSyntax> args) =>
            SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver.WithoutTrivia(), SyntaxFactory.IdentifierName(name)),
                SyntaxFactory.ArgumentList(CommaList(args)))
            .WithAdditionalAnnotations(Formatter.Annotation);

        /// <summary>Arguments separated by plain `, ` (not elastic: the formatter keeps inline comments inline).</summary>
        private static SeparatedSyntaxList<ArgumentSyntax> CommaList(IEnumerable<ArgumentSyntax> args)
        {
            List<ArgumentSyntax> list = args.ToList();
            var separators = Enumerable.Range(0, System.Math.Max(0, list.Count - 1))
                .Select(_ => SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
            return SyntaxFactory.SeparatedList(list, separators);
        }

        private static List<StatementSyntax> TrySendStatements(Plan plan, StatementSyntax original)
        {
            var statements = new List<StatementSyntax>();
            ExpressionSyntax peer = plan.Peer;
            if (!plan.PeerIsReusable)
            {
                // Evaluated once, named, then used for the send and the exception.
                string peerName = FixSyntax.UniqueName(original, "peer");
                statements.Add(SyntaxFactory.LocalDeclarationStatement(
                    SyntaxFactory.VariableDeclaration(
                        SyntaxFactory.IdentifierName("var"),
                        SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(peerName))
                            .WithInitializer(SyntaxFactory.EqualsValueClause(peer.WithoutTrivia()))))));
                peer = SyntaxFactory.IdentifierName(peerName);
            }

            string failure = FixSyntax.UniqueName(original, FailureName);
            ExpressionSyntax trySend = TrySendCall(plan.Client, peer, plan.Preferences, plan.Message, failure);
            statements.Add(ThrowIfFailed(trySend, failure, peer));
            statements = statements.Select(s => s.WithAdditionalAnnotations(Formatter.Annotation)).ToList();
            statements[0] = statements[0].WithLeadingTrivia(original.GetLeadingTrivia());
            statements[statements.Count - 1] = statements[statements.Count - 1].WithTrailingTrivia(original.GetTrailingTrivia());
            return statements;
        }

        public static InvocationExpressionSyntax TrySendCall(ExpressionSyntax client, ExpressionSyntax peer, ExpressionSyntax? preferences, ExpressionSyntax message, string failure)
        {
            var args = new List<ArgumentSyntax> { SyntaxFactory.Argument(peer.WithoutTrivia()) };
            if (preferences != null)
            {
                args.Add(SyntaxFactory.Argument(preferences.WithoutTrivia()));
            }

            args.Add(SyntaxFactory.Argument(message));
            args.Add(SyntaxFactory.Argument(OutVar(failure)).WithRefKindKeyword(SyntaxFactory.Token(SyntaxKind.OutKeyword)));
            return Call(client, "TrySendWithCurrentProtocol", args);
        }

        public static ExpressionSyntax OutVar(string name) =>
            SyntaxFactory.DeclarationExpression(
                SyntaxFactory.IdentifierName("var"),
                SyntaxFactory.SingleVariableDesignation(SyntaxFactory.Identifier(name)));

        /// <summary>`if (!call) { throw new PeerNetException(failure, peer); }`</summary>
        public static IfStatementSyntax ThrowIfFailed(ExpressionSyntax call, string failure, ExpressionSyntax peer)
        {
            ThrowStatementSyntax @throw = SyntaxFactory.ThrowStatement(
                SyntaxFactory.ObjectCreationExpression(CodeFixCleanup.PeerNetType("PeerNetException"))
                    .WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[]
                    {
                        SyntaxFactory.Argument(SyntaxFactory.IdentifierName(failure)),
                        SyntaxFactory.Argument(peer.WithoutTrivia()),
                    }))));
            return IfNot(call, @throw);
        }

        public static IfStatementSyntax IfNot(ExpressionSyntax call, StatementSyntax then) =>
            SyntaxFactory.IfStatement(
                SyntaxFactory.PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, call.WithoutTrivia()),
                SyntaxFactory.Block(then))
            .WithAdditionalAnnotations(Formatter.Annotation);

        /// <summary>
        /// Replaces a statement with several. In a block (or switch section, or top-level code) they take its place;
        /// as an embedded statement (`if (x) send;`) they are wrapped in a block, which also avoids a dangling else.
        /// </summary>
        public static SyntaxNode ReplaceStatement(SyntaxNode root, StatementSyntax current, List<StatementSyntax> replacement)
        {
            switch (current.Parent)
            {
                case BlockSyntax:
                case SwitchSectionSyntax:
                    return root.ReplaceNode(current, replacement);
                case GlobalStatementSyntax global:
                    return root.ReplaceNode(global, replacement.Select(s => SyntaxFactory.GlobalStatement(s)));
                default:
                    {
                        SyntaxTriviaList leading = replacement[0].GetLeadingTrivia();
                        SyntaxTriviaList trailing = replacement[replacement.Count - 1].GetTrailingTrivia();
                        replacement[0] = replacement[0].WithLeadingTrivia(CommentsOf(leading));
                        BlockSyntax block = SyntaxFactory.Block(replacement).WithLeadingTrivia(leading).WithTrailingTrivia(trailing)
                            .WithAdditionalAnnotations(Formatter.Annotation);
                        return root.ReplaceNode(current, block);
                    }
            }
        }

        /// <summary>Removes a statement; comments in front of or behind it move to the next statement, formatted.</summary>
        public static SyntaxNode RemoveStatementKeepingComments(SyntaxNode root, StatementSyntax statement)
        {
            SyntaxNode target = statement.Parent is GlobalStatementSyntax global ? global : statement;
            SyntaxTriviaList comments = CommentsOf(target.GetLeadingTrivia()).AddRange(CommentsOf(target.GetTrailingTrivia()));
            SyntaxToken next = target.GetLastToken().GetNextToken(includeZeroWidth: true);
            if (comments.Count == 0 || next.RawKind == 0)
            {
                return root.RemoveNode(target, SyntaxRemoveOptions.KeepUnbalancedDirectives)!;
            }

            // Mark the node to remove, move the comments onto the next token, then remove the marked node.
            var mark = new SyntaxAnnotation("PeerNet.CodeFixes.Remove");
            SyntaxNode marked = root.ReplaceNode(target, target.WithAdditionalAnnotations(mark));
            SyntaxToken nextAgain = marked.FindToken(next.SpanStart);
            marked = marked.ReplaceToken(nextAgain, nextAgain.WithLeadingTrivia(comments.AddRange(nextAgain.LeadingTrivia)).WithAdditionalAnnotations(Formatter.Annotation));
            SyntaxNode? toRemove = marked.GetAnnotatedNodes(mark).FirstOrDefault();
            return toRemove == null ? root : marked.RemoveNode(toRemove, SyntaxRemoveOptions.KeepUnbalancedDirectives)!;
        }

        /// <summary>The comments of a trivia list with the line breaks that end them, without indentation.</summary>
        public static SyntaxTriviaList CommentsOf(SyntaxTriviaList trivia)
        {
            var result = new List<SyntaxTrivia>();
            for (int i = 0; i < trivia.Count; i++)
            {
                SyntaxTrivia t = trivia[i];
                if (t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia) ||
                    t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || t.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
                {
                    result.Add(t);
                    int j = i + 1;
                    while (j < trivia.Count && trivia[j].IsKind(SyntaxKind.WhitespaceTrivia))
                    {
                        j++;
                    }

                    if (j < trivia.Count && trivia[j].IsKind(SyntaxKind.EndOfLineTrivia))
                    {
                        result.Add(trivia[j]);
                    }
                    else if (t.IsKind(SyntaxKind.SingleLineCommentTrivia))
                    {
                        result.Add(SyntaxFactory.ElasticCarriageReturnLineFeed);
                    }
                    else
                    {
                        result.Add(SyntaxFactory.ElasticSpace);
                    }
                }
            }

            return SyntaxFactory.TriviaList(result);
        }
    }
}
