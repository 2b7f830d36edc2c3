using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>
    /// Whether an expression may be moved or evaluated again elsewhere with the same meaning: the rewrite carries
    /// peers, clients and preference lists to the new call only when this holds.
    /// </summary>
    internal static class ExpressionReuse
    {
        /// <summary>
        /// Whether <paramref name="expression"/> can be evaluated again at <paramref name="position"/> with the same
        /// meaning and without side effects: locals, parameters, fields, properties, constants, `this`, member
        /// chains of those, and `new PeerNetworkId(...)` / array creations of such. Every name must bind, at
        /// <paramref name="position"/>, to the very symbol it binds to where it stands now.
        /// </summary>
        public static bool IsReusableAt(ExpressionSyntax expression, int position, SemanticModel model, FixSymbols symbols, CancellationToken ct)
        {
            switch (expression)
            {
                case ParenthesizedExpressionSyntax p:
                    return IsReusableAt(p.Expression, position, model, symbols, ct);
                case ThisExpressionSyntax:
                case LiteralExpressionSyntax:
                    return true;
                case PredefinedTypeSyntax:
                    return true;
                case IdentifierNameSyntax id:
                    return IdentifierIsReusable(id, position, model, ct);
                case MemberAccessExpressionSyntax ma when ma.IsKind(SyntaxKind.SimpleMemberAccessExpression):
                    {
                        ISymbol? member = model.GetSymbolInfo(ma, ct).Symbol;
                        if (member is not (IFieldSymbol or IPropertySymbol))
                        {
                            return false;
                        }

                        if (member.IsStatic)
                        {
                            // A type-qualified static: the type part must bind the same way.
                            ISymbol? left = model.GetSymbolInfo(ma.Expression, ct).Symbol;
                            if (left is ITypeSymbol)
                            {
                                return TypeNameIsReusable(ma.Expression, position, model, ct);
                            }
                        }

                        return IsReusableAt(ma.Expression, position, model, symbols, ct);
                    }
                case ObjectCreationExpressionSyntax oc:
                    {
                        ITypeSymbol? type = model.GetTypeInfo(oc, ct).Type;
                        if (!FixSymbols.Is(type, symbols.PeerNetworkId) || oc.Initializer != null || oc.ArgumentList == null)
                        {
                            return false;
                        }

                        return TypeNameIsReusable(oc.Type, position, model, ct) &&
                            oc.ArgumentList.Arguments.All(a => a.RefKindKeyword.IsKind(SyntaxKind.None) && IsReusableAt(a.Expression, position, model, symbols, ct));
                    }
                default:
                    return false;
            }
        }

        private static bool IdentifierIsReusable(IdentifierNameSyntax id, int position, SemanticModel model, CancellationToken ct)
        {
            ISymbol? symbol = model.GetSymbolInfo(id, ct).Symbol;
            if (symbol is not (ILocalSymbol or IParameterSymbol or IFieldSymbol or IPropertySymbol or INamedTypeSymbol))
            {
                return false;
            }

            if (symbol is IPropertySymbol { IsIndexer: true })
            {
                return false;
            }

            return NameLookup.FindsSameSymbol(model, position, id.Identifier.ValueText, symbol);
        }

        private static bool TypeNameIsReusable(ExpressionSyntax typeSyntax, int position, SemanticModel model, CancellationToken ct)
        {
            ISymbol? original = model.GetSymbolInfo(typeSyntax, ct).Symbol;
            if (original is not ITypeSymbol)
            {
                return false;
            }

            ISymbol? speculative = model.GetSpeculativeSymbolInfo(position, typeSyntax, SpeculativeBindingOption.BindAsTypeOrNamespace).Symbol;
            return SymbolEqualityComparer.Default.Equals(original, speculative);
        }

        /// <summary>Same shape (ignoring trivia) and every name binds to the same symbol.</summary>
        public static bool AreSameValue(ExpressionSyntax a, ExpressionSyntax b, SemanticModel model, CancellationToken ct)
        {
            a = SyntaxQueries.Unparenthesize(a);
            b = SyntaxQueries.Unparenthesize(b);
            if (!SyntaxFactory.AreEquivalent(a, b, topLevel: false))
            {
                return false;
            }

            List<IdentifierNameSyntax> left = a.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().ToList();
            List<IdentifierNameSyntax> right = b.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().ToList();
            if (left.Count != right.Count)
            {
                return false;
            }

            for (int i = 0; i < left.Count; i++)
            {
                ISymbol? l = model.GetSymbolInfo(left[i], ct).Symbol;
                ISymbol? r = model.GetSymbolInfo(right[i], ct).Symbol;
                if (l == null || !SymbolEqualityComparer.Default.Equals(l, r))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
