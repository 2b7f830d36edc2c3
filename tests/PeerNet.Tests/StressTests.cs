using System.Diagnostics;
using PeerNet.Transport;
using PeerNet.Transport.InMemory;
using Xunit.Abstractions;

namespace PeerNet.Tests;

/// <summary>
/// Rolling upgrade with rollback under load: validators keep reconnecting, flipping between a
/// ConsensusDirectSendBcs-only and a ConsensusDirectSendCompressed-only protocol set, while several sender
/// tasks send to them continuously with preferences [Compressed, Bcs], through one of three paths: naive
/// (GetPreferredProtocolForPeer then raw SendTo), checked (snapshot, protocol from it, IsCurrent, then raw SendTo:
/// the check-then-act PN0002 reports) or atomic (TrySendWithCurrentProtocol). Raw sends are queued per peer id and
/// routed when dequeued, as in Aptos, so a version check does not help.
/// </summary>
[Collection(SerialCollection.Name)]
public class StressTests
{
    private static readonly ProtocolId[] Preferences = { ProtocolId.ConsensusDirectSendCompressed, ProtocolId.ConsensusDirectSendBcs };
    private readonly ITestOutputHelper _output;

    public StressTests(ITestOutputHelper output) => _output = output;

    internal enum SendPath
    {
        Naive,
        Checked,
        Atomic,
    }

    // A checked send retries a stale snapshot this many times, then reports "StaleSnapshot".
    private const int CheckedAttempts = 100;

    internal sealed record Figures(
        string Path,
        long Attempts,
        long Accepted,
        long Failed,
        long Delivered,
        long UnknownProtocol,
        long DroppedInQueue,
        long Reconnects,
        IReadOnlyDictionary<string, long> FailuresByReason)
    {
        public override string ToString() =>
            $"{Path}: attempts={Attempts} accepted={Accepted} delivered={Delivered} unknown-protocol drops={UnknownProtocol} " +
            $"dropped in outbound queue={DroppedInQueue} reported failures={Failed} [{string.Join(", ", FailuresByReason.Select(e => $"{e.Key}={e.Value}"))}] reconnects={Reconnects}";
    }

    internal static Task<Figures> RunAsync(bool atomic, TimeSpan duration, int validatorCount = 8, int senderCount = 3) =>
        RunAsync(atomic ? SendPath.Atomic : SendPath.Naive, duration, validatorCount, senderCount);

