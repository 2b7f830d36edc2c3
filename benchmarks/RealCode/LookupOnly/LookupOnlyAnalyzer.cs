using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LookupOnly
{
    /// <summary>
    /// A do-nothing analyzer for orleans.sh's "lookup" configuration: it does only what any analyzer of configured
    /// members must, resolve the configured documentation IDs (peernet.sources, peernet.sinks) at compilation
    /// start, then registers one method-body action that returns at once. In a build, what it is charged is
    /// the compiler's declaration work that the first lookup of a source member triggers (and waits for).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class LookupOnlyAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new DiagnosticDescriptor(
            "LK0001", "Lookup only", "Lookup only", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true); // never reported; a warning so that no build skips it

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start =>
            {
                var found = 0;
                foreach (var key in new[] { "peernet.sources", "peernet.sinks" })
                {
                    if (!start.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(key, out var value)) continue;
                    foreach (var entry in value.Split(new[] { ',', ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries))
                    {
                        found += DocumentationCommentId.GetSymbolsForDeclarationId(entry.Split('|')[0], start.Compilation).Length;
                    }
                }

                if (found > 0) start.RegisterSyntaxNodeAction(_ => { }, SyntaxKind.MethodDeclaration);
            });
        }
    }
}
