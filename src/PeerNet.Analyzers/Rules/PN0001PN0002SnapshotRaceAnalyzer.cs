using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using PeerNet.Analyzers.Flow;

namespace PeerNet.Analyzers
{
    /// <summary>
    /// PN0001 and PN0002, one analysis: the flow engine finds, per body, the sends reached by a value read
    /// from a cached snapshot. A finding with no version check before the send is PN0001 (a stale protocol
    /// reaches a [RequiresCurrentProtocol] parameter); one with a version check ([SnapshotVersionCheck],
    /// e.g. IsCurrent, or a comparison of SnapshotVersion values) on the way is PN0002 (check-then-act).
    /// Each body is analyzed once, its diagnostics reported, and nothing of it kept.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PN0001PN0002SnapshotRaceAnalyzer : DiagnosticAnalyzer
    {
        internal static readonly DiagnosticDescriptor StaleProtocolRule = new DiagnosticDescriptor(
            DiagnosticIds.StaleProtocol,
            title: "Protocol from a cached snapshot is sent without binding the send to the connection",
            messageFormat: "Protocol '{0}' was chosen from cached snapshot read '{1}' and is sent with '{2}' without binding the send to the connection; use TrySendWithCurrentProtocol",
            category: "Reliability",
            defaultSeverity: DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "A protocol chosen from a cached peer snapshot is only valid for the connection it was read from. If the peer reconnects between the read and the send, the message is encoded for a protocol the new connection may not have announced, and it is dropped silently. Send with NetworkClient.TrySendWithCurrentProtocol, which chooses the protocol from, and hands the message to, one and the same current connection.",
            helpLinkUri: HelpLinks.Base + DiagnosticIds.StaleProtocol + ".md");

        internal static readonly DiagnosticDescriptor CheckThenSendRule = new DiagnosticDescriptor(
            DiagnosticIds.CheckThenSend,
            title: "A snapshot version check guards a separate send (check-then-act)",
            messageFormat: "Protocol '{0}' from cached snapshot read '{1}' is sent with '{2}' after version check '{3}'; the snapshot can change between the check and the send: use TrySendWithCurrentProtocol",
            category: "Reliability",
            defaultSeverity: DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "Checking that a snapshot version is still current and then sending separately is a check-then-act race: the peer can reconnect between the check and the send, and queued messages are routed to whatever connection is current when they leave. Send with NetworkClient.TrySendWithCurrentProtocol, which binds the protocol choice and the hand-over to one connection.",
            helpLinkUri: HelpLinks.Base + DiagnosticIds.CheckThenSend + ".md");

        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(StaleProtocolRule, CheckThenSendRule);

        /// <summary>
        /// Test hook: called after a body's diagnostics are reported, with the per-compilation state, the
        /// body's findings and the graph they were found on (null when none was built). Tests hold the
        /// state strongly and the rest weakly, to prove that nothing keeps a body once it is reported.
        /// </summary>
        internal Action<CompilationAnalysis, IReadOnlyList<SinkFinding>, ControlFlowGraph?>? BodyReported { get; set; }

        /// <summary>Test hook: the gate's backward-search budget (the answers, hence the diagnostics, must not depend on it).</summary>
        internal int BackwardBudget { get; set; } = RelevantSymbols.DefaultBackwardBudget;

        /// <summary>Test hook: how many more trees a round of the gate's name closure must read before it may stop (the answers, hence the diagnostics, must not depend on it).</summary>
        internal int ClosureStopsAt { get; set; } = RelevantSymbols.StopReadingAt;

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();

            // Generated code is analyzed only when `peernet.analyze_generated_code = true`: that is decided
            // per file, so the analyzer sees generated code and skips it itself.
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
            context.RegisterCompilationStartAction(start =>
            {
                var symbols = WellKnownSymbols.TryCreate(start.Compilation, start.Options.AnalyzerConfigOptionsProvider);
                if (symbols is null) return;
                var analysis = new CompilationAnalysis(symbols, BackwardBudget, ClosureStopsAt);
                analysis.Prepare(start.CancellationToken);

                // No source can be read here (PeerNet unreachable, nothing configured or annotated): no body
                // action at all, so the driver calls nothing of ours per body.
                if (!analysis.RelevantSymbols.CanHaveSources) return;
                var options = start.Options.AnalyzerConfigOptionsProvider;
                start.RegisterSyntaxNodeAction(node => AnalyzeBody(node, analysis, options), BodySelection.BodyKinds);
            });
        }

        private void AnalyzeBody(SyntaxNodeAnalysisContext node, CompilationAnalysis analysis, AnalyzerConfigOptionsProvider options)
        {
            if (BodySelection.RootToAnalyze(node, analysis, options) is not { } root) return;
            ControlFlowGraph? graph = null;
            var findings = analysis.AnalyzeBody(root, () => graph = BodyGraphs.Create(root, node.CancellationToken), node.CancellationToken);
            foreach (var finding in findings)
            {
                if (finding.IsInBrokenCode(node.CancellationToken)) continue;
                if (CreateDiagnostic(finding, node.SemanticModel, analysis.Symbols) is { } diagnostic) node.ReportDiagnostic(diagnostic);
            }

            BodyReported?.Invoke(analysis, findings, graph);
        }

