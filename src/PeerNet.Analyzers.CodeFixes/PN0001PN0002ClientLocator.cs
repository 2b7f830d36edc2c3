using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>
    /// PN0001/PN0002 fix, locating the client: traced from the sender (GetSenderForNetwork) and from the cached
    /// snapshot read, or the only NetworkClient in reach; compared by symbol identity.
    /// </summary>
    internal static class PN0001PN0002ClientLocator
    {
        /// <summary>`client.GetSenderForNetwork(network)` behind the send's receiver (directly or through a single-assignment local).</summary>
        public static (ExpressionSyntax? Client, ExpressionSyntax? Network) TraceSender(
            InvocationExpressionSyntax send, SemanticModel model, FixSymbols symbols, SyntaxNode scope, CancellationToken ct)
        {
            if (send.Expression is not MemberAccessExpressionSyntax access)
            {
                return (null, null);
            }

            ExpressionSyntax sender = SyntaxQueries.Unparenthesize(access.Expression);
            if (model.GetSymbolInfo(sender, ct).Symbol is ILocalSymbol local &&
                SyntaxQueries.SingleAssignmentDeclarator(local, scope, model, ct) is VariableDeclaratorSyntax declarator)
            {
                sender = SyntaxQueries.Unparenthesize(declarator.Initializer!.Value);
            }
            else if (SenderPropertyBody(sender, model, ct) is ExpressionSyntax body)
            {
                // `INetworkSender Sender => client.GetSenderForNetwork(peer.NetworkId);` of this object: its client
                // and network, when their names mean the same at the send.
                if (body is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax ofClient } inProperty &&
                    inProperty.ArgumentList.Arguments.Count == 1 &&
                    ExpressionReuse.IsReusableAt(ofClient.Expression, send.SpanStart, model, symbols, ct) &&
                    ExpressionReuse.IsReusableAt(inProperty.ArgumentList.Arguments[0].Expression, send.SpanStart, model, symbols, ct))
                {
                    sender = body;
                }
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

        /// <summary>
        /// The single returned expression of a get-only, non-virtual property of this object (`Sender` or
        /// `this.Sender`) declared in this document: `=> e`, `get => e` or `get { return e; }`.
        /// </summary>
        private static ExpressionSyntax? SenderPropertyBody(ExpressionSyntax sender, SemanticModel model, CancellationToken ct)
        {
            if (!(sender is IdentifierNameSyntax || sender is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax }) ||
                model.GetSymbolInfo(sender, ct).Symbol is not IPropertySymbol { IsIndexer: false, SetMethod: null, IsVirtual: false, IsAbstract: false, IsOverride: false } property ||
                property.DeclaringSyntaxReferences.Length != 1 ||
                property.DeclaringSyntaxReferences[0].SyntaxTree != model.SyntaxTree ||
                property.DeclaringSyntaxReferences[0].GetSyntax(ct) is not PropertyDeclarationSyntax declaration)
            {
                return null;
            }

            if (declaration.ExpressionBody is { } arrow)
            {
                return SyntaxQueries.Unparenthesize(arrow.Expression);
            }

            if (declaration.AccessorList?.Accessors is { Count: 1 } accessors && accessors[0].IsKind(SyntaxKind.GetAccessorDeclaration))
            {
                AccessorDeclarationSyntax getter = accessors[0];
                if (getter.ExpressionBody is { } getterArrow)
                {
                    return SyntaxQueries.Unparenthesize(getterArrow.Expression);
                }

                if (getter.Body is { Statements: { Count: 1 } statements } && statements[0] is ReturnStatementSyntax { Expression: { } returned })
                {
                    return SyntaxQueries.Unparenthesize(returned);
                }
            }

            return null;
        }

        /// <summary>What the cached snapshot read names: the client it was read through and the peer it was read for.</summary>
        public sealed class ReadInfo
        {
            public ExpressionSyntax? Client;
            public ExpressionSyntax? Peer;
        }

        /// <summary>Fills <paramref name="info"/> from the snapshot read at <paramref name="node"/> (the diagnostic's AdditionalLocations[0]).</summary>
        public static void AnalyzeRead(SyntaxNode node, SemanticModel model, FixSymbols symbols, SyntaxNode scope, ReadInfo info, int depth, CancellationToken ct)
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

            Walk(SyntaxQueries.Unparenthesize(expression), model, symbols, scope, info, depth, ct);
        }

        private static void Walk(ExpressionSyntax e, SemanticModel model, FixSymbols symbols, SyntaxNode scope, ReadInfo info, int depth, CancellationToken ct)
        {
            if (depth > 8)
            {
                return;
            }

            e = SyntaxQueries.Unparenthesize(e);
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
                            if (SyntaxQueries.SingleAssignmentDeclarator(local, scope, model, ct) is VariableDeclaratorSyntax declarator)
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

        /// <summary>
        /// The clients the atomic send may go through, best first: the sender's client (the message went through
        /// it; the read's client when it is provably the same or the sender's is unknown), or else every
        /// NetworkClient in reach at the send (local, parameter, field, property, captured variable). More than one
        /// only when nothing in the code ties the send to one of them: the fix then offers one action per client.
        /// </summary>
        public static List<ExpressionSyntax> ChooseClients(
            ExpressionSyntax? senderClient, ExpressionSyntax? readClient, int position, SemanticModel model, FixSymbols symbols, CancellationToken ct)
        {
            foreach (ExpressionSyntax? c in new[] { senderClient, readClient })
            {
                if (c != null && FixSymbols.Is(model.GetTypeInfo(c, ct).Type, symbols.NetworkClient) &&
                    ExpressionReuse.IsReusableAt(c, position, model, symbols, ct))
                {
                    return new List<ExpressionSyntax> { c };
                }
            }

            // No client named by the code around the send that can be used again there: the NetworkClients in reach.
            ISymbol? containing = model.GetEnclosingSymbol(position, ct);
            bool isStaticContext = IsStaticContext(containing);
            var inReach = new List<ExpressionSyntax>();
            foreach (ISymbol symbol in model.LookupSymbols(position).OrderBy(s => s.Kind == SymbolKind.Field || s.Kind == SymbolKind.Property ? 1 : 0).ThenBy(s => s.Name, System.StringComparer.Ordinal))
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

                inReach.Add(SyntaxFactory.IdentifierName(symbol.Name));
            }

            return inReach;
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
    }
}
