using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

/// <summary>
/// What the benchmark hosts (AnalyzerCost/Profile, RealCode/Replay) share: loading an analyzer assembly and
/// one timed run of analyzers on a compilation, one after another, with the driver's own per-analyzer times.
/// </summary>
internal static class AnalyzerRun
{
    /// <summary>Runs <paramref name="analyzers"/> on <paramref name="compilation"/> (not concurrently, execution times logged).</summary>
    public static async Task<(ImmutableArray<Diagnostic> Diagnostics, double WallMs, string PerAnalyzer)> TimeAsync(
        Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, AnalyzerOptions options)
    {
        var withAnalyzers = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
            options, onAnalyzerException: (e, a, d) => Console.Error.WriteLine($"{a}: {e}"), concurrentAnalysis: false, logAnalyzerExecutionTime: true));
        var (allocated, pause) = (GC.GetTotalAllocatedBytes(precise: true), GC.GetTotalPauseDuration());
        var collections = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };
        var watch = Stopwatch.StartNew();
        var found = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        var wallMs = watch.Elapsed.TotalMilliseconds;
        // What the analyzers' run allocated (the driver's share included) and the collections it met: on a build's
        // heap, a collection that lands in an analyzer's callback is charged to it.
        var gc = $"allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0:F1} MB, collections " +
                 $"{GC.CollectionCount(0) - collections[0]}/{GC.CollectionCount(1) - collections[1]}/{GC.CollectionCount(2) - collections[2]} (gen 0/1/2), " +
                 $"paused {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:F0} ms";
        var parts = new List<string>();
        foreach (var analyzer in analyzers)
        {
            var info = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
            parts.Add($"{analyzer.GetType().Name} {info.ExecutionTime.TotalMilliseconds:F0} ms");
        }

        return (found, wallMs, string.Join("; ", parts) + "; " + gc);
    }

    /// <summary>An instrumented copy of the analyzer (see docs/performance.md) may expose static counters in PeerNet.Analyzers.Flow.Counters: their values, or null.</summary>
    public static string? Counters(ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        if (analyzers.IsEmpty || analyzers[0].GetType().Assembly.GetType("PeerNet.Analyzers.Flow.Counters") is not { } counters) return null;
        var fields = counters.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(long)).Select(f => $"{f.Name}={f.GetValue(null)}");
        var properties = counters.GetProperties(BindingFlags.Public | BindingFlags.Static).Select(p => $"{p.Name}={p.GetValue(null)}");
        return string.Join(", ", fields.Concat(properties));
    }
}

/// <summary>Loads analyzer assemblies into the default context (one process, one analyzer build at a time).</summary>
internal sealed class Loader : IAnalyzerAssemblyLoader
{
    public void AddDependencyLocation(string fullPath)
    {
    }

    public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
}
