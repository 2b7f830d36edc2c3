using System.Collections.Generic;
using System.Collections.Immutable;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// For a summary: which members of each parameter reach a sink (field-sensitive objects). A send of
    /// `plan.Protocol` sinks parameter plan's Protocol only; a send of a value derived from the whole
    /// parameter sinks "" (all of it).
    /// </summary>
    internal static class SinkPaths
    {
        public static ImmutableDictionary<int, ImmutableHashSet<string>> Of(FindingCollector collector)
        {
            var paths = new Dictionary<int, ImmutableHashSet<string>>();
            foreach (var finding in collector.Findings)
            {
                foreach (var origin in finding.Taint.Origins)
                {
                    if (origin.Kind != OriginKind.Parameter) continue;
                    var set = paths.TryGetValue(origin.Ordinal, out var existing) ? existing : ImmutableHashSet<string>.Empty;
                    paths[origin.Ordinal] = set.Add(origin.Path);
                }
            }

            return paths.ToImmutableDictionary();
        }
    }
}
