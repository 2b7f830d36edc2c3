using System.Diagnostics;
using System.Net.Sockets;
using PeerNet.Transport.Tcp;
using static PeerNet.Tests.Transport.Tcp.TcpTestKit;

namespace PeerNet.Tests.Transport.Tcp;

/// <summary>Hostile peers against the limits: RPC floods, trickled frames, idle and connection floods, a peer that never reads.</summary>
[Collection(SerialCollection.Name)]
public class TcpLimitsTests
{
    private const ProtocolId Bcs = Target.Bcs;
    private const ProtocolId Rpc = Target.Rpc;

    [Fact]
    public async Task Concurrent_inbound_rpcs_of_one_peer_are_capped_and_the_excess_is_refused_with_Overloaded()
    {
        await using var node = Node(new TcpNodeOptions { MaxConcurrentInboundRpcs = 100 });
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int running = 0, peak = 0;
        node.RegisterRpcHandler(Rpc, async (m, _) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await gate.Task;
            Interlocked.Decrement(ref running);
            return m.Message;
        });
        node.Record(Bcs);
        var baseline = await ResourceBaseline.CaptureAsync(node);

        var raw = await RawPeer.ConnectAsync(node, ProtocolIdSet.Of(Rpc, Bcs));
        var flood = new MemoryStream();
        for (ulong id = 1; id <= 150; id++)
        {
            flood.Write(RawFrames.RpcRequest(id, Rpc, new byte[10]));
        }