        /// <summary>PN0002 when a version check was evaluated on some path before the send, else PN0001.</summary>
        private static Diagnostic? CreateDiagnostic(SinkFinding finding, SemanticModel model, WellKnownSymbols symbols)
        {
            var source = finding.Taint.FirstSource();
            if (source is null) return null;
            var check = finding.FirstCheck();
            var location = finding.Send.Syntax.GetLocation();
            var additional = check is null ? new[] { source.Location } : new[] { source.Location, check.Location };
            var sent = ShortText.Of(finding.Argument, finding.SlotName);
            return check is null
                ? Diagnostic.Create(StaleProtocolRule, location, additional, Properties(finding, model, symbols), sent, source.Member, finding.SinkName)
                : Diagnostic.Create(CheckThenSendRule, location, additional, Properties(finding, model, symbols), sent, source.Member, finding.SinkName, check.Member);
        }

        /// <summary>
        /// The properties every PN0001/PN0002 diagnostic carries (see <see cref="DiagnosticProperties"/>), and
        /// <see cref="DiagnosticProperties.NoFixReason"/> where no code fix is possible: a user's own sink, or no
        /// PeerNet NetworkClient in reach at the send, or a peer whose network cannot be known (computed only for a reported finding).
        /// </summary>
        private static ImmutableDictionary<string, string?> Properties(SinkFinding finding, SemanticModel model, WellKnownSymbols symbols)
        {
            var properties = ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.SendKind, finding.SendKind);
            var client = symbols.NetworkClient;
            var networkSender = symbols.NetworkSender;
            if (client is null || networkSender is null || finding.Send.Syntax.SyntaxTree != model.SyntaxTree) return properties;
            // A receiver or setter sink (the send is then a property assignment or the call's receiver) is always a user's own.
            if (finding.Send is not IInvocationOperation send || finding.Slot < 0) return properties.Add(DiagnosticProperties.NoFixReason, DiagnosticProperties.NoFixUserSink);
            var sink = send.TargetMethod;
            if (sink.Name is not ("SendTo" or "SendRpcAsync") ||
                !(SymbolEqualityComparer.Default.Equals(sink.ContainingType, networkSender) || sink.ContainingType.AllInterfaces.Contains(networkSender, SymbolEqualityComparer.Default)))
            {
                // Not INetworkSender's send (nor an implementation of it): a user's own sink.
                return properties.Add(DiagnosticProperties.NoFixReason, DiagnosticProperties.NoFixUserSink);
            }

            if (PN0001PN0002ClientInScope.At(model, finding.Send.Syntax, client, symbols.AnyUsingStatic)) return NetworkKnown() ? properties : properties.Add(DiagnosticProperties.NoFixReason, DiagnosticProperties.NoFixPeerNetworkUnknown);

            // A client the code names without a symbol in scope, e.g. `Clients[0].GetSenderForNetwork(n)`.
            foreach (var node in finding.Send.Syntax.DescendantNodesAndSelf())
            {
                if (node is Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionSyntax e && SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(e).Type, client))
                {
                    return NetworkKnown() ? properties : properties.Add(DiagnosticProperties.NoFixReason, DiagnosticProperties.NoFixPeerNetworkUnknown);
                }
            }

            return properties.Add(DiagnosticProperties.NoFixReason, DiagnosticProperties.NoFixNoClientInReach);

            // The atomic send needs the peer's PeerNetworkId: `x.PeerId` of one, or a sender from GetSenderForNetwork.
            bool NetworkKnown()
            {
                IOperation? Initial(IOperation? operation)
                {
                    while (operation is IConversionOperation conversion) operation = conversion.Operand;
                    if (operation is ILocalReferenceOperation { Local.DeclaringSyntaxReferences.Length: 1 } local &&
                        local.Local.DeclaringSyntaxReferences[0].GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer: { } initializer } &&
                        initializer.SyntaxTree == model.SyntaxTree)
                    {
                        operation = model.GetOperation(initializer.Value);
                        while (operation is IConversionOperation c) operation = c.Operand;
                    }

                    return operation;
                }

                // From syntax: in the control-flow graph the receiver and arguments may be flow captures.
                var sendSyntax = finding.Send.Syntax as Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax;
                var receiver = (sendSyntax?.Expression as Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax)?.Expression;
                if (receiver is not null && Initial(model.GetOperation(receiver)) is IInvocationOperation { TargetMethod.Name: "GetSenderForNetwork" } getSender &&
                    SymbolEqualityComparer.Default.Equals(getSender.TargetMethod.ContainingType, client)) return true;
                foreach (var argument in send.Arguments)
                {
                    if (argument.Parameter?.Ordinal == 0 && argument.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.ArgumentSyntax peerArgument &&
                        Initial(model.GetOperation(peerArgument.Expression)) is IPropertyReferenceOperation { Property.Name: "PeerId", Instance.Type: { } owner } &&
                        owner.ToDisplayString() == "PeerNet.PeerNetworkId") return true;
                }

                return false;
            }
        }
    }
}
