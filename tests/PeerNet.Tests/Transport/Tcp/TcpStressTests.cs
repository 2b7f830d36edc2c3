using System.Collections.Concurrent;
using System.Diagnostics;
using PeerNet.Transport;
using PeerNet.Transport.InMemory;
using PeerNet.Transport.Tcp;
using Xunit.Abstractions;
using static PeerNet.Tests.Transport.Tcp.TcpTestKit;

namespace PeerNet.Tests.Transport.Tcp;

/// <summary>
/// Rolling upgrade with rollback over TCP: two validators keep redialing the sender, flipping between announcing
/// {Bcs, Compressed} and {Bcs} only, while the sender sends to them continuously with preferences [Compressed, Bcs].
/// Everything is counted on every side: the sender's client results, the sender node's accepted / written / lost
/// counters, the validators' delivered / unknown-protocol counters.
/// </summary>
[Collection(SerialCollection.Name)]
public class TcpStressTests
{
    private const ProtocolId Bcs = ProtocolId.ConsensusDirectSendBcs;
    private const ProtocolId Compressed = ProtocolId.ConsensusDirectSendCompressed;
    private static readonly ProtocolId[] Preferences = { Compressed, Bcs };
    private readonly ITestOutputHelper _output;

    public TcpStressTests(ITestOutputHelper output) => _output = output;

    internal sealed record Figures(
        string Path,
        long Attempts,
        long ClientOk,
        IReadOnlyDictionary<SendFailure, long> Failures,
        TcpTransportStatistics Sender,
        long Delivered,
        long DeliveredCompressed,
        long UnknownProtocol,
        long Reconnects,
        long ReconnectFailures,
        long CloseTimeouts)
    {
        public long Failed => Failures.Values.Sum();

        public override string ToString() =>
            $"{Path}: attempts={Attempts} ok={ClientOk} failed={Failed} [{string.Join(", ", Failures.Select(e => $"{e.Key}={e.Value}"))}] " +
            $"sender: accepted={Sender.SendsAccepted} written={Sender.MessagesWritten} lost-on-close={Sender.MessagesLostOnClose} refused={Sender.SendsRefused}; " +
            $"validators: delivered={Delivered} (Compressed {DeliveredCompressed}) unknown-protocol drops={UnknownProtocol}; " +
            $"reconnects={Reconnects} reconnect failures={ReconnectFailures} close timeouts={CloseTimeouts}";
    }

    [Fact]
    public async Task Atomic_sends_across_reconnect_flips_never_reach_a_connection_without_their_protocol_and_all_are_accounted_for()
    {
        var f = await RunAsync(atomic: true, TimeSpan.FromSeconds(2)).Within(TimeSpan.FromSeconds(60));
        _output.WriteLine(f.ToString());

        Assert.True(f.Reconnects >= 10, $"the churn ran ({f.Reconnects} reconnects)");
        Assert.Equal(0, f.ReconnectFailures);
        Assert.True(f.ClientOk > 1000, $"sends went through ({f.ClientOk})");
        Assert.True(f.DeliveredCompressed > 0, "the preferred protocol was used while announced");

        // The point: no message was ever handed to a connection that did not announce its protocol.
        Assert.Equal(0, f.UnknownProtocol);

        // Count all sides: every attempt succeeded or was reported; every success was delivered or counted lost.
        Assert.Equal(f.Attempts, f.ClientOk + f.Failed);
        Assert.Equal(f.ClientOk, f.Sender.SendsAccepted);
        Assert.Equal(f.Sender.SendsAccepted, f.Sender.MessagesWritten + f.Sender.MessagesLostOnClose);
        Assert.Equal(0, f.CloseTimeouts);
        Assert.Equal(f.Sender.MessagesWritten, f.Delivered + f.UnknownProtocol);
        Assert.Equal(f.ClientOk, f.Delivered + f.Sender.MessagesLostOnClose);

        // And the sender knows it: the peers' acknowledgements cover every delivered message (graceful closes only here).
        Assert.Equal(f.Sender.SendsAccepted, f.Sender.MessagesConfirmed + f.Sender.MessagesLostOnClose + f.Sender.MessagesUnconfirmedOnClose);
        Assert.Equal(0, f.Sender.MessagesUnconfirmedOnClose);
        Assert.Equal(f.Delivered + f.UnknownProtocol, f.Sender.MessagesConfirmed);
        Assert.All(f.Failures.Keys, k => Assert.Contains(k, new[] { SendFailure.PeerNotConnected, SendFailure.ConnectionReplaced, SendFailure.Closed, SendFailure.QueueFull }));
    }

