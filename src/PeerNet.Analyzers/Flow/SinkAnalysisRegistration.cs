using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// The registration PN0001 and PN0002 share: resolve the symbols once per compilation (nothing is
    /// registered when the compilation cannot contain a finding), then run the flow engine on every body
    /// that can contain a possible source and hand the findings to the rule.
    /// </summary>
    /// <remarks>
    /// Bodies are found as syntax nodes, not as operation blocks: an operation-block action makes the
    /// driver bind every method body of the compilation, a second time after the compiler's own binding,
    /// only for the analyzer to find nothing in nearly all of them. Here a body that mentions no
    /// <see cref="RelevantNames">relevant name</see> is never bound; one that does is bound through the
    /// driver's semantic model (<see cref="SemanticModel.GetOperation"/>) and analyzed on its
    /// <see cref="ControlFlowGraph"/>. The per-compilation state (relevant names, method summaries) is
    /// shared by the two rules through <see cref="CompilationAnalysis.For"/>.
    /// </remarks>
    internal static class SinkAnalysisRegistration
    {
        /// <summary>The declarations whose operation is a root the flow analysis API accepts.</summary>
        private static readonly SyntaxKind[] BodyKinds =
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

        /// <summary>The rules that report from one body's findings: PN0001 and PN0002.</summary>
        private const int ReadersPerBody = 2;

        public static void Register(AnalysisContext context, Func<WellKnownSymbols, SinkFinding, Diagnostic?> describe)
        {
            context.RegisterCompilationStartAction(start =>
            {
                var symbols = WellKnownSymbols.TryCreate(start.Compilation, start.Options.AnalyzerConfigOptionsProvider);
                if (symbols is null) return;
                var analysis = CompilationAnalysis.For(symbols, start.Options.AnalyzerConfigOptionsProvider);
                analysis.Prepare(start.CancellationToken);
                var optionsProvider = start.Options.AnalyzerConfigOptionsProvider;
                start.RegisterSyntaxNodeAction(
                    node =>
                    {
                        if (!IsBodyRoot(node.Node)) return;
                        if (!analysis.MayContainSource(node.Node, node.CancellationToken)) return;
                        var tree = node.Node.SyntaxTree;
                        if (ConfiguredSymbols.ShouldSkipGenerated(tree, optionsProvider, node.CancellationToken) ||
                            (node.ContainingSymbol is { } owner && symbols.IsInGeneratedType(owner) && !AnalyzesGenerated(optionsProvider, tree)))
                        {
                            return;
                        }

                        if (node.SemanticModel.GetOperation(node.Node, node.CancellationToken) is not { } operation) return;
                        var root = operation;
                        while (root.Parent is not null)
                        {
                            root = root.Parent;
                        }

                        if (root.Syntax != node.Node) return; // part of a larger root, analyzed from there
                        var findings = analysis.AnalyzeBodyShared(root, () => CompilationAnalysis.CreateGraph(root, node.CancellationToken), ReadersPerBody, node.CancellationToken);
                        foreach (var finding in findings)
                        {
                            if (IsBroken(finding, node.CancellationToken)) continue;
                            if (describe(symbols, finding) is { } diagnostic) node.ReportDiagnostic(diagnostic);
                        }
                    },
                    BodyKinds);
            });
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

        /// <summary>
        /// Half-typed code: a finding whose send, sink argument, snapshot read or version check has syntax
        /// errors or is invalid is not reported (it is what the user is typing, not a race yet).
        /// </summary>
        private static bool IsBroken(SinkFinding finding, System.Threading.CancellationToken cancellationToken)
        {
            if (finding.Send.Syntax.ContainsDiagnostics) return true;
            if (finding.Argument is { } argument)
            {
                if (argument.Syntax.ContainsDiagnostics) return true;
                foreach (var op in argument.DescendantsAndSelf())
                {
                    if (op is IInvalidOperation) return true;
                }
            }

            foreach (var origin in finding.Taint.Origins)
            {
                if (IsBrokenAt(origin.Location, cancellationToken)) return true;
            }

            foreach (var check in finding.Checks)
            {
                if (IsBrokenAt(check.Location, cancellationToken)) return true;
            }

            return false;
        }

        private static bool IsBrokenAt(Location location, System.Threading.CancellationToken cancellationToken)
        {
            if (location.SourceTree is not { } tree) return false;
            var node = tree.GetRoot(cancellationToken).FindNode(location.SourceSpan, getInnermostNodeForTie: true);
            return node.ContainsDiagnostics;
        }

        private static bool AnalyzesGenerated(AnalyzerConfigOptionsProvider provider, SyntaxTree tree) =>
            (provider.GetOptions(tree).TryGetValue(AnalyzerOptionKeys.AnalyzeGeneratedCode, out var v) ||
             provider.GlobalOptions.TryGetValue(AnalyzerOptionKeys.AnalyzeGeneratedCode, out v)) &&
            string.Equals(v.Trim(), "true", StringComparison.OrdinalIgnoreCase);

        /// <summary>Short source text of an operation for messages.</summary>
        public static string Describe(IOperation? operation, string fallback)
        {
            if (operation is null) return fallback;
            var text = System.Text.RegularExpressions.Regex.Replace(operation.Syntax.ToString(), @"\s+", " ");
            return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
        }

        /// <summary>The properties every PN0001/PN0002 diagnostic carries (see <see cref="DiagnosticProperties"/>).</summary>
        public static ImmutableDictionary<string, string?> Properties(SinkFinding finding, Origin source, Origin? check)
        {
            var builder = ImmutableDictionary.CreateBuilder<string, string?>();
            builder[DiagnosticProperties.SendKind] = finding.SendKind;
            return builder.ToImmutable();
        }

        public static IEnumerable<Location> AdditionalLocations(Origin source, Origin? check)
        {
            yield return source.Location;
            if (check is not null) yield return check.Location;
        }
    }
}
