using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>A value derived from a cached snapshot (or, in a summary, a parameter) that reaches a sink.</summary>
    internal sealed class SinkFinding
    {
        public SinkFinding(IInvocationOperation send, IParameterSymbol parameter, IOperation? argument, string sinkName, string sendKind, bool isPeerNetSend)
        {
            Send = send;
            Parameter = parameter;
            Argument = argument;
            SinkName = sinkName;
            SendKind = sendKind;
            IsPeerNetSend = isPeerNetSend;
        }

        public IInvocationOperation Send { get; }

        public IParameterSymbol Parameter { get; }

        public IOperation? Argument { get; }

        public string SinkName { get; }

        public string SendKind { get; }

        public bool IsPeerNetSend { get; }

        public Taint Taint { get; set; }

        /// <summary>Version checks evaluated on some path before the send.</summary>
        public ImmutableHashSet<Origin> Checks { get; set; } = ImmutableHashSet<Origin>.Empty;

        public Origin? FirstCheck() =>
            Checks.Count == 0 ? null : Checks.OrderBy(c => c, Comparer<Origin>.Create(Origin.Compare)).First();
    }

    /// <summary>Collects sink findings of one analysis (a body and the lambdas/local functions in it).</summary>
    internal sealed class FindingCollector
    {
        private readonly Dictionary<(SyntaxNode, int), SinkFinding> _findings = new Dictionary<(SyntaxNode, int), SinkFinding>();

        public void Add(IInvocationOperation send, IParameterSymbol parameter, IOperation? argument, Taint taint, ImmutableHashSet<Origin> checks, string sinkName, string sendKind, bool isPeerNetSend)
        {
            var key = (send.Syntax, parameter.Ordinal);
            if (!_findings.TryGetValue(key, out var finding))
            {
                finding = new SinkFinding(send, parameter, argument, sinkName, sendKind, isPeerNetSend);
                _findings.Add(key, finding);
            }

            finding.Taint = finding.Taint.Union(taint);
            finding.Checks = finding.Checks.Union(checks);
        }

        public IEnumerable<SinkFinding> Findings =>
            _findings.Values
                .OrderBy(f => f.Send.Syntax.SpanStart)
                .ThenBy(f => f.Parameter.Ordinal);
    }
}
