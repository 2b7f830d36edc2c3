using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PeerNet.Analyzers.Flow;

namespace PeerNet.Analyzers
{
    /// <summary>
    /// PN0001: a protocol (or the metadata it is chosen from) read from a cached snapshot reaches a
    /// [RequiresCurrentProtocol] parameter with no version check bound to the send.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PN0001StaleProtocolAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>The diagnostic id.</summary>
        public const string DiagnosticId = "PN0001";

        internal static readonly DiagnosticDescriptor Rule = new DiagnosticDescriptor(
            DiagnosticId,
            title: "Protocol from a cached snapshot is sent without binding the send to the connection",
            messageFormat: "Protocol '{0}' was chosen from cached snapshot read '{1}' and is sent with '{2}' without binding the send to the connection; use TrySendWithCurrentProtocol",
            category: "Reliability",
            defaultSeverity: DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "A protocol chosen from a cached peer snapshot is only valid for the connection it was read from. If the peer reconnects between the read and the send, the message is encoded for a protocol the new connection may not have announced, and it is dropped silently. Send with NetworkClient.TrySendWithCurrentProtocol, which chooses the protocol from, and hands the message to, one and the same current connection.",
            helpLinkUri: HelpLinks.Base + "PN0001.md");

        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();

            // Generated code is analyzed only when `peernet.analyze_generated_code = true`: that is decided
            // per file, so the analyzer sees generated code and skips it itself.
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
            SinkAnalysisRegistration.Register(context, (symbols, finding) =>
            {
                if (!finding.Checks.IsEmpty) return null; // PN0002 reports it.
                var source = finding.Taint.FirstSource();
                if (source is null) return null;
                return Diagnostic.Create(
                    Rule,
                    finding.Send.Syntax.GetLocation(),
                    SinkAnalysisRegistration.AdditionalLocations(source, null),
                    SinkAnalysisRegistration.Properties(finding, source, null),
                    SinkAnalysisRegistration.Describe(finding.Argument, finding.Parameter.Name),
                    source.Member,
                    finding.SinkName);
            });
        }
    }
}
