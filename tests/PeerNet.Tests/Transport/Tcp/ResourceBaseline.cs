using System.Diagnostics;
using PeerNet.Transport.Tcp;

namespace PeerNet.Tests.Transport.Tcp;

/// <summary>
/// What a node under attack holds, taken before an attack and compared after it ended: an attack must leave no
/// connection, descriptor, thread or memory behind. <see cref="CaptureAsync"/> before the attack; <see cref="ReturnedAsync"/>
/// after it ended (attackers disposed) waits, bounded, until every figure is back within its tolerance of the baseline and
/// otherwise fails naming each one that is not.
/// </summary>
/// <remarks>
/// The node's own figures are exact (tolerance 0): live connections, inbound slots, handshakes in progress, pooled
/// buffer bytes held by its connections. Process-wide figures have the tolerances below: open sockets exactly
/// (/proc/self/fd; this test process holds both ends of every loopback connection, and they are read before any forced
/// collection; but an undisposed socket that nothing references is closed by its finalizer at the next ordinary
/// collection and escapes this check: only a socket still referenced counts), pipes and events, busy thread-pool workers and
/// threads outside the pool, pinned objects and managed heap bytes after full collections. Each attack ends with a good
/// peer's connection (two connections in this process), so a socket, slot, buffer, pinned object or thread leaked per
/// connection exceeds them.
/// The tests using it run in <see cref="SerialCollection"/>, alone in the process, so the process-wide figures move only
/// with their own activity.
/// </remarks>
internal sealed class ResourceBaseline
{
    /// <summary>Socket descriptors beyond the baseline: none (every socket of the attack, on either end, is closed).</summary>
    public const int SocketTolerance = 0;

    /// <summary>Pipe and event descriptors (anon_inode, pipe) beyond the baseline. Regular files are not counted: the
    /// runtime maps assemblies and symbol files lazily (an exception's stack trace loads a .pdb) and keeps them.</summary>
    public const int PipeAndEventTolerance = 2;

    /// <summary>Busy pool workers beyond the baseline: the test's own continuations, timer callbacks and workers still
    /// spinning for work (seen up to +2 on a quiet run; measured with every tolerance at 0).</summary>
    public const int BusyPoolThreadTolerance = 3;

    /// <summary>Threads outside the pool beyond the baseline (the runtime's tiered-compilation or socket-engine worker; seen +1).</summary>
    public const int OtherThreadTolerance = 1;

    /// <summary>Pinned objects beyond the baseline (never above it on a quiet run; one for an operation in flight).</summary>
    public const long PinnedObjectTolerance = 1;

    /// <summary>
    /// Managed heap bytes beyond the baseline after full collections. Not a leak: the shared array pool keeps the buffers
    /// connections returned to it (a 1 MiB frame grows its buffer through 8 KiB ... 2 MiB, about 4 MiB in all), and the
    /// runtime and xunit allocate a little of their own. The node's own buffers are counted exactly above; this catches
    /// what grows with the attack (the issue's RPC flood kept 16.5 KiB per request: 330 MiB for 20,000).
    /// </summary>
    public const long ManagedBytesTolerance = 8L * 1024 * 1024;

    private readonly Func<bool, Figures> _read;
    private HashSet<string>? _descriptorTargets; // this process's descriptors at the baseline, to name the new ones
    private readonly Figures _baseline;

    private ResourceBaseline(Func<bool, Figures> read, Figures baseline)
    {
        _read = read;
        _baseline = baseline;
    }

    /// <summary>The baseline of <paramref name="nodes"/> (and of this process) now.</summary>
    public static Task<ResourceBaseline> CaptureAsync(params TcpNode[] nodes) => CaptureAsync(collect => Figures.Read(nodes, collect), local: true);

    /// <summary>The baseline of figures read by <paramref name="read"/> (e.g. from a node in a child process, <see cref="Figures.Parse"/>).</summary>
    public static async Task<ResourceBaseline> CaptureAsync(Func<bool, Figures> read, bool local = false)
    {
        // Let the previous test's closes settle, then take the lowest of a few readings of the noisy figures: a baseline
        // taken in a spike would hide a leak.
        await Task.Delay(100);
        var best = read(true);
        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(50);
            best = best.Min(read(true));
        }

