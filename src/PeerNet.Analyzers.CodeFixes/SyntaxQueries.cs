using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>Questions both fixes ask of the code around a diagnostic: scopes, return types, free names, single assignments, writes.</summary>
    internal static class SyntaxQueries
    {
        /// <summary>The expression inside any parentheses.</summary>
        public static ExpressionSyntax Unparenthesize(ExpressionSyntax e)
        {
            while (e is ParenthesizedExpressionSyntax p)
            {
                e = p.Expression;
            }

            return e;
        }

        /// <summary>The nearest enclosing method, local function, lambda, accessor or top-level code.</summary>
        public static SyntaxNode? EnclosingFunction(SyntaxNode node)
        {
            foreach (SyntaxNode ancestor in node.Ancestors())
            {
                switch (ancestor)
                {
                    case AnonymousFunctionExpressionSyntax:
                    case LocalFunctionStatementSyntax:
                    case BaseMethodDeclarationSyntax:
                    case AccessorDeclarationSyntax:
                    case CompilationUnitSyntax:
                        return ancestor;
                    case ArrowExpressionClauseSyntax arrow when arrow.Parent is PropertyDeclarationSyntax or IndexerDeclarationSyntax:
                        return ancestor;
                }
            }

            return null;
        }

        /// <summary>The outermost member (or the compilation unit for top-level code) around <paramref name="node"/>.</summary>
        public static SyntaxNode OutermostScope(SyntaxNode node)
        {
            SyntaxNode? member = node.AncestorsAndSelf().LastOrDefault(n => n is MemberDeclarationSyntax and not BaseNamespaceDeclarationSyntax and not BaseTypeDeclarationSyntax);
            if (member is GlobalStatementSyntax || member == null)
            {
                return node.SyntaxTree.GetRoot();
            }

            return member;
        }

        /// <summary>
        /// The return type of the function enclosing <paramref name="node"/> and whether it is async
        /// (for an async function, the T of Task&lt;T&gt;/ValueTask&lt;T&gt;).
        /// </summary>
        public static ITypeSymbol? EffectiveReturnType(SyntaxNode node, SemanticModel model, CancellationToken ct)
        {
            SyntaxNode? function = EnclosingFunction(node);
            IMethodSymbol? method = function switch
            {
                AnonymousFunctionExpressionSyntax lambda => model.GetSymbolInfo(lambda, ct).Symbol as IMethodSymbol,
                LocalFunctionStatementSyntax local => model.GetDeclaredSymbol(local, ct) as IMethodSymbol,
                BaseMethodDeclarationSyntax m => model.GetDeclaredSymbol(m, ct) as IMethodSymbol,
                AccessorDeclarationSyntax a => model.GetDeclaredSymbol(a, ct) as IMethodSymbol,
                _ => null,
            };
            if (method == null)
            {
                return null;
            }

            if (!method.IsAsync)
            {
                return method.ReturnType;
            }

            if (method.ReturnType is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named &&
                (named.Name == "Task" || named.Name == "ValueTask") &&
                named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks")
            {
                return named.TypeArguments[0];
            }

            return null;
        }

        /// <summary>
        /// A name based on <paramref name="baseName"/> that no identifier in the member around
        /// <paramref name="node"/> uses (so it neither collides with a local nor shadows a field used there), nor
        /// any name in <paramref name="reserved"/>.
        /// </summary>
        public static string UniqueName(SyntaxNode node, string baseName, IEnumerable<string>? reserved = null)
        {
            SyntaxNode scope = OutermostScope(node);
            var taken = new HashSet<string>(scope.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
            if (reserved != null)
            {
                taken.UnionWith(reserved);
            }

            if (!taken.Contains(baseName) && SyntaxFacts.GetKeywordKind(baseName) == SyntaxKind.None)
            {
                return baseName;
            }

            for (int i = 1; ; i++)
            {
                string candidate = baseName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!taken.Contains(candidate))
                {
                    return candidate;
                }
            }
        }

        /// <summary>The symbol an expression denotes when it names a variable-like thing (local, parameter, field, property).</summary>
        public static ISymbol? ValueSymbol(ExpressionSyntax expression, SemanticModel model, CancellationToken ct)
        {
            expression = Unparenthesize(expression);
            if (expression is IdentifierNameSyntax or MemberAccessExpressionSyntax)
            {
                ISymbol? symbol = model.GetSymbolInfo(expression, ct).Symbol;
                return symbol is ILocalSymbol or IParameterSymbol or IFieldSymbol or IPropertySymbol ? symbol : null;
            }

            return null;
        }

        /// <summary>The single declarator of a local that is never assigned after its declaration, if any.</summary>
        public static VariableDeclaratorSyntax? SingleAssignmentDeclarator(ILocalSymbol local, SyntaxNode scope, SemanticModel model, CancellationToken ct)
        {
            if (local.DeclaringSyntaxReferences.Length != 1 ||
                local.DeclaringSyntaxReferences[0].GetSyntax(ct) is not VariableDeclaratorSyntax declarator ||
                declarator.Initializer == null ||
                declarator.Parent?.Parent is not LocalDeclarationStatementSyntax)
            {
                return null;
            }

            foreach (IdentifierNameSyntax id in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (id.Identifier.ValueText != local.Name || !IsWritten(id))
                {
                    continue;
                }

                if (SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(id, ct).Symbol, local))
                {
                    return null;
                }
            }

            return declarator;
        }

        /// <summary>Whether an identifier is the target of an assignment, increment, or ref/out argument.</summary>
        public static bool IsWritten(ExpressionSyntax id)
        {
            SyntaxNode? parent = id.Parent;
            while (parent is ParenthesizedExpressionSyntax)
            {
                parent = parent.Parent;
            }

            return parent switch
            {
                AssignmentExpressionSyntax a => a.Left.Span.Contains(id.Span),
                PrefixUnaryExpressionSyntax p => p.IsKind(SyntaxKind.PreIncrementExpression) || p.IsKind(SyntaxKind.PreDecrementExpression),
                PostfixUnaryExpressionSyntax p => p.IsKind(SyntaxKind.PostIncrementExpression) || p.IsKind(SyntaxKind.PostDecrementExpression),
                ArgumentSyntax arg => !arg.RefKindKeyword.IsKind(SyntaxKind.None),
                _ => false,
            };
        }
    }
}
