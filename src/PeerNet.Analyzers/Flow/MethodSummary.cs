using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>What a method of the compilation does with snapshot data, as seen from its callers.</summary>
    internal sealed class MethodSummary
    {
        public static readonly MethodSummary Opaque = new MethodSummary(
            true, Taint.Clean, ImmutableDictionary<int, Taint>.Empty, ImmutableDictionary<int, string>.Empty, ImmutableDictionary<ISymbol, Taint>.Empty);

        /// <summary>The least summary (nothing flows anywhere): where a recursive summary's fixed point starts.</summary>
        public static readonly MethodSummary Least = new MethodSummary(
            false, Taint.Clean, ImmutableDictionary<int, Taint>.Empty, ImmutableDictionary<int, string>.Empty, ImmutableDictionary<ISymbol, Taint>.Empty);

        public MethodSummary(bool isOpaque, Taint returned, ImmutableDictionary<int, Taint> outParameters, ImmutableDictionary<int, string> sinkParameters, ImmutableDictionary<ISymbol, Taint> memberWrites,
            ImmutableDictionary<int, ImmutableHashSet<string>>? sinkParameterPaths = null)
        {
            SinkParameterPaths = sinkParameterPaths ?? ImmutableDictionary<int, ImmutableHashSet<string>>.Empty;
            IsOpaque = isOpaque;
            Returned = returned;
            OutParameters = outParameters;
            SinkParameters = sinkParameters;
            MemberWrites = memberWrites;
        }

        /// <summary>Not analyzed (no body, or nothing relevant in it): callers derive
        /// its result from all its inputs.</summary>
        public bool IsOpaque { get; }

        /// <summary>The result's taint: Source origins (it is a snapshot read itself) and Parameter origins.</summary>
        public Taint Returned { get; }

        /// <summary>Out/ref parameters' taint at exit, by ordinal.</summary>
        public ImmutableDictionary<int, Taint> OutParameters { get; }

        /// <summary>Parameters passed on to a sink (it is a sink itself), by ordinal, with the send kind.</summary>
        public ImmutableDictionary<int, string> SinkParameters { get; }

        /// <summary>Per sink parameter, the members of it that reach the sink ("" = the whole argument).</summary>
        public ImmutableDictionary<int, ImmutableHashSet<string>> SinkParameterPaths { get; }

        /// <summary>Fields and properties it assigns a snapshot-derived value to.</summary>
        public ImmutableDictionary<ISymbol, Taint> MemberWrites { get; }

        public bool HasSourceOutputs => Returned.HasSource || OutParameters.Values.Any(t => t.HasSource);

        /// <summary>Whether two summaries say the same (the fixed point of a recursive summary is reached when they do).</summary>
        public static bool Same(MethodSummary a, MethodSummary b) =>
            ReferenceEquals(a, b) ||
            (a.IsOpaque == b.IsOpaque && a.Returned.Equals(b.Returned) &&
             SameEntries(a.OutParameters, b.OutParameters, (x, y) => x.Equals(y)) &&
             SameEntries(a.SinkParameters, b.SinkParameters, (x, y) => x == y) &&
             SameEntries(a.SinkParameterPaths, b.SinkParameterPaths, (x, y) => x.SetEquals(y)) &&
             SameEntries(a.MemberWrites, b.MemberWrites, (x, y) => x.Equals(y)));

        private static bool SameEntries<TKey, TValue>(ImmutableDictionary<TKey, TValue> a, ImmutableDictionary<TKey, TValue> b, System.Func<TValue, TValue, bool> same)
            where TKey : notnull
        {
            if (a.Count != b.Count) return false;
            foreach (var pair in a)
            {
                if (!b.TryGetValue(pair.Key, out var other) || !same(pair.Value, other)) return false;
            }

            return true;
        }
    }
}
