// RollingUpgrade: N validators upgrade one by one from ConsensusDirectSendBcs to
// ConsensusDirectSendCompressed (each upgrade flaps: upgrade, rollback, upgrade... at --churn
// reconnects per second; every fourth validator ends rolled back), while one node broadcasts
// consensus-like messages to all of them with preferences [Compressed, Bcs] through three paths
// carrying the same traffic, in three identical worlds (in-memory, or TCP with --transport tcp) driven by the same schedule:
//   naive  : GetPreferredProtocolForPeer(...) then GetSenderForNetwork(...).SendTo(...)
//   checked: snapshot, protocol from it, if (IsCurrent(snapshot.Version)) SendTo(...) (what PN0002 reports)
//   atomic : TrySendWithCurrentProtocol(...)
// Raw SendTo queues the message for the peer by peer id only and the transport routes it when it dequeues it,
// to whatever connection the peer has then (as Aptos's peer manager does): a version check before SendTo
// cannot close that window.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using PeerNet;
using PeerNet.Transport;

namespace RollingUpgrade;

internal static class Program
{
    private const string Usage =
        "RollingUpgrade: a rolling upgrade (with rollbacks) under broadcast traffic, naive vs checked vs atomic sends.\n" +
        "\n" +
        "Usage: dotnet run --project samples/RollingUpgrade -c Release -- [options]\n" +
        "\n" +
        "Options:\n" +
        "  --validators <n>   number of validators (default 10, 2..200)\n" +
        "  --duration <s>     seconds of traffic (default 8, 1..600)\n" +
        "  --churn <rate>     reconnects per second of the validator being upgraded (default 5000, 1..100000)\n" +
        "  --transport <t>    memory (default): in-memory networks; tcp: real loopback TCP nodes, mutually authenticated (TLS 1.3)\n" +
        "  --out <path>       where to write the SVG chart of drops over time (default artifacts/rolling-upgrade-drops.svg)\n" +
        "  --help             show this help\n";

    internal static int Main(string[] args)
    {
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            Console.Error.WriteLine("Run with --help for the options.");
            return 2;
        }

        if (options.Help)
        {
            Console.Write(Usage);
            return 0;
        }

        return new Demo(options).Run();
    }
}

internal sealed record Options(int Validators, double DurationSeconds, double Churn, string Out, bool Help, string Transport = "memory")
{
    public static Options Parse(string[] args)
    {
        var o = new Options(10, 8, 5000, Path.Combine("artifacts", "rolling-upgrade-drops.svg"), false);
        for (var i = 0; i < args.Length; i++)
        {
            var flag = args[i];
            string Value()
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"{flag} needs a value.");
                }

                return args[++i];
            }

            double Number(double min, double max)
            {
                var text = Value();
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
                {
                    throw new ArgumentException($"{flag} must be a number from {min} to {max}; got '{text}'.");
                }

                return v;
            }

            switch (flag)
            {
                case "--help":
                case "-h":
                    o = o with { Help = true };
                    break;
                case "--validators":
                    var n = Number(2, 200);
                    if (n != Math.Floor(n))
                    {
                        throw new ArgumentException($"--validators must be a whole number; got {n}.");
                    }

                    o = o with { Validators = (int)n };
                    break;
                case "--duration":
                    o = o with { DurationSeconds = Number(1, 600) };
                    break;
                case "--churn":
                    o = o with { Churn = Number(1, 100_000) };
                    break;
                case "--transport":
                    var transport = Value();
                    if (transport != "memory" && transport != "tcp")
                    {
                        throw new ArgumentException($"--transport must be memory or tcp; got '{transport}'.");
                    }

                    o = o with { Transport = transport };
                    break;
                case "--out":
                    var path = Value();
                    if (string.IsNullOrWhiteSpace(path))
                    {
                        throw new ArgumentException("--out needs a file path.");
                    }

                    o = o with { Out = path };
                    break;
                default:
                    throw new ArgumentException($"unknown option '{flag}'.");
            }
        }

        return o;
    }
}

internal sealed class Demo
{
    private readonly Options _options;

    public Demo(Options options) => _options = options;