    internal static async Task<Figures> RunAsync(SendPath path, TimeSpan duration, int validatorCount = 8, int senderCount = 3)
    {
        using var network = new InMemoryNetwork(NetworkId.Validator);
        var sender = network.AddNode();
        sender.RegisterDirectSendHandler(ProtocolId.ConsensusDirectSendBcs, _ => { });
        sender.RegisterDirectSendHandler(ProtocolId.ConsensusDirectSendCompressed, _ => { });
        long delivered = 0;
        DirectSendHandler count = _ => Interlocked.Increment(ref delivered);
        var validators = new InMemoryNode[validatorCount];
        for (var i = 0; i < validatorCount; i++)
        {
            validators[i] = network.AddNode();
            validators[i].RegisterDirectSendHandler(ProtocolId.ConsensusDirectSendBcs, count);
            validators[i].Connect(sender);
        }

        using var client = sender.CreateClient(Preferences, new[] { ProtocolId.ConsensusRpcBcs });
        var peers = validators.Select(v => new PeerNetworkId(NetworkId.Validator, v.PeerId)).ToArray();
        using var stopChurn = new CancellationTokenSource();
        using var stopSend = new CancellationTokenSource();
        long reconnects = 0;

        // Two churners, each owning half of the validators: reconnect with the other protocol set, back to back.
        // Busy loops run on dedicated threads so that the connections' reader tasks keep the thread pool.
        var churners = Enumerable.Range(0, 2).Select(c => LongRunning(() =>
        {
            var mine = validators.Where((_, i) => i % 2 == c).ToArray();
            while (!stopChurn.IsCancellationRequested)
            {
                foreach (var v in mine)
                {
                    var old = v.AnnouncedProtocols.Contains(ProtocolId.ConsensusDirectSendBcs) ? ProtocolId.ConsensusDirectSendBcs : ProtocolId.ConsensusDirectSendCompressed;
                    var next = old == ProtocolId.ConsensusDirectSendBcs ? ProtocolId.ConsensusDirectSendCompressed : ProtocolId.ConsensusDirectSendBcs;
                    v.RemoveHandler(old);
                    v.RegisterDirectSendHandler(next, count);
                    v.Connect(sender);
                    Interlocked.Increment(ref reconnects);
                }
            }
        })).ToArray();

        var failures = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        var senders = Enumerable.Range(0, senderCount).Select(s => LongRunning(() =>
        {
            long attempts = 0, accepted = 0, failed = 0;
            var message = new Message(new byte[] { (byte)s });
            var rawSender = client.GetSenderForNetwork(NetworkId.Validator);
            var i = s;
            while (!stopSend.IsCancellationRequested)
            {
                // Back pressure like an application would apply it: stay under the per-peer outbound queue (1,024).
                var backoff = default(SpinWait);
                while (network.PendingMessages > 768 && !stopSend.IsCancellationRequested)
                {
                    backoff.SpinOnce(sleep1Threshold: 20);
                }

                var peer = peers[i++ % peers.Length];
                attempts++;
                if (path == SendPath.Atomic)
                {
                    if (client.TrySendWithCurrentProtocol(peer, message, out var failure))
                    {
                        accepted++;
                    }
                    else
                    {
                        failed++;
                        failures.AddOrUpdate(failure.ToString(), 1, (_, n) => n + 1);
                    }
                }
                else if (path == SendPath.Naive)
                {
                    try
                    {
#pragma warning disable PN0001 // deliberately the racy read-then-send pattern the atomic API replaces
                        var protocol = client.GetPreferredProtocolForPeer(peer, Preferences);
                        rawSender.SendTo(peer.PeerId, protocol, message);
#pragma warning restore PN0001
                        accepted++;
                    }
                    catch (PeerNetException ex)
                    {
                        failed++;
                        failures.AddOrUpdate(ex.Failure.ToString(), 1, (_, n) => n + 1);
                    }
                }
                else
                {
                    string? failure = "StaleSnapshot";
                    try
                    {
                        var store = client.PeersAndMetadata;
                        for (var attempt = 0; attempt < CheckedAttempts; attempt++)
                        {
#pragma warning disable PN0001, PN0002 // deliberately the check-then-act pattern PN0002 reports: the check does not bind the send
                            var snapshot = store.GetSnapshot();
                            var announced = snapshot.GetMetadataForPeer(peer).SupportedProtocols;
                            var protocol = announced.Contains(Preferences[0]) ? Preferences[0] : Preferences[1];
                            if (store.IsCurrent(snapshot.Version))
                            {
                                rawSender.SendTo(peer.PeerId, protocol, message);
                                failure = null;
                                break;
                            }
#pragma warning restore PN0001, PN0002
                        }
                    }
                    catch (PeerNetException ex)
                    {
                        failure = ex.Failure.ToString();
                    }

                    if (failure is null)
                    {
                        accepted++;
                    }
                    else
                    {
                        failed++;
                        failures.AddOrUpdate(failure, 1, (_, n) => n + 1);
                    }
                }
            }

            return (attempts, accepted, failed);
        })).ToArray();

        await Task.Delay(duration);
        stopSend.Cancel();
        var results = await Task.WhenAll(senders);
        stopChurn.Cancel();
        await Task.WhenAll(churners);
        await network.WaitForIdleAsync(TimeSpan.FromSeconds(30));

        var stats = network.Statistics;
        Assert.Equal(0, stats.DirectSendHandlerErrors);
        Assert.Equal(Interlocked.Read(ref delivered), stats.DirectSendDelivered);
        return new Figures(
            path switch
            {
                SendPath.Atomic => "atomic TrySendWithCurrentProtocol",
                SendPath.Checked => "checked snapshot + IsCurrent + SendTo",
                _ => "naive GetPreferredProtocolForPeer + SendTo",
            },
            results.Sum(r => r.attempts),
            results.Sum(r => r.accepted),
            results.Sum(r => r.failed),
            Interlocked.Read(ref delivered),
            stats.DirectSendUnknownProtocol,
            stats.OutboundQueueDropped,
            Interlocked.Read(ref reconnects),
            failures.OrderBy(e => e.Key).ToDictionary(e => e.Key, e => e.Value));
    }

