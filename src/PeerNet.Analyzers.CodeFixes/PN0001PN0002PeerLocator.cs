using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>PN0001/PN0002 fix, locating the peer: which PeerNetworkId the raw send went to.</summary>
    internal static class PN0001PN0002PeerLocator
    {
        /// <summary>
        /// The PeerNetworkId the old send went to: P of a `P.PeerId` argument unless the sender's traced network is
        /// another, or `new PeerNetworkId(network, peerId)` from the sender's network, or the read's peer.
        /// </summary>
        public static ExpressionSyntax? ChoosePeer(
            ExpressionSyntax peerIdArg, ExpressionSyntax? network, ExpressionSyntax? readPeer, int position, SemanticModel model, FixSymbols symbols, CancellationToken ct)
        {
            ExpressionSyntax peerId = SyntaxQueries.Unparenthesize(peerIdArg);
            bool senderNetworkTraced = network != null;

            // For comparisons: what the sender's network and the read's peer say, when free of effects.
            ExpressionSyntax? sameNetwork = network != null && !ContainsEffects(network) ? network : null;
            ExpressionSyntax? samePeer = readPeer != null && !ContainsEffects(readPeer) &&
                FixSymbols.Is(model.GetTypeInfo(readPeer, ct).Type, symbols.PeerNetworkId) ? readPeer : null;

            // For construction at the send: only what can be evaluated there again.
            if (network != null && !ExpressionReuse.IsReusableAt(network, position, model, symbols, ct))
            {
                network = null;
            }

            if (samePeer == null || !ExpressionReuse.IsReusableAt(samePeer, position, model, symbols, ct))
            {
                readPeer = null;
            }

            // `sender.SendTo(P.PeerId, ...)` with P a PeerNetworkId: P, when the network agrees. P is part of the
            // send itself, so it may be evaluated there once even when it is not a plain variable (e.g. `peers[i]`).
            if (peerId is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "PeerId" } ofPeer &&
                FixSymbols.Is(model.GetTypeInfo(ofPeer.Expression, ct).Type, symbols.PeerNetworkId) &&
                !ContainsEffects(ofPeer.Expression))
            {
                ExpressionSyntax p = SyntaxQueries.Unparenthesize(ofPeer.Expression);
                // With no sender's network traced, P's own network is the one `P.PeerId` names (as the analyzer's
                // NoFixReason assumes): the read need not confirm it. The read's location may be a call to a summarized
                // method of another class (`strategy.Choose(peer)`), which names no peer at all.
                bool networkAgrees = sameNetwork != null
                    ? SyntaxQueries.Unparenthesize(sameNetwork) is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "NetworkId" } n &&
                      ExpressionReuse.AreSameValue(n.Expression, p, model, ct)
                    : !senderNetworkTraced;
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
            if (readPeer != null && SyntaxQueries.Unparenthesize(readPeer) is ObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 2 } created &&
                ExpressionReuse.AreSameValue(created.ArgumentList.Arguments[1].Expression, peerId, model, ct))
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
