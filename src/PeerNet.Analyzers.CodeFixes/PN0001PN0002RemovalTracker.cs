using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>
    /// Collects the local declarations a rewrite may leave dead: locals the replaced code referenced (the protocol
    /// local, the version local of a removed guard) and, transitively, the locals their initializers read. Only
    /// declarations whose initializer has no effect worth keeping qualify (snapshot reads, version checks,
    /// property reads, Contains); whether they are really unused is decided after the rewrite.
    /// </summary>
    internal sealed class PN0001PN0002RemovalTracker
    {
        private readonly SemanticModel _model;
        private readonly SyntaxNode _scope;
        private readonly FixSymbols _symbols;
        private readonly CancellationToken _ct;
        private readonly Dictionary<ILocalSymbol, LocalDeclarationStatementSyntax> _candidates =
            new Dictionary<ILocalSymbol, LocalDeclarationStatementSyntax>(SymbolEqualityComparer.Default);
        private readonly HashSet<ILocalSymbol> _seen = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);

        public PN0001PN0002RemovalTracker(SemanticModel model, SyntaxNode scope, FixSymbols symbols, CancellationToken ct)
        {
            _model = model;
            _scope = scope;
            _symbols = symbols;
            _ct = ct;
        }

        /// <summary>Code the rewrite replaces or removes: the locals it reads may become dead.</summary>
        public void Region(SyntaxNode node)
        {
            foreach (IdentifierNameSyntax id in node.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
            {
                if (_model.GetSymbolInfo(id, _ct).Symbol is ILocalSymbol local)
                {
                    Candidate(local);
                }
            }
        }

        public void Candidate(ILocalSymbol local)
        {
            if (!_seen.Add(local))
            {
                return;
            }

            VariableDeclaratorSyntax? declarator = SyntaxQueries.SingleAssignmentDeclarator(local, _scope.SyntaxTree.GetRoot(_ct), _model, _ct);
            if (declarator?.Parent is not VariableDeclarationSyntax { Variables.Count: 1 } declaration ||
                declaration.Parent is not LocalDeclarationStatementSyntax statement ||
                !statement.UsingKeyword.IsKind(SyntaxKind.None) ||
                statement.Parent is not (BlockSyntax or GlobalStatementSyntax) ||
                !IsPure(declarator.Initializer!.Value))
            {
                return;
            }

            _candidates[local] = statement;
            Region(declarator.Initializer.Value);
        }

        public List<(string Name, LocalDeclarationStatementSyntax Declaration)> Candidates() =>
            _candidates.Select(kv => (kv.Key.Name, kv.Value)).ToList();

        private bool IsPure(ExpressionSyntax initializer)
        {
            foreach (SyntaxNode node in initializer.DescendantNodesAndSelf())
            {
                switch (node)
                {
                    case AssignmentExpressionSyntax:
                    case AwaitExpressionSyntax:
                    case ThrowExpressionSyntax:
                    case DeclarationExpressionSyntax:
                    case AnonymousFunctionExpressionSyntax:
                    case PostfixUnaryExpressionSyntax p when !p.IsKind(SyntaxKind.SuppressNullableWarningExpression):
                    case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.PreIncrementExpression) || u.IsKind(SyntaxKind.PreDecrementExpression):
                        return false;
                    case ObjectCreationExpressionSyntax creation:
                        if (!FixSymbols.Is(_model.GetTypeInfo(creation, _ct).Type, _symbols.PeerNetworkId))
                        {
                            return false;
                        }

                        break;
                    case InvocationExpressionSyntax invocation:
                        {
                            ISymbol? method = _model.GetSymbolInfo(invocation, _ct).Symbol;
                            bool pure = _symbols.IsSnapshotRead(method) ||
                                _symbols.IsVersionCheck(method) ||
                                FixSymbols.IsMember(method, _symbols.ProtocolIdSet, "Contains") ||
                                FixSymbols.IsMember(method, _symbols.NetworkClient, "GetSenderForNetwork");
                            if (!pure)
                            {
                                return false;
                            }

                            break;
                        }
                }
            }

            return true;
        }
    }
}