    private static Task LongRunning(Action body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static Task<T> LongRunning<T>(Func<T> body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    [Fact]
    public async Task Atomic_sends_never_reach_a_connection_that_did_not_announce_their_protocol()
    {
        var f = await RunAsync(SendPath.Atomic, TimeSpan.FromSeconds(3));
        _output.WriteLine(f.ToString());

        Assert.True(f.Reconnects > 1_000, $"too little churn to mean anything: {f}");
        Assert.True(f.Accepted > 10_000, $"too few messages sent: {f}");
        Assert.Equal(0, f.UnknownProtocol);
        Assert.Equal(0, f.DroppedInQueue); // the atomic path never goes through the per-peer outbound queue
        Assert.Equal(f.Attempts, f.Delivered + f.Failed); // every message delivered or reported, none lost
        Assert.Equal(f.Accepted, f.Delivered);
    }

    [Fact]
    public async Task Naive_read_then_send_drops_messages_as_unknown_protocol()
    {
        var f = await RunAsync(SendPath.Naive, TimeSpan.FromSeconds(3));
        _output.WriteLine(f.ToString());

        Assert.True(f.Reconnects > 1_000, $"too little churn to mean anything: {f}");
        Assert.True(f.UnknownProtocol > 0, $"the harness did not reproduce the race: {f}");
        Assert.Equal(f.Attempts, f.Delivered + f.UnknownProtocol + f.DroppedInQueue + f.Failed);
        Assert.Equal(f.Accepted, f.Delivered + f.UnknownProtocol + f.DroppedInQueue);
    }

    [Fact]
    public async Task A_version_check_before_a_raw_send_does_not_close_the_race()
    {
        var f = await RunAsync(SendPath.Checked, TimeSpan.FromSeconds(3));
        _output.WriteLine(f.ToString());

        Assert.True(f.Reconnects > 1_000, $"too little churn to mean anything: {f}");
        Assert.True(f.Accepted > 1_000, $"too few checked sends passed their version check: {f}");
        Assert.True(f.UnknownProtocol > 0, $"the checked path dropped nothing: the harness did not reproduce the queued race: {f}");
        Assert.Equal(f.Attempts, f.Delivered + f.UnknownProtocol + f.DroppedInQueue + f.Failed);
        Assert.Equal(f.Accepted, f.Delivered + f.UnknownProtocol + f.DroppedInQueue);
    }
    [Fact]
    public async Task Atomic_rpcs_under_churn_never_hit_an_unsupported_protocol_or_a_timeout()
    {
        var rpcPrefs = new[] { ProtocolId.ConsensusRpcCompressed, ProtocolId.ConsensusRpcBcs };
        using var network = new InMemoryNetwork(NetworkId.Validator);
        var caller = network.AddNode();
        foreach (var p in rpcPrefs)
        {
            caller.RegisterRpcHandler(p, (m, _) => Task.FromResult(m.Message));
        }

        RpcHandler echo = (m, _) => Task.FromResult(new Message(new[] { (byte)m.Protocol }));
        var validators = Enumerable.Range(0, 4).Select(_ => network.AddNode()).ToArray();
        foreach (var v in validators)
        {
            v.RegisterRpcHandler(ProtocolId.ConsensusRpcBcs, echo);
            v.Connect(caller);
        }

        using var client = caller.CreateClient(Preferences, rpcPrefs);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var churn = LongRunning(() =>
        {
            long n = 0;
            while (!stop.IsCancellationRequested)
            {
                foreach (var v in validators)
                {
                    var hasBcs = v.AnnouncedProtocols.Contains(ProtocolId.ConsensusRpcBcs);
                    v.RemoveHandler(hasBcs ? ProtocolId.ConsensusRpcBcs : ProtocolId.ConsensusRpcCompressed);
                    v.RegisterRpcHandler(hasBcs ? ProtocolId.ConsensusRpcCompressed : ProtocolId.ConsensusRpcBcs, echo);
                    v.Connect(caller);
                    n++;
                }
            }

            return n;
        });
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        var callers = Enumerable.Range(0, 8).Select(c => Task.Run(async () =>
        {
            var i = c;
            while (!stop.IsCancellationRequested)
            {
                var peer = validators[i++ % validators.Length].Id;
                string outcome;
                try
                {
                    var reply = await client.SendToPeerRpcAsync(new Message(new byte[] { 1 }), TimeSpan.FromSeconds(10), peer);
                    outcome = "ok:" + (ProtocolId)reply.Payload.Span[0];
                }
                catch (PeerNetException ex)
                {
                    outcome = ex.Failure.ToString();
                }

                outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
            }
        })).ToArray();
        await Task.WhenAll(callers);
        var reconnects = await churn;
        _output.WriteLine($"atomic RPC under churn: reconnects={reconnects} outcomes: {string.Join(", ", outcomes.OrderBy(e => e.Key).Select(e => $"{e.Key}={e.Value}"))}");

        Assert.True(reconnects > 100, $"too little churn: {reconnects}");
        Assert.True(outcomes.Where(e => e.Key.StartsWith("ok:")).Sum(e => e.Value) > 100);
        Assert.False(outcomes.ContainsKey(nameof(SendFailure.UnsupportedProtocol)));
        Assert.False(outcomes.ContainsKey(nameof(SendFailure.Timeout)));
        Assert.Equal(0, network.Statistics.RpcUnsupportedProtocol);
        Assert.All(outcomes.Keys, k => Assert.True(k.StartsWith("ok:") || k == nameof(SendFailure.ConnectionReplaced), k));
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial (timing and process-wide metrics)";
}
