using System.Globalization;
using System.Text;
using BenchmarkDotNet.Reports;

namespace PeerNet.Benchmarks;

/// <summary>Checks issue 6's targets against the run's medians and prints (and saves) a verdict table.</summary>
public static class TargetReport
{
    private sealed record Row(string Type, string Method, string Param, double MedianNs, long? BytesPerOp);

    public static int Print(IEnumerable<Summary> summaries)
    {
        var rows = new List<Row>();
        foreach (var summary in summaries)
        {
            foreach (var report in summary.Reports)
            {
                if (report.ResultStatistics is null)
                {
                    continue;
                }

                var bc = report.BenchmarkCase;
                var param = string.Join(",", bc.Parameters.Items.Select(p => $"{p.Name}={p.Value}"));
                long? bytes = report.GcStats.GetBytesAllocatedPerOperation(bc);
                rows.Add(new Row(bc.Descriptor.Type.Name, bc.Descriptor.WorkloadMethod.Name, param, report.ResultStatistics.Median, bytes));
            }
        }

        if (rows.Count == 0)
        {
            Console.WriteLine("TargetReport: no results (filter matched nothing or every benchmark failed).");
            return 1;
        }

        var sb = new StringBuilder();
        sb.AppendLine("| target | measured (medians) | verdict |");
        sb.AppendLine("|---|---|---|");
        var missing = 0;
        var missed = 0;

        Row? Find(string type, string method, string param) =>
            rows.FirstOrDefault(r => r.Type == type && r.Method == method && r.Param == param);

        void Check(string target, Func<(bool Ok, string Measured)?> check)
        {
            var result = check();
            if (result is null)
            {
                missing++;
                sb.AppendLine($"| {target} | not run (filter) | - |");
                return;
            }

            if (!result.Value.Ok)
            {
                missed++;
            }

            sb.AppendLine($"| {target} | {result.Value.Measured} | {(result.Value.Ok ? "met" : "MISSED")} |");
        }

        foreach (var writer in new[] { "Idle", "Paced", "Saturating" })
        {
            var param = $"Writer={writer}";
            Check($"atomic send >= 0.9x racy throughput ({writer})", () =>
            {
                var atomic = Find(nameof(SendBenchmarks), nameof(SendBenchmarks.AtomicTrySend), param);
                var racy = Find(nameof(SendBenchmarks), nameof(SendBenchmarks.RacyReadThenSend), param);
                if (atomic is null || racy is null) return null;
                var x = racy.MedianNs / atomic.MedianNs;
                return (x >= 0.9, $"atomic {Ns(atomic.MedianNs)}, racy {Ns(racy.MedianNs)}: {x:F2}x");
            });
            Check($"atomic send >= 3x lock-based throughput ({writer}{(writer == "Idle" ? ", informative" : "")})", () =>
            {
                var atomic = Find(nameof(SendBenchmarks), nameof(SendBenchmarks.AtomicTrySend), param);
                var locked = Find(nameof(SendBenchmarks), nameof(SendBenchmarks.LockedSelectAndSend), param);
                if (atomic is null || locked is null) return null;
                var x = locked.MedianNs / atomic.MedianNs;
                return (writer == "Idle" || x >= 3, $"atomic {Ns(atomic.MedianNs)}, locked {Ns(locked.MedianNs)}: {x:F2}x");
            });
        }

        Check("diagnostic: hand-rolled atomic send without backoff vs racy / lock (Saturating, informative)", () =>
        {
            var noYield = Find(nameof(SendBenchmarks), nameof(SendBenchmarks.AtomicHandRolledNoYield), "Writer=Saturating");
            var racy = Find(nameof(SendBenchmarks), nameof(SendBenchmarks.RacyReadThenSend), "Writer=Saturating");
            var locked = Find(nameof(SendBenchmarks), nameof(SendBenchmarks.LockedSelectAndSend), "Writer=Saturating");
            if (noYield is null || racy is null || locked is null) return null;
            return (true, $"no-backoff {Ns(noYield.MedianNs)}: {racy.MedianNs / noYield.MedianNs:F2}x racy, {locked.MedianNs / noYield.MedianNs:F2}x lock");
        });

        Check("update at 10,000 peers >= 10x cheaper than clone", () =>
        {
            var ours = Find(nameof(UpdateBenchmarks), nameof(UpdateBenchmarks.PeerNetInsertConnectionMetadata), "Peers=10000");
            var clone = Find(nameof(UpdateBenchmarks), nameof(UpdateBenchmarks.AptosCloneOnUpdate), "Peers=10000");
            if (ours is null || clone is null) return null;
            var x = clone.MedianNs / ours.MedianNs;
            return (x >= 10, $"PeerNet {Ns(ours.MedianNs)}, clone {Ns(clone.MedianNs)}: {x:F1}x");
        });

        foreach (var method in new[] { nameof(ReadBenchmarks.GetSnapshot), nameof(ReadBenchmarks.GetMetadataForPeer), nameof(ReadBenchmarks.SnapshotTryGetAndContains), })
        {
            Check($"0 B allocated per read: {method} (Idle)", () =>
            {
                var r = Find(nameof(ReadBenchmarks), method, "Writer=Idle");
                if (r is null || r.BytesPerOp is null) return null;
                return (r.BytesPerOp == 0, $"{r.BytesPerOp} B/op, {Ns(r.MedianNs)}");
            });
        }

        foreach (var method in new[] { nameof(SendBenchmarks.AtomicTrySend), nameof(SendBenchmarks.RacyReadThenSend) })
        {
            Check($"0 B allocated per send: {method} (Idle, informative)", () =>
            {
                var r = Find(nameof(SendBenchmarks), method, "Writer=Idle");
                if (r is null || r.BytesPerOp is null) return null;
                return (true, $"{r.BytesPerOp} B/op");
            });
        }

        sb.AppendLine();
        sb.AppendLine("All medians:");
        sb.AppendLine();
        sb.AppendLine("| benchmark | params | median | allocated/op |");
        sb.AppendLine("|---|---|---:|---:|");
        foreach (var r in rows)
        {
            sb.AppendLine($"| {r.Type}.{r.Method} | {r.Param} | {Ns(r.MedianNs)} | {(r.BytesPerOp is null ? "?" : r.BytesPerOp + " B")} |");
        }

        Console.WriteLine();
        Console.WriteLine("// ***** PeerNet performance targets (issue 6) *****");
        Console.WriteLine(sb.ToString());
        var path = Path.Combine("BenchmarkDotNet.Artifacts", "results", "targets.md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, sb.ToString());
        Console.WriteLine($"// written to {Path.GetFullPath(path)}; {missed} target(s) missed, {missing} not run");
        return missed == 0 ? 0 : 2;
    }

    private static string Ns(double ns) => ns switch
    {
        >= 1_000_000 => (ns / 1_000_000).ToString("F2", CultureInfo.InvariantCulture) + " ms",
        >= 1_000 => (ns / 1_000).ToString("F2", CultureInfo.InvariantCulture) + " us",
        _ => ns.ToString("F1", CultureInfo.InvariantCulture) + " ns",
    };
}
