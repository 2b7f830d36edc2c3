using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// Which bodies the flow engine analyzes: found as syntax nodes, not as operation blocks, and bound
    /// only when they can matter.
    /// </summary>
    /// <remarks>
    /// An operation-block action makes the driver bind every method body of the compilation, a second time
    /// after the compiler's own binding, only for the analyzer to find nothing in nearly all of them. Here a
    /// body that references no <see cref="RelevantSymbols">relevant symbol</see> is never bound; one that does is
    /// bound through the driver's semantic model (<see cref="SemanticModel.GetOperation"/>) and analyzed on
    /// its <see cref="ControlFlowGraph"/>.
    /// </remarks>
    internal static class BodySelection
    {
        /// <summary>The declarations whose operation is a root the flow analysis API accepts.</summary>
        public static readonly SyntaxKind[] BodyKinds =
        {
            SyntaxKind.MethodDeclaration,
            SyntaxKind.ConstructorDeclaration,
            SyntaxKind.DestructorDeclaration,
            SyntaxKind.OperatorDeclaration,
            SyntaxKind.ConversionOperatorDeclaration,
            SyntaxKind.GetAccessorDeclaration,
            SyntaxKind.SetAccessorDeclaration,
            SyntaxKind.InitAccessorDeclaration,
            SyntaxKind.AddAccessorDeclaration,
            SyntaxKind.RemoveAccessorDeclaration,
            SyntaxKind.ArrowExpressionClause,
            SyntaxKind.EqualsValueClause,
            SyntaxKind.CompilationUnit,
        };

        /// <summary>
        /// The root operation of the body at <paramref name="node"/> when it is to be analyzed: a body on its
        /// own that can contain a source, not in skipped generated code. Null otherwise (nothing is bound
        /// for a body that references no relevant symbol).
        /// </summary>
        public static IOperation? RootToAnalyze(SyntaxNodeAnalysisContext node, CompilationAnalysis analysis, AnalyzerConfigOptionsProvider options)
        {
            if (!IsBodyRoot(node.Node)) return null;
            if (!analysis.Gate.MayContainSource(node.Node, node.CancellationToken)) return null;
            var tree = node.Node.SyntaxTree;
            if (ConfiguredSymbols.ShouldSkipGenerated(tree, options, node.CancellationToken) ||
                (node.ContainingSymbol is { } owner && analysis.Symbols.IsInGeneratedType(owner) && !GeneratedCodeOption.IsEnabled(options, tree)))
            {
                return null;
            }

            if (node.SemanticModel.GetOperation(node.Node, node.CancellationToken) is not { } operation) return null;
            var root = operation;
            while (root.Parent is not null)
            {
                root = root.Parent;
            }

            return root.Syntax == node.Node ? root : null; // else part of a larger root, analyzed from there
        }

        /// <summary>
        /// Whether <paramref name="node"/> is a body on its own: a member with a body, an accessor, an
        /// expression-bodied property or indexer, a field or property initializer, or top-level statements.
        /// (Lambdas and local functions belong to the body around them; an expression body of a method
        /// belongs to the method.)
        /// </summary>
        private static bool IsBodyRoot(SyntaxNode node) => node switch
        {
            BaseMethodDeclarationSyntax m => m.Body is not null || m.ExpressionBody is not null,
            AccessorDeclarationSyntax a => a.Body is not null || a.ExpressionBody is not null,
            ArrowExpressionClauseSyntax arrow => arrow.Parent is PropertyDeclarationSyntax or IndexerDeclarationSyntax,
            EqualsValueClauseSyntax equals => equals.Parent is PropertyDeclarationSyntax ||
                                             equals.Parent is VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax },
            CompilationUnitSyntax unit => unit.Members.Any(m => m is GlobalStatementSyntax),
            _ => false,
        };
    }
}