        return new ResourceBaseline(read, best) { _descriptorTargets = local ? DescriptorTargets() : null };
    }

    public override string ToString() => _baseline.Format();

    /// <summary>Waits (at most <paramref name="timeout"/>, 15 s by default) until every figure is back within its tolerance; fails naming those that are not.</summary>
    public async Task ReturnedAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        var sw = Stopwatch.StartNew();
        while (true)
        {
            // Without forced collections until everything else is back (a forced collection would close an undisposed,
            // unreferenced socket through its finalizer; ordinary collections still may); then with them.
            var problems = _baseline.Exceeded(_read(false));
            if (problems.Count == 0)
            {
                problems = _baseline.Exceeded(_read(true));
            }

            if (problems.Count == 0)
            {
                return;
            }

            if (sw.Elapsed > limit)
            {
                var extra = _descriptorTargets is null ? string.Empty : DescriptorTargets().Except(_descriptorTargets).Select(DescribeDescriptor).ToList() switch
                {
                    { Count: 0 } => string.Empty,
                    var added => $" Descriptors opened since the baseline: {string.Join(", ", added)}.",
                };
                Assert.Fail($"After the attack, not back to the baseline within {limit}: {string.Join("; ", problems)}.{extra}");
            }

            await Task.Delay(100);
        }
    }

    // "fd -> target" for every open descriptor (empty where /proc is not there).
    private static HashSet<string> DescriptorTargets()
    {
        var set = new HashSet<string>();
        try
        {
            foreach (var entry in Directory.GetFileSystemEntries("/proc/self/fd"))
            {
                try
                {
                    set.Add($"{Path.GetFileName(entry)} -> {new FileInfo(entry).LinkTarget}");
                }
                catch (IOException)
                {
                    // closed meanwhile
                }
            }
        }
        catch (IOException)
        {
        }

        return set;
    }

    // A socket's local and remote ports and TCP state, from /proc/net/tcp, so a failure says whose socket stayed open.
    private static string DescribeDescriptor(string descriptor)
    {
        var start = descriptor.IndexOf("socket:[", StringComparison.Ordinal);
        if (start < 0)
        {
            return descriptor;
        }

        var inode = descriptor[(start + 8)..^1];
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            try
            {
                foreach (var line in File.ReadLines(file).Skip(1))
                {
                    var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (f.Length > 9 && f[9] == inode)
                    {
                        int Port(string address) => Convert.ToInt32(address.Split(':')[1], 16);
                        return $"{descriptor} (tcp local port {Port(f[1])}, remote port {Port(f[2])}, state {f[3]})";
                    }
                }
            }
            catch (IOException)
            {
            }
        }

        return descriptor;
    }

    /// <summary>One reading: per node (in the order given), then of the process.</summary>
    internal sealed record Figures(
        int[] LiveConnections,
        long[] InboundSlots,
        int[] Handshakes,
        long[] BufferBytes,
        int Sockets,
        int PipesAndEvents,
        int BusyPoolThreads,
        int OtherThreads,
        long PinnedObjects,
        long ManagedBytes)
    {
        // collect: also the figures that need full collections (pinned objects, managed bytes; -1 otherwise, not checked).
        // Descriptors are read first, before this reading forces a collection.
        public static Figures Read(TcpNode[] nodes, bool collect = true)
        {
            var targets = DescriptorTargets();
            ThreadPool.GetMaxThreads(out var maxWorkers, out _);
            ThreadPool.GetAvailableThreads(out var availableWorkers, out _);
            var poolThreads = ThreadPool.ThreadCount;
            using var process = Process.GetCurrentProcess();
            var otherThreads = Math.Max(0, process.Threads.Count - poolThreads);
            long managed = -1, pinned = -1;
            if (collect)
            {
                managed = GC.GetTotalMemory(forceFullCollection: true);
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
                pinned = GC.GetGCMemoryInfo(GCKind.FullBlocking).PinnedObjectsCount;
            }

            var sockets = targets.Count(t => t.Contains("-> socket:", StringComparison.Ordinal));
            var pipesAndEvents = targets.Count(t => t.Contains("-> pipe:", StringComparison.Ordinal) || t.Contains("-> anon_inode:", StringComparison.Ordinal));
            return new Figures(
                nodes.Select(n => n.LiveConnectionCount).ToArray(),
                nodes.Select(n => n.Statistics.InboundConnections).ToArray(),
                nodes.Select(n => n.PendingInboundHandshakes).ToArray(),
                nodes.Select(n => n.RentedBufferBytes).ToArray(),
                sockets,
                pipesAndEvents,
                maxWorkers - availableWorkers,
                otherThreads,
                pinned,
                managed);
        }

        /// <summary>A one-line form (one node), read back by <see cref="Parse"/>.</summary>
        public string Format() =>
            $"live={LiveConnections.Single()} inbound={InboundSlots.Single()} handshakes={Handshakes.Single()} buffers={BufferBytes.Single()} " +
            $"sockets={Sockets} pipes={PipesAndEvents} busyPool={BusyPoolThreads} otherThreads={OtherThreads} pinned={PinnedObjects} managed={ManagedBytes}";

        public static Figures Parse(string line)
        {
            long Field(string name) => long.Parse(line.Split(' ').Single(p => p.StartsWith(name + "=", StringComparison.Ordinal)).Split('=')[1]);
            return new Figures(
                new[] { (int)Field("live") },
                new[] { Field("inbound") },
                new[] { (int)Field("handshakes") },
                new[] { Field("buffers") },
                (int)Field("sockets"),
                (int)Field("pipes"),
                (int)Field("busyPool"),
                (int)Field("otherThreads"),
                Field("pinned"),
                Field("managed"));
        }

        public Figures Min(Figures other) => new(
            LiveConnections,
            InboundSlots,
            Handshakes,
            BufferBytes,
            Math.Min(Sockets, other.Sockets),
            Math.Min(PipesAndEvents, other.PipesAndEvents),
            Math.Min(BusyPoolThreads, other.BusyPoolThreads),
            Math.Min(OtherThreads, other.OtherThreads),
            Math.Min(PinnedObjects, other.PinnedObjects),
            Math.Min(ManagedBytes, other.ManagedBytes));

        public List<string> Exceeded(Figures now)
        {
            var problems = new List<string>();
            for (var i = 0; i < LiveConnections.Length; i++)
            {
                Check(problems, $"node {i}: live connections", LiveConnections[i], now.LiveConnections[i], 0);
                Check(problems, $"node {i}: inbound connection slots", InboundSlots[i], now.InboundSlots[i], 0);
                Check(problems, $"node {i}: handshakes in progress", Handshakes[i], now.Handshakes[i], 0);
                Check(problems, $"node {i}: pooled buffer bytes held by connections", BufferBytes[i], now.BufferBytes[i], 0);
            }

            Check(problems, "open socket descriptors (/proc/self/fd)", Sockets, now.Sockets, SocketTolerance);
            Check(problems, "open pipe and event descriptors (/proc/self/fd)", PipesAndEvents, now.PipesAndEvents, PipeAndEventTolerance);

            Check(problems, "busy thread-pool workers", BusyPoolThreads, now.BusyPoolThreads, BusyPoolThreadTolerance);
            Check(problems, "threads outside the pool", OtherThreads, now.OtherThreads, OtherThreadTolerance);
            Check(problems, "pinned objects", PinnedObjects, now.PinnedObjects, PinnedObjectTolerance);
            Check(problems, "managed heap bytes after full collections", ManagedBytes, now.ManagedBytes, ManagedBytesTolerance);
            return problems;
        }

        private static void Check(List<string> problems, string what, long baseline, long now, long tolerance)
        {
            if (now >= 0 && now > baseline + tolerance)
            {
                problems.Add($"{what}: {now}, baseline {baseline} (tolerance +{tolerance})");
            }
        }
    }
}