        await raw.Stream.WriteAsync(flood.ToArray()).AsTask().Within();
        await WaitUntilAsync(() => node.Statistics.RpcsRefusedOverloaded == 50 && Volatile.Read(ref running) == 100, "100 requests run and 50 are refused");
        Assert.Equal(100, Volatile.Read(ref peak));
        Assert.Equal(100, node.Statistics.RpcHandled);
        gate.SetResult();
        raw.Dispose();
        await Target.GoodPeerGetsThroughAsync(node);
        await baseline.ReturnedAsync();
    }

    [Fact]
    public async Task A_peer_that_floods_rpcs_and_never_reads_the_answers_is_bounded_and_every_request_is_accounted_for()
    {
        await using var node = Node();
        var target = new Target(node);
        var baseline = await ResourceBaseline.CaptureAsync(node);
        var raw = await RawPeer.ConnectAsync(node, ProtocolIdSet.Of(Rpc, Bcs));
        const int requests = 20_000;

        // About 20 MiB of requests, answers never read: far more than the socket buffers hold. (Built and dropped in one
        // expression: the test itself keeps none of it for the memory check.)
        await raw.Stream.WriteAsync(RpcFlood(requests, 1024)).AsTask().Within();
        await WaitUntilAsync(() => node.Statistics.RpcHandled + node.Statistics.RpcsRefusedOverloaded == requests, "every request is handled or refused");
        var stats = node.Statistics;
        Assert.True(stats.RpcsRefusedOverloaded > 0, $"handled {stats.RpcHandled}, refused {stats.RpcsRefusedOverloaded}");
        Assert.True(node.CurrentConnections.TryGetValue(raw.PeerId, out var connection));
        Assert.True(connection!.InboundRpcsInProgress <= 100, $"{connection.InboundRpcsInProgress} in progress");
        raw.Dispose();
        await target.GoodPeerGetsThroughAsync();
        await baseline.ReturnedAsync();
    }

    [Fact]
    public async Task Rpc_answers_a_peer_never_reads_are_bounded_by_the_outbound_queue_bytes_and_the_excess_is_answered_Overloaded()
    {
        // Small requests, large answers, never read: the answers queue on the node's side. The outbound queue's byte
        // bound covers them too (not only this node's own sends), so the node holds at most about 1 MiB for the peer,
        // not 100 concurrent answers of 256 KiB (25 MiB).
        const long queueBytes = 1024 * 1024;
        const int requests = 300;
        const ProtocolId storage = ProtocolId.StorageServiceRpc;
        var target = new Target(Node(new TcpNodeOptions { MaxFrameSize = 512 * 1024, OutboundQueueMaxBytes = queueBytes }));
        await using var node = target.Node;
        node.RegisterRpcHandler(storage, (_, _) => Task.FromResult(new Message(new byte[256 * 1024])));
        var baseline = await ResourceBaseline.CaptureAsync(node);
        var raw = await RawPeer.ConnectAsync(node, ProtocolIdSet.Of(storage));
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await raw.Stream.WriteAsync(RpcFlood(requests, 8, storage)).AsTask().Within();

        // Every request is refused (concurrency cap), or handled and its answer queued or, beyond the bytes, replaced by Overloaded.
        await WaitUntilAsync(() => node.Statistics.RpcHandled + node.Statistics.RpcsRefusedOverloaded == requests, "every request is handled or refused");
        await WaitUntilAsync(() => node.CurrentConnections.TryGetValue(raw.PeerId, out var c) && c.RunningRpcHandlers == 0, "the handlers finished (their answers queued or replaced)");
        var held = GC.GetTotalMemory(forceFullCollection: true) - before;
        var connection = node.CurrentConnections[raw.PeerId];
        Assert.True(connection.QueuedBytes <= queueBytes, $"{connection.QueuedBytes} bytes queued");
        Assert.True(held < 8 * queueBytes, $"{held} bytes held for a peer that never reads (bound {queueBytes})");
        Assert.True(node.Statistics.RpcRepliesUndeliverable > 0, "answers beyond the bytes are replaced by Overloaded, counted");

        raw.Dispose();
        await target.GoodPeerGetsThroughAsync();
        await baseline.ReturnedAsync();
    }

    [Fact]
    public async Task A_huge_announced_length_followed_by_a_trickle_allocates_nothing_and_times_out()
    {
        var target = new Target(Node(new TcpNodeOptions { FrameReadTimeout = TimeSpan.FromMilliseconds(600) }));
        await using var node = target.Node;
        var closed = new TaskCompletionSource<TcpConnectionClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.ConnectionClosed += (_, e) => closed.TrySetResult(e);
        var baseline = await ResourceBaseline.CaptureAsync(node);
        var raw = await RawPeer.ConnectAsync(node, ProtocolIdSet.Of(Bcs));
        var header = BitConverter.GetBytes(TcpNodeOptions.DefaultMaxFrameSize); // 4 MiB announced
        await raw.Stream.WriteAsync(header).AsTask().Within();
        using var stop = new CancellationTokenSource();
        var trickle = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await raw.Stream.WriteAsync(new byte[] { 2 }, stop.Token);
                    await Task.Delay(50, stop.Token);
                }
            }
            catch (Exception)
            {
                // closed by the node
            }
        });

        var e = await closed.Task.Within();
        stop.Cancel();
        await trickle.Within();
        Assert.Equal(TcpCloseReason.FrameReadTimeout, e.Reason);
        Assert.Equal(1, node.Statistics.FrameReadTimeouts);
        Assert.Equal(0, node.PeakReadBufferBytes); // the 4 KiB buffer every connection has; never grown for the announced 4 MiB
        raw.Dispose();
        await target.GoodPeerGetsThroughAsync();
        await baseline.ReturnedAsync();
    }

    [Fact]
    public async Task A_silent_peer_hits_the_idle_timeout_while_keep_alives_hold_a_quiet_connection_open()
    {
        var idle = TimeSpan.FromSeconds(1); // keep-alives every third of it: generous for a loaded machine
        var target = new Target(Node(new TcpNodeOptions { IdleTimeout = idle }));
        await using var node = target.Node;
        await using var quiet = Node(new TcpNodeOptions { IdleTimeout = idle });
        quiet.Record(Bcs);
        var kept = await quiet.Dial(node).Within();
        await WaitUntilAsync(() => node.LiveConnectionCount == 1, "the node installs the quiet peer");
        var baseline = await ResourceBaseline.CaptureAsync(node, quiet);
        var sw = Stopwatch.StartNew();
        var raw = await RawPeer.ConnectAsync(node, ProtocolIdSet.Of(Bcs));
        await raw.ReadToEndOrResetAsync().Within(); // the node's keep-alives, then its close
        await WaitUntilAsync(() => node.Statistics.IdleTimeouts == 1, "the silent peer is dropped");
        await WaitUntilAsync(() => sw.Elapsed > 3 * idle, "three idle timeouts have passed");
        Assert.True(quiet.TryGetCurrentConnection(node.PeerId, out var still));
        Assert.Equal(kept.ConnectionId, still.ConnectionId);
        Assert.Equal(1, node.Statistics.IdleTimeouts);
        raw.Dispose();
        await target.GoodPeerGetsThroughAsync(new TcpNodeOptions { IdleTimeout = idle });
        await baseline.ReturnedAsync();
    }

    [Theory]
    [InlineData(8, 1000, 20)]
    [InlineData(1000, 4, 10)]
    public async Task A_connection_flood_beyond_the_caps_is_refused_at_accept_and_a_good_peer_still_connects(int total, int perAddress, int flood)
    {
        var target = new Target(Node(new TcpNodeOptions
        {
            MaxInboundConnections = total,
            MaxInboundConnectionsPerAddress = perAddress,
            HandshakeTimeout = TimeSpan.FromSeconds(2),
        }));
        await using var node = target.Node;
        var cap = Math.Min(total, perAddress);
        var baseline = await ResourceBaseline.CaptureAsync(node);
        var clients = new List<TcpClient>();
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
                    // Already refused (reset) by the node: that is the point.
                }
            }

            await WaitUntilAsync(() => node.Statistics.InboundConnectionsRefused == flood - cap, $"{flood - cap} sockets are refused");
            Assert.Equal(cap, node.Statistics.InboundConnections);

            // The admitted ones never authenticate: the handshake timeout frees their slots.
            await WaitUntilAsync(() => node.Statistics.InboundConnections == 0, "the idle handshakes time out");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        await target.GoodPeerGetsThroughAsync();
        await baseline.ReturnedAsync();
    }

    [Fact]
    public async Task The_outbound_queue_is_bounded_in_bytes_when_the_peer_stops_reading()
    {
        const int maxBytes = 64 * 1024;
        var target = new Target(Node(new TcpNodeOptions { MaxFrameSize = 16 * 1024, OutboundQueueMaxBytes = maxBytes }));
        await using var a = target.Node;
        var baseline = await ResourceBaseline.CaptureAsync(a);
        var raw = await RawPeer.ConnectAsync(a, ProtocolIdSet.Of(Bcs));
        await WaitUntilAsync(() => a.CurrentConnections.ContainsKey(raw.PeerId), "a installs the raw peer");
        var connection = a.CurrentConnections[raw.PeerId];
        var message = new Message(new byte[8 * 1024]);
        var failure = SendFailure.None;
        var sent = 0;
        var sw = Stopwatch.StartNew();
        while (failure == SendFailure.None && sw.Elapsed < Step)
        {
            failure = a.Sender.TrySendOnConnection(raw.PeerId, connection.Id, Bcs, message);
            Assert.True(connection.QueuedBytes <= maxBytes, $"{connection.QueuedBytes} bytes queued");
            if (failure == SendFailure.None)
            {
                sent++;
            }
        }

        Assert.Equal(SendFailure.QueueFull, failure);
        Assert.True(sent > 0);
        raw.Dispose(); // the node counts what it could not write as lost, and frees the queue
        await target.GoodPeerGetsThroughAsync();
        await baseline.ReturnedAsync();
    }

    [Fact]
    public async Task A_peers_huge_rpc_error_reason_is_truncated()
    {
        var target = new Target(Node());
        await using var a = target.Node;
        var baseline = await ResourceBaseline.CaptureAsync(a);
        var raw = await RawPeer.ConnectAsync(a, ProtocolIdSet.Of(Rpc));
        await WaitUntilAsync(() => a.CurrentConnections.ContainsKey(raw.PeerId), "a installs the raw peer");
        var call = a.Sender.SendRpcOnConnectionAsync(raw.PeerId, a.CurrentConnections[raw.PeerId].Id, Rpc, new Message(new byte[] { 1 }), Step);
        var header = new byte[4];
        await raw.Stream.ReadExactlyAsync(header).AsTask().Within();
        var body = new byte[BitConverter.ToInt32(header)];
        await raw.Stream.ReadExactlyAsync(body).AsTask().Within();
        Assert.Equal(3, body[0]);
        await raw.Stream.WriteAsync(RawFrames.RpcError(BitConverter.ToUInt64(body, 1), SendFailure.RemoteError, 1024 * 1024)).AsTask().Within();
        var ex = await Assert.ThrowsAsync<PeerNetException>(() => call.Within());
        Assert.Equal(SendFailure.RemoteError, ex.Failure);
        Assert.True(ex.Message.Length < 2048, $"{ex.Message.Length} characters");
        Assert.Contains("truncated", ex.Message);
        raw.Dispose();
        await target.GoodPeerGetsThroughAsync();
        await baseline.ReturnedAsync();
    }

    private static byte[] RpcFlood(int requests, int payloadBytes, ProtocolId protocol = Rpc)
    {
        var payload = new byte[payloadBytes];
        var flood = new MemoryStream();
        for (ulong id = 1; id <= (ulong)requests; id++)
        {
            flood.Write(RawFrames.RpcRequest(id, protocol, payload));
        }

        return flood.ToArray();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