    [Fact]
    public async Task Naive_snapshot_then_send_path_is_accounted_for_too_and_its_unknown_protocol_drops_are_counted()
    {
        var f = await RunAsync(atomic: false, TimeSpan.FromSeconds(2)).Within(TimeSpan.FromSeconds(60));
        _output.WriteLine(f.ToString());

        Assert.True(f.Reconnects >= 10, $"the churn ran ({f.Reconnects} reconnects)");
        Assert.Equal(f.Attempts, f.ClientOk + f.Failed);
        Assert.Equal(f.ClientOk, f.Sender.SendsAccepted);
        Assert.Equal(f.Sender.SendsAccepted, f.Sender.MessagesWritten + f.Sender.MessagesLostOnClose);
        Assert.Equal(0, f.CloseTimeouts);

        // The naive path's drops are not silent: the receivers count them.
        Assert.Equal(f.Sender.MessagesWritten, f.Delivered + f.UnknownProtocol);
        Assert.Equal(f.Sender.SendsAccepted, f.Sender.MessagesConfirmed + f.Sender.MessagesLostOnClose + f.Sender.MessagesUnconfirmedOnClose);
        Assert.Equal(f.Delivered + f.UnknownProtocol, f.Sender.MessagesConfirmed);
    }

    internal static async Task<Figures> RunAsync(bool atomic, TimeSpan duration)
    {
        var options = new TcpNodeOptions { CloseTimeout = TimeSpan.FromSeconds(10) };
        var sender = Node(options);
        sender.Record(Bcs, Compressed);
        var validators = new[] { Node(options), Node(options) };
        long delivered = 0, deliveredCompressed = 0;
        foreach (var v in validators)
        {
            v.RegisterDirectSendHandler(Bcs, _ => Interlocked.Increment(ref delivered));
            v.RegisterDirectSendHandler(Compressed, Count);
            await v.ConnectAsync(sender.LocalEndPoint, sender.PeerId).Within();
        }

        void Count(InboundMessage m)
        {
            Interlocked.Increment(ref delivered);
            Interlocked.Increment(ref deliveredCompressed);
        }

        var peers = validators.Select(Peer).ToArray();
        await WaitUntilAsync(() => peers.All(p => sender.PeersAndMetadata.TryGetMetadataForPeer(p, out _)), "the sender records both validators");
        using var client = sender.CreateClient(Preferences, new[] { ProtocolId.ConsensusRpcBcs });
        var failures = new ConcurrentDictionary<SendFailure, long>();
        long attempts = 0, ok = 0, reconnects = 0, reconnectFailures = 0;
        using var stop = new CancellationTokenSource();

        // Churners: each validator flips its protocol set and redials, back to back.
        var churners = validators.Select(v => Task.Run(async () =>
        {
            var announcesCompressed = true;
            while (!stop.IsCancellationRequested)
            {
                if (announcesCompressed)
                {
                    v.RemoveHandler(Compressed);
                }
                else
                {
                    v.RegisterDirectSendHandler(Compressed, Count);
                }

                announcesCompressed = !announcesCompressed;
                try
                {
                    await v.ConnectAsync(sender.LocalEndPoint, sender.PeerId);
                    Interlocked.Increment(ref reconnects);
                }
                catch (PeerNetException)
                {
                    Interlocked.Increment(ref reconnectFailures);
                }

                await Task.Delay(15);
            }
        })).ToArray();

        // Senders on dedicated threads, so that the sockets' I/O keeps the thread pool.
        var senders = Enumerable.Range(0, 2).Select(s => Task.Factory.StartNew(() =>
        {
            var raw = client.GetSenderForNetwork(NetworkId.Validator);
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                var peer = peers[i % peers.Length];
                var message = new Message(BitConverter.GetBytes(i));
                Interlocked.Increment(ref attempts);
                SendFailure failure;
                if (atomic)
                {
                    client.TrySendWithCurrentProtocol(peer, message, out failure);
                }
                else
                {
                    try
                    {
                        // Check-then-act across a cached snapshot: what PN0001 flags.
                        var protocol = client.GetPreferredProtocolForPeer(peer, Preferences);
                        raw.SendTo(peer.PeerId, protocol, message);
                        failure = SendFailure.None;
                    }
                    catch (PeerNetException ex)
                    {
                        failure = ex.Failure;
                    }
                }

                if (failure == SendFailure.None)
                {
                    Interlocked.Increment(ref ok);
                }
                else
                {
                    failures.AddOrUpdate(failure, 1, (_, n) => n + 1);
                }

                if (++i % 32 == 0)
                {
                    Thread.Sleep(1);
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        await Task.Delay(duration);
        stop.Cancel();
        await Task.WhenAll(senders).Within();
        await Task.WhenAll(churners).Within();

        // Graceful shutdown: the sender's connections flush, the validators read to the end.
        await sender.DisposeAsync().AsTask().Within(TimeSpan.FromSeconds(30));
        await AllClosedAsync(validators);
        var senderStats = sender.Statistics;
        var validatorStats = validators.Select(v => v.Statistics).ToArray();
        foreach (var v in validators)
        {
            await v.DisposeAsync().AsTask().Within(TimeSpan.FromSeconds(30));
        }

        return new Figures(
            atomic ? "atomic TrySendWithCurrentProtocol" : "naive snapshot + SendTo",
            attempts,
            ok,
            new Dictionary<SendFailure, long>(failures),
            senderStats,
            Interlocked.Read(ref delivered),
            Interlocked.Read(ref deliveredCompressed),
            validatorStats.Sum(s => s.DirectSendUnknownProtocol),
            reconnects,
            reconnectFailures,
            senderStats.CloseTimeouts + validatorStats.Sum(s => s.CloseTimeouts));
    }
}

/// <summary>Atomic RPCs across reconnect flips of the RPC protocol set: never UnsupportedProtocol, never a hang.</summary>
[Collection(SerialCollection.Name)]
public class TcpRpcStressTests
{
    private const ProtocolId RpcBcs = ProtocolId.ConsensusRpcBcs;
    private const ProtocolId RpcCompressed = ProtocolId.ConsensusRpcCompressed;
    private readonly ITestOutputHelper _output;

    public TcpRpcStressTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Atomic_rpcs_across_reconnect_flips_never_get_UnsupportedProtocol_and_every_call_ends()
    {
        var options = new TcpNodeOptions { CloseTimeout = TimeSpan.FromSeconds(10) };
        await using var caller = Node(options);
        caller.RegisterRpcHandler(RpcBcs, (m, _) => Task.FromResult(m.Message));
        caller.RegisterRpcHandler(RpcCompressed, (m, _) => Task.FromResult(m.Message));
        await using var server = Node(options);
        RpcHandler echo = (m, _) => Task.FromResult(new Message(m.Message.Payload.ToArray().Concat(new[] { (byte)m.Protocol }).ToArray()));
        server.RegisterRpcHandler(RpcBcs, echo);
        server.RegisterRpcHandler(RpcCompressed, echo);
        await server.ConnectAsync(caller.LocalEndPoint, caller.PeerId).Within();
        await WaitUntilAsync(() => caller.PeersAndMetadata.TryGetMetadataForPeer(Peer(server), out _), "the caller records the server");
        using var client = caller.CreateClient(new[] { ProtocolId.ConsensusDirectSendBcs }, new[] { RpcCompressed, RpcBcs });
        var failures = new ConcurrentDictionary<SendFailure, long>();
        long attempts = 0, ok = 0, reconnects = 0, wrongEcho = 0;
        using var stop = new CancellationTokenSource();

        var churner = Task.Run(async () =>
        {
            var announcesCompressed = true;
            while (!stop.IsCancellationRequested)
            {
                if (announcesCompressed)
                {
                    server.RemoveHandler(RpcCompressed);
                }
                else
                {
                    server.RegisterRpcHandler(RpcCompressed, echo);
                }

                announcesCompressed = !announcesCompressed;
                await server.ConnectAsync(caller.LocalEndPoint, caller.PeerId);
                Interlocked.Increment(ref reconnects);
                await Task.Delay(15);
            }
        });

        var callers = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref attempts);
                var payload = BitConverter.GetBytes(i++);
                try
                {
                    var response = await client.SendToPeerRpcAsync(new Message(payload), TimeSpan.FromSeconds(5), Peer(server));
                    Interlocked.Increment(ref ok);
                    if (!response.Payload.Span.Slice(0, 4).SequenceEqual(payload))
                    {
                        Interlocked.Increment(ref wrongEcho);
                    }
                }
                catch (PeerNetException ex)
                {
                    failures.AddOrUpdate(ex.Failure, 1, (_, n) => n + 1);
                }
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(2));
        stop.Cancel();
        await Task.WhenAll(callers).Within(TimeSpan.FromSeconds(30));
        await churner.Within();
        var s = server.Statistics;
        _output.WriteLine(
            $"atomic RPC: attempts={attempts} ok={ok} failed={failures.Values.Sum()} [{string.Join(", ", failures.Select(e => $"{e.Key}={e.Value}"))}] " +
            $"server: handled={s.RpcHandled} unsupported={s.RpcUnsupportedProtocol} replies undeliverable={s.RpcRepliesUndeliverable}; " +
            $"caller: failed on close={caller.Statistics.RpcsFailedOnClose} late replies={caller.Statistics.LateRpcReplies}; reconnects={reconnects}");

        Assert.True(reconnects >= 10, $"the churn ran ({reconnects})");
        Assert.True(ok > 100, $"RPCs went through ({ok})");
        Assert.Equal(attempts, ok + failures.Values.Sum());
        Assert.Equal(0, wrongEcho);
        Assert.Equal(0, s.RpcUnsupportedProtocol);
        Assert.False(failures.ContainsKey(SendFailure.UnsupportedProtocol));
        Assert.False(failures.ContainsKey(SendFailure.Timeout));
        Assert.All(failures.Keys, k => Assert.Contains(k, new[] { SendFailure.PeerNotConnected, SendFailure.ConnectionReplaced, SendFailure.Closed, SendFailure.QueueFull }));

        // Graceful closes let handled requests answer: every request the server handled was answered to its caller, so
        // a failed RPC was never executed (no close timed out, so nothing was aborted).
        Assert.Equal(0, s.CloseTimeouts + caller.Statistics.CloseTimeouts);
        Assert.Equal(ok, s.RpcHandled);
        // Closed also covers RPCs refused before they were sent (their connection closed between the snapshot read and the hand-over).
        Assert.True(caller.Statistics.RpcsFailedOnClose <= failures.GetValueOrDefault(SendFailure.Closed));
    }
}
