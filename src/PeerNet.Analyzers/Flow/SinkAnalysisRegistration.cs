using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// The registration PN0001 and PN0002 share: resolve the symbols once per compilation (nothing is
    /// registered when the compilation cannot contain a finding), then run the flow engine on every body
    /// that contains a possible source and hand the findings to the rule.
    /// </summary>
    internal static class SinkAnalysisRegistration
    {
        public static void Register(AnalysisContext context, Action<OperationBlockAnalysisContext, WellKnownSymbols, SinkFinding> report)
        {
            context.RegisterCompilationStartAction(start =>
            {
                var symbols = WellKnownSymbols.TryCreate(start.Compilation, start.Options.AnalyzerConfigOptionsProvider);
                if (symbols is null) return;
                var analysis = new CompilationAnalysis(symbols);
                var optionsProvider = start.Options.AnalyzerConfigOptionsProvider;
                start.RegisterOperationBlockAction(block =>
                {
                    if (block.OperationBlocks.IsEmpty) return;
                    var tree = block.OperationBlocks[0].Syntax.SyntaxTree;
                    if (ConfiguredSymbols.ShouldSkipGenerated(tree, optionsProvider, block.CancellationToken) ||
                        (symbols.IsInGeneratedType(block.OwningSymbol) && !AnalyzesGenerated(optionsProvider, tree)))
                    {
                        return;
                    }

                    var seen = new HashSet<IOperation>();
                    foreach (var operationBlock in block.OperationBlocks)
                    {
                        // The driver hands out body blocks whose parent is the method body; the graph
                        // belongs to the root.
                        var root = operationBlock;
                        while (root.Parent is not null)
                        {
                            root = root.Parent;
                        }

                        if (!seen.Add(root)) continue;
                        if (root is not (IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation or IFieldInitializerOperation or IPropertyInitializerOperation))
                            continue;
                        var captured = operationBlock;
                        var findings = analysis.AnalyzeBody(root, () => block.GetControlFlowGraph(captured), block.CancellationToken);
                        foreach (var finding in findings)
                        {
                            if (IsBroken(finding, block.CancellationToken)) continue;
                            report(block, symbols, finding);
                        }
                    }
                });
            });
        }

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
            builder[DiagnosticProperties.SinkParameter] = finding.Parameter.Name;
            builder[DiagnosticProperties.SourceMember] = source.Member;
            builder[DiagnosticProperties.IsPeerNetSend] = finding.IsPeerNetSend ? "True" : "False";
            builder[DiagnosticProperties.SinkMethod] = finding.SinkName;
            if (check is not null) builder[DiagnosticProperties.VersionCheck] = check.Member;
            return builder.ToImmutable();
        }

        public static IEnumerable<Location> AdditionalLocations(Origin source, Origin? check)
        {
            yield return source.Location;
            if (check is not null) yield return check.Location;
        }
    }
}
