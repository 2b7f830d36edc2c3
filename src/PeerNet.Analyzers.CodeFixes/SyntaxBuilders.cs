using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>The code both fixes generate: atomic-send calls, `throw new PeerNetException(...)`, declarations.</summary>
    internal static class SyntaxBuilders
    {
        /// <summary>`global::PeerNet.{name}`, to be reduced to `{name}` with `using PeerNet;` added if needed.</summary>
        public static TypeSyntax PeerNetType(string name) =>
            SyntaxFactory.ParseTypeName("global::PeerNet." + name)
                .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);

        /// <summary>`receiver.name(args)`.</summary>
        public static InvocationExpressionSyntax Call(ExpressionSyntax receiver, string name, IEnumerable<ArgumentSyntax> args) =>
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

        /// <summary>`client.TrySendWithCurrentProtocol(peer[, preferences], message, out var failure)`.</summary>
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

        /// <summary>`var name` as an out argument.</summary>
        public static ExpressionSyntax OutVar(string name) =>
            SyntaxFactory.DeclarationExpression(
                SyntaxFactory.IdentifierName("var"),
                SyntaxFactory.SingleVariableDesignation(SyntaxFactory.Identifier(name)));

        /// <summary>`if (!call) { throw new PeerNetException(failure, peer); }`</summary>
        public static IfStatementSyntax ThrowIfFailed(ExpressionSyntax call, string failure, ExpressionSyntax peer)
        {
            return IfNot(call, ThrowPeerNetException(failure, peer));
        }

        /// <summary>`throw new PeerNetException(failure, peer);`</summary>
        public static ThrowStatementSyntax ThrowPeerNetException(string failure, ExpressionSyntax peer) =>
            SyntaxFactory.ThrowStatement(
                SyntaxFactory.ObjectCreationExpression(PeerNetType("PeerNetException"))
                    .WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[]
                    {
                        SyntaxFactory.Argument(SyntaxFactory.IdentifierName(failure)),
                        SyntaxFactory.Argument(peer.WithoutTrivia()),
                    }))));

        /// <summary>`var name = value;`</summary>
        public static LocalDeclarationStatementSyntax VarDeclaration(string name, ExpressionSyntax value) =>
            SyntaxFactory.LocalDeclarationStatement(
                SyntaxFactory.VariableDeclaration(
                    SyntaxFactory.IdentifierName("var"),
                    SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(name))
                        .WithInitializer(SyntaxFactory.EqualsValueClause(value.WithoutTrivia())))));

        /// <summary>`SendFailure.None`.</summary>
        public static ExpressionSyntax SendFailureNone() =>
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, PeerNetType("SendFailure"), SyntaxFactory.IdentifierName("None"));

        /// <summary>`if (!call) { then }`</summary>
        public static IfStatementSyntax IfNot(ExpressionSyntax call, StatementSyntax then) =>
            SyntaxFactory.IfStatement(
                SyntaxFactory.PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, call.WithoutTrivia()),
                SyntaxFactory.Block(then))
            .WithAdditionalAnnotations(Formatter.Annotation);

        /// <summary>`new PeerNetworkId(network, peerId)`</summary>
        public static ExpressionSyntax NewPeerNetworkId(ExpressionSyntax network, ExpressionSyntax peerId) =>
            SyntaxFactory.ObjectCreationExpression(PeerNetType("PeerNetworkId"))
                .WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[]
                {
                    SyntaxFactory.Argument(network.WithoutTrivia()),
                    SyntaxFactory.Argument(peerId.WithoutTrivia()),
                })))
                .WithAdditionalAnnotations(Formatter.Annotation);

        /// <summary>`new[] { elements }`</summary>
        public static ExpressionSyntax ArrayOf(IEnumerable<ExpressionSyntax> elements) =>
            SyntaxFactory.ImplicitArrayCreationExpression(
                SyntaxFactory.InitializerExpression(
                    SyntaxKind.ArrayInitializerExpression,
                    SyntaxFactory.SeparatedList(elements.Select(x => x.WithoutTrivia()))))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }
}
