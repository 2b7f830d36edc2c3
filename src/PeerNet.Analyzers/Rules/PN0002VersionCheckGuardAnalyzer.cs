using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PeerNet.Analyzers.Flow;

namespace PeerNet.Analyzers
{
    /// <summary>
    /// PN0002: a snapshot version check ([SnapshotVersionCheck], e.g. IsCurrent, or a comparison of
    /// SnapshotVersion values) guards a separate send of a snapshot-derived protocol: check-then-act.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PN0002VersionCheckGuardAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>The diagnostic id.</summary>
        public const string DiagnosticId = "PN0002";

        internal static readonly DiagnosticDescriptor Rule = new DiagnosticDescriptor(
            DiagnosticId,
            title: "A snapshot version check guards a separate send (check-then-act)",
            messageFormat: "Protocol '{0}' from cached snapshot read '{1}' is sent with '{2}' after version check '{3}'; the snapshot can change between the check and the send: use TrySendWithCurrentProtocol",
            category: "Reliability",
            defaultSeverity: DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "Checking that a snapshot version is still current and then sending separately is a check-then-act race: the peer can reconnect between the check and the send, and queued messages are routed to whatever connection is current when they leave. Send with NetworkClient.TrySendWithCurrentProtocol, which binds the protocol choice and the hand-over to one connection.",
            helpLinkUri: HelpLinks.Base + "PN0002.md");

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
                var check = finding.FirstCheck();
                var source = finding.Taint.FirstSource();
                if (check is null || source is null) return null;
                return Diagnostic.Create(
                    Rule,
                    finding.Send.Syntax.GetLocation(),
                    SinkAnalysisRegistration.AdditionalLocations(source, check),
                    SinkAnalysisRegistration.Properties(finding, source, check),
                    SinkAnalysisRegistration.Describe(finding.Argument, finding.Parameter.Name),
                    source.Member,
                    finding.SinkName,
                    check.Member);
            });
        }
    }
}