    public int Run()
    {
        var n = _options.Validators;
        var duration = TimeSpan.FromSeconds(_options.DurationSeconds);
        Console.WriteLine($"Rolling upgrade of {n} validators from ConsensusDirectSendBcs to ConsensusDirectSendCompressed over {duration.TotalSeconds:0.#} s;");
        Console.WriteLine($"each upgrade flaps at {_options.Churn:0.#} reconnects/s (upgrade, rollback, ...); every 4th validator ends rolled back.");
        Console.WriteLine("One node broadcasts to all validators with preferences [Compressed, Bcs], same traffic on every path:");
        Console.WriteLine("  naive  : GetPreferredProtocolForPeer then GetSenderForNetwork(..).SendTo");
        Console.WriteLine("  checked: snapshot, protocol from it, if (IsCurrent(snapshot.Version)) SendTo  (the check PN0002 reports)");
        Console.WriteLine("  atomic : TrySendWithCurrentProtocol");
        Console.WriteLine("Raw SendTo queues per peer id and routes at dequeue time, to the connection current then (as Aptos does).");
        Console.WriteLine();

        if (_options.Transport == "tcp")
        {
            Console.WriteLine("Transport: TCP on 127.0.0.1, every connection mutually authenticated (TLS 1.3, peer id = hash of the node's key),");
            Console.WriteLine("validators trust only the validator set; reconnects go as fast as TLS handshakes allow.");
            Console.WriteLine();
        }

        using var naive = World.Create(_options.Transport, "naive", n);
        using var @checked = World.Create(_options.Transport, "checked", n);
        using var atomic = World.Create(_options.Transport, "atomic", n);
        var worlds = new[] { naive, @checked, atomic };
        foreach (var w in worlds)
        {
            w.WindowDrops = new long[n];
        }

        var stop = new CancellationTokenSource();
        var sw = Stopwatch.StartNew();
        var upgraded = 0;
        var flapping = -1;

        // The schedule, applied to both worlds at the same moments.
        var churn = StartThread(() =>
        {
            var window = duration.TotalSeconds / n;
            var flipInterval = 1.0 / _options.Churn;
            for (var i = 0; i < n && !stop.IsCancellationRequested; i++)
            {
                Volatile.Write(ref flapping, i);
                var before = worlds.Select(w => w.Dropped).ToArray();
                var end = (i + 1) * window;
                var compressed = false;
                var next = sw.Elapsed.TotalSeconds;
                while (sw.Elapsed.TotalSeconds < end && !stop.IsCancellationRequested)
                {
                    compressed = !compressed;
                    foreach (var w in worlds)
                    {
                        w.Restart(i, compressed ? ProtocolId.ConsensusDirectSendCompressed : ProtocolId.ConsensusDirectSendBcs);
                    }

                    next += flipInterval;
                    var wait = next - sw.Elapsed.TotalSeconds;
                    if (wait > 0.002)
                    {
                        Thread.Sleep(TimeSpan.FromSeconds(wait));
                    }
                }

                // Settle: upgraded, or rolled back for every fourth validator.
                var final = i % 4 == 3 ? ProtocolId.ConsensusDirectSendBcs : ProtocolId.ConsensusDirectSendCompressed;
                foreach (var w in worlds)
                {
                    w.Restart(i, final);
                }

                if (final == ProtocolId.ConsensusDirectSendCompressed)
                {
                    Interlocked.Increment(ref upgraded);
                }

                for (var k = 0; k < worlds.Length; k++)
                {
                    worlds[k].WindowDrops[i] = worlds[k].Dropped - before[k];
                }
            }

            Volatile.Write(ref flapping, -1);
        });

        // The broadcaster: each message goes to every validator through both paths.
        var broadcast = StartThread(() =>
        {
            var payload = new byte[256];
            long round = 0;
            while (!stop.IsCancellationRequested)
            {
                BitConverter.TryWriteBytes(payload, ++round);
                var message = new Message(payload);
                for (var i = 0; i < n; i++)
                {
                    var spin = default(SpinWait);
                    // Stay well under the transport's per-peer outbound queue (1,024): the demo measures the race, not back pressure.
                    while (worlds.Any(w => w.Backlogged) && !stop.IsCancellationRequested)
                    {
                        spin.SpinOnce(sleep1Threshold: 20);
                    }

                    SendNaive(naive, naive.Peers[i], message);
                    SendChecked(@checked, @checked.Peers[i], message);
                    SendAtomic(atomic, atomic.Peers[i], message);
                }
            }
        });

        var samples = new List<(double T, long Naive, long Checked, long Atomic)> { (0, 0, 0, 0) };
        var nextProgress = TimeSpan.FromSeconds(1);
        while (sw.Elapsed < duration)
        {
            Thread.Sleep(100);
            samples.Add((sw.Elapsed.TotalSeconds, naive.Dropped, @checked.Dropped, atomic.Dropped));
            if (sw.Elapsed >= nextProgress)
            {
                nextProgress += TimeSpan.FromSeconds(1);
                var f = Volatile.Read(ref flapping);
                Console.WriteLine(
                    $"t={sw.Elapsed.TotalSeconds,5:0.0}s  upgraded {Volatile.Read(ref upgraded),3}/{n}  {(f >= 0 ? $"flapping v{f}" : "settled"),-12}  " +
                    string.Join("  |  ", worlds.Select(w => $"{w.Name}: sent {Interlocked.Read(ref w.Attempts),9:N0} dropped {w.Dropped,7:N0} failed {Interlocked.Read(ref w.Failed),5:N0}")));
            }
        }

        stop.Cancel();
        broadcast.Join();
        churn.Join();
        foreach (var w in worlds)
        {
            w.WaitForIdle(TimeSpan.FromSeconds(30));
        }

        samples.Add((sw.Elapsed.TotalSeconds, naive.Dropped, @checked.Dropped, atomic.Dropped));
        Console.WriteLine();
        PrintTable(worlds);
        Console.WriteLine();
        PrintWindows(worlds, n);
        var path = Path.GetFullPath(_options.Out);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Chart.Render(samples, n, _options));
        Console.WriteLine();
        Console.WriteLine($"Chart of drops over time written to {path}");

