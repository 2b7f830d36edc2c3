using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// A value derived from a cached snapshot (or, in a summary, a parameter) that reaches a sink: a
    /// parameter of a call, the object a method is called on, or the value assigned to a property.
    /// </summary>
    internal sealed class SinkFinding
    {
        /// <summary>The <see cref="Slot"/> of a call's receiver.</summary>
        public const int ReceiverSlot = -1;

        /// <summary>The <see cref="Slot"/> of the value assigned to a property.</summary>
        public const int ValueSlot = -2;

        public SinkFinding(IOperation send, int slot, string slotName, IOperation? argument, string sinkName, string sendKind, bool isPeerNetSend)
        {
            Send = send;
            Slot = slot;
            SlotName = slotName;
            Argument = argument;
            SinkName = sinkName;
            SendKind = sendKind;
            IsPeerNetSend = isPeerNetSend;
        }

        /// <summary>The call, or the assignment of a sink property.</summary>
        public IOperation Send { get; }

        /// <summary>The parameter ordinal, or <see cref="ReceiverSlot"/> / <see cref="ValueSlot"/>.</summary>
        public int Slot { get; }

        /// <summary>The parameter's name, "this" or "value".</summary>
        public string SlotName { get; }

        public IOperation? Argument { get; }

        public string SinkName { get; }

        public string SendKind { get; }

        public bool IsPeerNetSend { get; }

        public Taint Taint { get; set; }

        /// <summary>Version checks evaluated on some path before the send.</summary>
        public ImmutableHashSet<Origin> Checks { get; set; } = ImmutableHashSet<Origin>.Empty;

        public Origin? FirstCheck() =>
            Checks.Count == 0 ? null : Checks.OrderBy(c => c, Comparer<Origin>.Create(Origin.Compare)).First();

        /// <summary>
        /// Half-typed code: a finding whose send, sink argument, snapshot read or version check has syntax
        /// errors or is invalid is not reported (it is what the user is typing, not a race yet).
        /// </summary>
        public bool IsInBrokenCode(CancellationToken cancellationToken)
        {
            if (Send.Syntax.ContainsDiagnostics) return true;
            if (Argument is { } argument)
            {
                if (argument.Syntax.ContainsDiagnostics) return true;
                foreach (var op in argument.DescendantsAndSelf())
                {
                    if (op is IInvalidOperation) return true;
                }
            }

            foreach (var origin in Taint.Origins)
            {
                if (IsBrokenAt(origin.Location, cancellationToken)) return true;
            }

            foreach (var check in Checks)
            {
                if (IsBrokenAt(check.Location, cancellationToken)) return true;
            }

            return false;
        }

        private static bool IsBrokenAt(Location location, CancellationToken cancellationToken)
        {
            if (location.SourceTree is not { } tree) return false;
            var node = tree.GetRoot(cancellationToken).FindNode(location.SourceSpan, getInnermostNodeForTie: true);
            return node.ContainsDiagnostics;
        }
    }

    /// <summary>Collects sink findings of one analysis (a body and the lambdas/local functions in it).</summary>
    internal sealed class FindingCollector
    {
        private readonly Dictionary<(SyntaxNode, int), SinkFinding> _findings = new Dictionary<(SyntaxNode, int), SinkFinding>();

        public void Add(IInvocationOperation send, IParameterSymbol parameter, IOperation? argument, Taint taint, ImmutableHashSet<Origin> checks, string sinkName, string sendKind, bool isPeerNetSend) =>
            Add(send, parameter.Ordinal, parameter.Name, argument, taint, checks, sinkName, sendKind, isPeerNetSend);

        public void Add(IOperation send, int slot, string slotName, IOperation? argument, Taint taint, ImmutableHashSet<Origin> checks, string sinkName, string sendKind, bool isPeerNetSend)
        {
            var key = (send.Syntax, slot);
            if (!_findings.TryGetValue(key, out var finding))
            {
                finding = new SinkFinding(send, slot, slotName, argument, sinkName, sendKind, isPeerNetSend);
                _findings.Add(key, finding);
            }

            finding.Taint = finding.Taint.Union(taint);
            finding.Checks = finding.Checks.Union(checks);
        }

        public IEnumerable<SinkFinding> Findings =>
            _findings.Values
                .OrderBy(f => f.Send.Syntax.SpanStart)
                .ThenBy(f => f.Slot);
    }
}
