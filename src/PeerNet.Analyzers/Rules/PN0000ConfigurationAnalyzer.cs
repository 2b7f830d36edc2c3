using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PeerNet.Analyzers
{
    /// <summary>
    /// PN0000: an entry of the peernet.extra_* configuration keys names no symbol of the compilation, or a
    /// sink parameter that does not exist. Reported once per entry, so a typo is never silently ignored.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PN0000ConfigurationAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>The diagnostic id.</summary>
        public const string DiagnosticId = "PN0000";

        internal static readonly DiagnosticDescriptor Rule = new DiagnosticDescriptor(
            DiagnosticId,
            title: "PeerNet analyzer configuration entry is not understood",
            messageFormat: "PeerNet analyzer configuration: {0}",
            category: "Reliability",
            defaultSeverity: DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "An entry of peernet.extra_sources, peernet.extra_sinks, peernet.extra_version_checks or peernet.extra_try_sends could not be resolved to a symbol of this compilation (documentation comment ID), or names a parameter the method does not have. The entry is ignored until it is fixed.",
            helpLinkUri: HelpLinks.Base + "PN0000.md",
            customTags: WellKnownDiagnosticTags.CompilationEnd);

        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationAction(compilation =>
            {
                var configured = ConfiguredSymbols.Read(compilation.Compilation, compilation.Options.AnalyzerConfigOptionsProvider);
                foreach (var error in configured.Errors)
                {
                    compilation.ReportDiagnostic(Diagnostic.Create(Rule, Location.None, error));
                }
            });
        }
    }
}
