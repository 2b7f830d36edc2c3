using System.Collections.Concurrent;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// Where the engine gets the operations and control flow graphs of bodies other than the one the driver
    /// hands it (callees being summarized, assignment sites of a field or property): one semantic model per
    /// tree for the compilation (the one cache), and every graph is created through <see cref="Create"/>.
    /// </summary>
    internal sealed class BodyGraphs
    {
        private readonly Compilation _compilation;
        private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new ConcurrentDictionary<SyntaxTree, SemanticModel>();

        public BodyGraphs(Compilation compilation) => _compilation = compilation;

        /// <summary>The graph of a root operation of a kind the flow analysis API accepts, else null.</summary>
        public static ControlFlowGraph? Create(IOperation root, CancellationToken cancellationToken) => root switch
        {
            IMethodBodyOperation m => ControlFlowGraph.Create(m, cancellationToken),
            IConstructorBodyOperation c => ControlFlowGraph.Create(c, cancellationToken),
            IBlockOperation b => ControlFlowGraph.Create(b, cancellationToken),
            IFieldInitializerOperation f => ControlFlowGraph.Create(f, cancellationToken),
            IPropertyInitializerOperation p => ControlFlowGraph.Create(p, cancellationToken),
            _ => null,
        };

        public SemanticModel? GetModel(SyntaxTree tree)
        {
            if (!_compilation.ContainsSyntaxTree(tree)) return null;
#pragma warning disable RS1030 // Summaries of other methods need their bodies; models are cached per tree and compilation.
            return _models.GetOrAdd(tree, t => _compilation.GetSemanticModel(t));
#pragma warning restore RS1030
        }

        /// <summary>The root operation of <paramref name="method"/>'s body in this compilation (method, constructor or accessor body), else null.</summary>
        public IOperation? GetBodyOperation(IMethodSymbol method, CancellationToken cancellationToken)
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax(cancellationToken);
                var model = GetModel(syntax.SyntaxTree);
                if (model is null) continue;
                SyntaxNode? node = syntax switch
                {
                    BaseMethodDeclarationSyntax m when m.Body is not null || m.ExpressionBody is not null => m,
                    AccessorDeclarationSyntax a when a.Body is not null || a.ExpressionBody is not null => a,
                    ArrowExpressionClauseSyntax arrow => arrow,
                    _ => null,
                };
                if (node is null) continue;
                var operation = model.GetOperation(node, cancellationToken);
                if (operation is null) continue;
                while (operation.Parent is not null)
                {
                    operation = operation.Parent;
                }

                if (operation is IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation) return operation;
            }

            return null;
        }
    }
}