        var consistent = worlds.All(w => w.Attempts == w.Delivered + w.Dropped + w.DroppedInQueue + w.Failed);
        if (!consistent)
        {
            Console.Error.WriteLine("error: the counts do not add up (sent != delivered + dropped + dropped in queue + failed); a message was lost silently.");
            return 1;
        }

        if (atomic.Dropped != 0)
        {
            Console.Error.WriteLine($"error: the atomic path had {atomic.Dropped} unknown-protocol drops; it must have none.");
            return 1;
        }

        Console.WriteLine(naive.Dropped > 0
            ? $"Result: the naive path silently lost {naive.Dropped:N0} message(s) to connections that never announced their protocol, " +
              $"the checked path {@checked.Dropped:N0} despite its version check; " +
              $"the atomic path lost none{(atomic.Failed > 0 ? $" and reported each of its {atomic.Failed:N0} failed send(s) to the caller" : "")}."
            : "Result: the naive path happened to lose nothing this run (raise --churn or --duration to see the race); the atomic path lost none.");
        return 0;
    }

    private static void PrintWindows(World[] worlds, int n)
    {
        Console.WriteLine("Unknown-protocol drops during each validator's upgrade window:");
        Console.WriteLine($"{"path",-8} " + string.Join(" ", Enumerable.Range(0, n).Select(i => $"{"v" + i + (i % 4 == 3 ? "r" : ""),7}")));
        foreach (var w in worlds)
        {
            Console.WriteLine($"{w.Name,-8} " + string.Join(" ", w.WindowDrops.Select(d => $"{d,7:N0}")));
        }

        Console.WriteLine("(vNr: ends rolled back to Bcs)");
    }

    private static void SendNaive(World w, PeerNetworkId peer, Message message)
    {
        Interlocked.Increment(ref w.Attempts);
        try
        {
#pragma warning disable PN0001 // deliberately the racy read-then-send pattern this demo measures
            var protocol = w.Client.GetPreferredProtocolForPeer(peer, World.Preferences);
            w.RawSender.SendTo(peer.PeerId, protocol, message);
#pragma warning restore PN0001
        }
        catch (PeerNetException ex)
        {
            w.RecordFailure(ex.Failure);
        }
    }

    private const int CheckedAttempts = 100;

    // The check-then-act pattern PN0002 reports: choose the protocol from a snapshot, check that the snapshot is
    // still current, then send raw. The check passes, yet the message is queued by peer id and routed later, to
    // whatever connection the peer has by then: the check does not close the race. A stale snapshot is retried;
    // after CheckedAttempts stale snapshots in a row the send is reported as failed (ConnectionReplaced).
    private static void SendChecked(World w, PeerNetworkId peer, Message message)
    {
        Interlocked.Increment(ref w.Attempts);
        try
        {
            var store = w.Client.PeersAndMetadata;
            for (var attempt = 1; attempt <= CheckedAttempts; attempt++)
            {
#pragma warning disable PN0001, PN0002 // deliberately the racy check-then-act pattern this demo measures (a version check does not bind the send)
                var snapshot = store.GetSnapshot();
                var announced = snapshot.GetMetadataForPeer(peer).SupportedProtocols;
                var chosen = World.Preferences.Where(announced.Contains).Take(1).ToArray();
                if (chosen.Length == 0)
                {
                    w.RecordFailure(SendFailure.NoCommonProtocol);
                    return;
                }

                var protocol = chosen[0];

                if (store.IsCurrent(snapshot.Version))
                {
                    w.RawSender.SendTo(peer.PeerId, protocol, message);
                    return;
                }
#pragma warning restore PN0001, PN0002
            }

            w.RecordFailure(SendFailure.ConnectionReplaced);
        }
        catch (PeerNetException ex)
        {
            w.RecordFailure(ex.Failure);
        }
    }

    private static void SendAtomic(World w, PeerNetworkId peer, Message message)
    {
        Interlocked.Increment(ref w.Attempts);
        if (!w.Client.TrySendWithCurrentProtocol(peer, message, out var failure))
        {
            w.RecordFailure(failure);
        }
    }

    private static void PrintTable(World[] worlds)
    {
        Console.WriteLine($"{"path",-8} {"sent",12} {"delivered",12} {"dropped at receiver",20} {"dropped in queue",17} {"failed and reported",20}");
        Console.WriteLine($"{"",-8} {"",12} {"",12} {"(unknown protocol)",20} {"(not connected)",17} {"to the sender",20}");
        Console.WriteLine(new string('-', 94));
        foreach (var w in worlds)
        {
            Console.WriteLine($"{w.Name,-8} {w.Attempts,12:N0} {w.Delivered,12:N0} {w.Dropped,20:N0} {w.DroppedInQueue,17:N0} {w.Failed,20:N0}");
        }

        Console.WriteLine();
        foreach (var w in worlds)
        {
            var reasons = w.FailureReasons.IsEmpty
                ? "none"
                : string.Join(", ", w.FailureReasons.OrderBy(e => e.Key.ToString()).Select(e => $"{e.Key} {e.Value:N0}"));
            Console.WriteLine($"{w.Name} failures reported to the sender, by reason: {reasons}");
        }
    }

    private static Thread StartThread(Action body)
    {
        var t = new Thread(() => body()) { IsBackground = true };
        t.Start();
        return t;
    }
}

