using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using PeerNet.Transport.Tcp;
using static PeerNet.Tests.Transport.Tcp.TcpTestKit;

namespace PeerNet.Tests.Transport.Tcp;

/// <summary>
/// A hostile peer cannot flood the log: per kind of event, at most <see cref="TcpNodeOptions.LogLinesPerInterval"/> lines per
/// <see cref="TcpNodeOptions.LogInterval"/>, the rest reported by "suppressed K similar messages" lines, and the counters
/// still count every event.
/// </summary>
[Collection(SerialCollection.Name)]
public partial class TcpLogRateLimitTests
{
    private const int PerInterval = 5;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public TcpLogRateLimitTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task A_flood_of_bad_handshakes_logs_a_bounded_number_of_lines_and_every_attempt_is_counted()
    {
        var log = new ConcurrentQueue<string>();
        var target = new Target(Node(new TcpNodeOptions { Log = log.Enqueue, LogLinesPerInterval = PerInterval, LogInterval = Interval }));
        await using var node = target.Node;
        var baseline = await ResourceBaseline.CaptureAsync(node);

        // Garbage instead of a TLS client hello, one connection after the other.
        const int attempts = 150;
        var garbage = new byte[64];
        new Random(14).NextBytes(garbage);
        var sw = Stopwatch.StartNew();
        for (var i = 1; i <= attempts; i++)
        {
            using (var client = new TcpClient())
            {
                await client.ConnectAsync(node.LocalEndPoint).WaitAsync(Step);
                await client.GetStream().WriteAsync(garbage).AsTask().Within();
                await WaitUntilAsync(() => node.Statistics.HandshakesFailed == i, $"handshake {i} fails");
            }
        }

        var flood = sw.Elapsed;
        Assert.Equal(attempts, node.Statistics.HandshakesFailed);
        AssertBoundedAndAccounted(log, "Handshake of node", nameof(LogCategory.Handshake), attempts, flood);
        Assert.Equal(attempts - log.Count(l => l.Contains("Handshake of node")), node.Statistics.LogLinesSuppressed);

        await target.GoodPeerGetsThroughAsync();
        await baseline.ReturnedAsync();
    }

    [Fact]
    public async Task A_flood_of_refused_connections_logs_a_bounded_number_of_lines_and_every_refusal_is_counted()
    {
        var log = new ConcurrentQueue<string>();
        var target = new Target(Node(new TcpNodeOptions
        {
            Log = log.Enqueue,
            LogLinesPerInterval = PerInterval,
            LogInterval = Interval,
            MaxInboundConnectionsPerAddress = 1,
            HandshakeTimeout = TimeSpan.FromSeconds(2),
        }));
        await using var node = target.Node;
        var baseline = await ResourceBaseline.CaptureAsync(node);

        const int flood = 100;
        var clients = new List<TcpClient>();
        var sw = Stopwatch.StartNew();
        try
        {
            for (var i = 0; i < flood; i++)
            {
                var client = new TcpClient();
                clients.Add(client);
                try
                {
                    await client.ConnectAsync(node.LocalEndPoint).WaitAsync(Step);
                }
                catch (SocketException)
                {
                    // Already refused (reset).
                }
            }

            await WaitUntilAsync(() => node.Statistics.InboundConnectionsRefused == flood - 1, $"{flood - 1} connections are refused");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        AssertBoundedAndAccounted(log, "inbound connection from", nameof(LogCategory.Refused), flood - 1, sw.Elapsed);

        // The one admitted socket never handshakes; once its slot is free, a good peer gets in.
        await WaitUntilAsync(() => node.Statistics.InboundConnections == 0, "the admitted socket's handshake times out");
        await target.GoodPeerGetsThroughAsync();
        await baseline.ReturnedAsync();
    }

    [Fact]
    public void The_log_limits_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TcpNode(null, new TcpNodeOptions { NetworkId = NetworkId.Public, LogLinesPerInterval = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TcpNode(null, new TcpNodeOptions { NetworkId = NetworkId.Public, LogInterval = TimeSpan.Zero }));
        Assert.Equal(TcpNodeOptions.DefaultLogLinesPerInterval, new TcpNodeOptions().LogLinesPerInterval);
    }

    // Lines of the event: at most PerInterval per window the flood spanned. Every event is either one of those lines or
    // counted in a "suppressed K similar messages" line, which comes once its window ends (bounded wait).
    private void AssertBoundedAndAccounted(ConcurrentQueue<string> log, string eventText, string category, int events, TimeSpan flood)
    {
        var windows = (int)Math.Ceiling(flood.TotalMilliseconds / Interval.TotalMilliseconds) + 1;
        int Lines() => log.Count(l => l.Contains(eventText));
        long Suppressed() => log.Select(l => Summary().Match(l)).Where(m => m.Success && m.Groups[2].Value == category).Sum(m => long.Parse(m.Groups[1].Value));
        var sw = Stopwatch.StartNew();
        while (Lines() + Suppressed() < events && sw.Elapsed < Interval + Step)
        {
            Thread.Sleep(50);
        }

        _output.WriteLine($"{category}: {events} events in {flood.TotalMilliseconds:0} ms; {Lines()} lines, {Suppressed()} suppressed; log lines in all: {log.Count}");
        Assert.InRange(Lines(), PerInterval, PerInterval * windows);
        Assert.Equal(events, Lines() + Suppressed());
        Assert.InRange(log.Count(l => Summary().IsMatch(l) && l.Contains($"({category})")), 1, windows);
    }

    [GeneratedRegex(@"suppressed (\d+) similar messages \((\w+)\)")]
    private static partial Regex Summary();
}
