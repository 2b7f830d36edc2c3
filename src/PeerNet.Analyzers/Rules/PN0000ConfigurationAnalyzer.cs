using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PeerNet.Analyzers
{
    /// <summary>
    /// PN0000: the analyzer's configuration (docs/configuration.md) has an entry that names nothing, or names
    /// something the analysis cannot act on, or a key that is retired, unknown or has a value that is not
    /// understood. Reported once per problem, so no entry is silently ignored.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PN0000ConfigurationAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>The diagnostic id.</summary>
        public const string DiagnosticId = DiagnosticIds.Configuration;

        internal static readonly DiagnosticDescriptor Rule = new DiagnosticDescriptor(
            DiagnosticId,
            title: "PeerNet analyzer configuration entry is not understood",
            messageFormat: "PeerNet analyzer configuration: {0}",
            category: "Reliability",
            defaultSeverity: DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "An entry of peernet.sources, peernet.sinks, peernet.version_checks or peernet.try_sends names no symbol of this compilation (documentation comment ID), or a symbol the analysis cannot act on (wrong kind of member, a parameter the method does not have); or a key is retired (peernet.extra_*), unknown, or has a value that is not understood. The entry or key is ignored until it is fixed.",
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