internal static class Chart
{
    public static string Render(List<(double T, long Naive, long Checked, long Atomic)> samples, int validators, Options options)
    {
        const int width = 860, height = 440, left = 80, right = 30, top = 60, bottom = 60;
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        var tMax = Math.Max(samples[^1].T, 0.001);
        var yMax = Math.Max(1, samples.Max(s => Math.Max(s.Naive, Math.Max(s.Checked, s.Atomic))));
        var yTop = NiceCeiling(yMax);
        string X(double t) => (left + t / tMax * plotW).ToString("0.#", CultureInfo.InvariantCulture);
        string Y(double v) => (top + plotH - v / yTop * plotH).ToString("0.#", CultureInfo.InvariantCulture);

        var sb = new StringBuilder();
        sb.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">");
        sb.AppendLine($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        sb.AppendLine($"<text x=\"{width / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">Messages dropped as unknown protocol during a rolling upgrade ({validators} validators, churn {options.Churn.ToString("0.#", CultureInfo.InvariantCulture)}/s)</text>");
        sb.AppendLine($"<text x=\"{width / 2}\" y=\"42\" text-anchor=\"middle\" fill=\"#555\">cumulative drops at the receivers; same traffic on every path; dotted lines: validator vN starts upgrading (↩ ends rolled back)</text>");
        for (var k = 0; k <= 5; k++)
        {
            var v = yTop * k / 5.0;
            sb.AppendLine($"<line x1=\"{left}\" y1=\"{Y(v)}\" x2=\"{left + plotW}\" y2=\"{Y(v)}\" stroke=\"#e5e5e5\"/>");
            sb.AppendLine($"<text x=\"{left - 8}\" y=\"{Y(v)}\" text-anchor=\"end\" dominant-baseline=\"middle\">{v.ToString("N0", CultureInfo.InvariantCulture)}</text>");
        }

        var step = Math.Max(1, Math.Ceiling(tMax / 10));
        for (double t = 0; t <= tMax + 1e-9; t += step)
        {
            sb.AppendLine($"<text x=\"{X(t)}\" y=\"{top + plotH + 18}\" text-anchor=\"middle\">{t.ToString("0", CultureInfo.InvariantCulture)}</text>");
        }

        // The upgrade windows: validator i flaps during [i, i + 1) * duration / validators.
        for (var i = 0; i < validators; i++)
        {
            var start = i * options.DurationSeconds / validators;
            if (start > tMax)
            {
                break;
            }

            sb.AppendLine($"<line x1=\"{X(start)}\" y1=\"{top}\" x2=\"{X(start)}\" y2=\"{top + plotH}\" stroke=\"#9ecae1\" stroke-dasharray=\"2 4\"/>");
            if (validators <= 40)
            {
                sb.AppendLine($"<text x=\"{X(start)}\" y=\"{top + plotH - 4}\" font-size=\"9\" fill=\"#3182bd\" dx=\"2\">v{i}{(i % 4 == 3 ? "↩" : "")}</text>");
            }
        }

        sb.AppendLine($"<line x1=\"{left}\" y1=\"{top + plotH}\" x2=\"{left + plotW}\" y2=\"{top + plotH}\" stroke=\"black\"/>");
        sb.AppendLine($"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{top + plotH}\" stroke=\"black\"/>");
        sb.AppendLine($"<text x=\"{left + plotW / 2}\" y=\"{height - 16}\" text-anchor=\"middle\">time (s)</text>");
        sb.AppendLine($"<text transform=\"translate(20 {top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\">dropped messages</text>");
        sb.AppendLine($"<polyline fill=\"none\" stroke=\"#d62728\" stroke-width=\"5\" stroke-opacity=\"0.8\" points=\"{string.Join(" ", samples.Select(s => $"{X(s.T)},{Y(s.Naive)}"))}\"/>");
        sb.AppendLine($"<polyline fill=\"none\" stroke=\"#ff7f0e\" stroke-width=\"2\" stroke-dasharray=\"10 4\" points=\"{string.Join(" ", samples.Select(s => $"{X(s.T)},{Y(s.Checked)}"))}\"/>");
        sb.AppendLine($"<polyline fill=\"none\" stroke=\"#2ca02c\" stroke-width=\"2.5\" stroke-dasharray=\"6 3\" points=\"{string.Join(" ", samples.Select(s => $"{X(s.T)},{Y(s.Atomic)}"))}\"/>");
        var last = samples[^1];
        sb.AppendLine($"<rect x=\"{left + 12}\" y=\"{top + 8}\" width=\"380\" height=\"68\" fill=\"white\" stroke=\"#ccc\"/>");
        sb.AppendLine($"<line x1=\"{left + 22}\" y1=\"{top + 24}\" x2=\"{left + 52}\" y2=\"{top + 24}\" stroke=\"#d62728\" stroke-width=\"5\" stroke-opacity=\"0.8\"/>");
        sb.AppendLine($"<text x=\"{left + 60}\" y=\"{top + 28}\">naive read-then-send: {last.Naive.ToString("N0", CultureInfo.InvariantCulture)} dropped</text>");
        sb.AppendLine($"<line x1=\"{left + 22}\" y1=\"{top + 44}\" x2=\"{left + 52}\" y2=\"{top + 44}\" stroke=\"#ff7f0e\" stroke-width=\"2\" stroke-dasharray=\"10 4\"/>");
        sb.AppendLine($"<text x=\"{left + 60}\" y=\"{top + 48}\">checked (IsCurrent, then SendTo): {last.Checked.ToString("N0", CultureInfo.InvariantCulture)} dropped</text>");
        sb.AppendLine($"<line x1=\"{left + 22}\" y1=\"{top + 64}\" x2=\"{left + 52}\" y2=\"{top + 64}\" stroke=\"#2ca02c\" stroke-width=\"2.5\" stroke-dasharray=\"6 3\"/>");
        sb.AppendLine($"<text x=\"{left + 60}\" y=\"{top + 68}\">atomic TrySendWithCurrentProtocol: {last.Atomic.ToString("N0", CultureInfo.InvariantCulture)} dropped</text>");
        sb.AppendLine("</svg>");
        return sb.ToString();
    }

    private static double NiceCeiling(double v)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(v)));
        foreach (var m in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (m * magnitude >= v)
            {
                return m * magnitude;
            }
        }

        return 10 * magnitude;
    }
}
