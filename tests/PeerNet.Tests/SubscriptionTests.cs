using System.Diagnostics;
using System.Threading.Channels;
using static PeerNet.Tests.TestData;

namespace PeerNet.Tests;

public class SubscriptionTests
{
    private static List<ConnectionNotification> DrainAvailable(PeersAndMetadataSubscription s)
    {
        var list = new List<ConnectionNotification>();
        while (s.Reader.TryRead(out var n))
        {
            list.Add(n);
        }

        return list;
    }

    [Fact]
    public void Subscribe_replays_current_peers_as_NewPeer()
    {
        var store = new PeersAndMetadata(NetworkId.Validator, NetworkId.Vfn);
        var a = Validator(PeerId.Random());
        var b = new PeerNetworkId(NetworkId.Vfn, PeerId.Random());
        store.InsertConnectionMetadata(a, Meta(a.PeerId, 1, Bcs));
        store.InsertConnectionMetadata(b, Meta(b.PeerId, 2, Both));

        using var sub = store.Subscribe(capacity: 1);

        Assert.Equal(2, sub.ReplayCount);
        Assert.Equal(store.CurrentVersion, sub.ReplayVersion);
        Assert.Equal(1, sub.Capacity);
        var replay = DrainAvailable(sub);
        Assert.All(replay, n => Assert.Equal(ConnectionNotificationKind.NewPeer, n.Kind));
        Assert.All(replay, n => Assert.Equal(new SnapshotVersion(2), n.Version));
        Assert.Equal(new[] { a, b }.ToHashSet(), replay.Select(n => n.Peer).ToHashSet());
        Assert.False(sub.IsOverflowed); // the replay never counts against the capacity
        Assert.Equal(1, store.SubscriberCount);
    }

    [Fact]
    public void Replacement_sends_LostPeer_old_then_NewPeer_new_and_removal_sends_LostPeer()
    {
        var store = new PeersAndMetadata(NetworkId.Validator);
        var peer = Validator(PeerId.Random());
        using var sub = store.Subscribe();
        var first = Meta(peer.PeerId, 1, Bcs);
        var second = Meta(peer.PeerId, 2, Compressed);
        store.InsertConnectionMetadata(peer, first);
        store.InsertConnectionMetadata(peer, second);
        Assert.False(store.RemovePeerMetadata(peer, first.ConnectionId)); // stale: no notification
        Assert.True(store.RemovePeerMetadata(peer, second.ConnectionId));

        var got = DrainAvailable(sub);
        Assert.Equal(
            new[]
            {
                new ConnectionNotification(ConnectionNotificationKind.NewPeer, peer, first, new SnapshotVersion(1)),
                new ConnectionNotification(ConnectionNotificationKind.LostPeer, peer, first, new SnapshotVersion(2)),
                new ConnectionNotification(ConnectionNotificationKind.NewPeer, peer, second, new SnapshotVersion(2)),
                new ConnectionNotification(ConnectionNotificationKind.LostPeer, peer, second, new SnapshotVersion(3)),
            },
            got);
    }

    [Fact]
    public void Subscribe_accepts_the_largest_capacity_with_a_replay()
    {
        var store = new PeersAndMetadata(NetworkId.Validator);
        var peer = Validator(PeerId.Random());
        store.InsertConnectionMetadata(peer, Meta(peer.PeerId, 1, Bcs));
        using var sub = store.Subscribe(int.MaxValue);
        Assert.Equal(peer, Assert.Single(DrainAvailable(sub)).Peer);
    }

    [Fact]
    public void Subscribe_rejects_a_capacity_below_one()
    {
        var store = new PeersAndMetadata(NetworkId.Validator);
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Subscribe(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Subscribe(-5));
    }

    [Fact]
    public async Task Dispose_completes_the_reader_and_unregisters_idempotently()
    {
        var store = new PeersAndMetadata(NetworkId.Validator);
        var peer = Validator(PeerId.Random());
        var sub = store.Subscribe();
        store.InsertConnectionMetadata(peer, Meta(peer.PeerId, 1, Bcs));
        sub.Dispose();
        sub.Dispose();
        Assert.True(sub.IsDisposed);
        Assert.Equal(0, store.SubscriberCount);
        store.InsertConnectionMetadata(peer, Meta(peer.PeerId, 2, Bcs));
        var got = new List<ConnectionNotification>();
        await foreach (var n in sub.Reader.ReadAllAsync())
        {
            got.Add(n);
        }

        Assert.Single(got); // the queued one is still readable; nothing after disposal
        await sub.Reader.Completion;
        Assert.Equal(0, sub.Dropped);
        Assert.False(sub.IsOverflowed);
    }

    [Fact]
    public async Task A_slow_subscriber_never_blocks_writers_and_overflows_loudly()
    {
        using var probe = new CounterProbe(PeerNetMetrics.SubscriptionDroppedNotifications);
        var store = new PeersAndMetadata(NetworkId.Validator);
        var peer = Validator(PeerId.Random());
        using var slow = store.Subscribe(capacity: 4);
        using var fast = store.Subscribe(capacity: 100_000);

        // 1 NewPeer + 2 per replacement = 1 + 2 * 9_999 notifications; the slow subscriber never reads.
        var sw = Stopwatch.StartNew();
        var writer = Task.Run(() =>
        {
            for (ulong i = 1; i <= 10_000; i++)
            {
                store.InsertConnectionMetadata(peer, Meta(peer.PeerId, i, (i & 1) == 0 ? Bcs : Compressed));
            }
        });
        await writer.WaitAsync(TimeSpan.FromSeconds(20)); // TimeoutException if a slow subscriber blocked the writer
        const long total = 1 + 2 * 9_999;

        Assert.True(slow.IsOverflowed);
        Assert.Equal(total - 4, slow.Dropped);
        Assert.Equal(total - 4, probe.Sum());
        Assert.False(fast.IsOverflowed);
        Assert.Equal(total, DrainAvailable(fast).Count);

        // The slow subscriber reads what fit, then learns it fell behind (never a silent end).
        var delivered = 0;
        var ex = await Assert.ThrowsAsync<SubscriptionOverflowException>(async () =>
        {
            await foreach (var _ in slow.Reader.ReadAllAsync())
            {
                delivered++;
            }
        });
        Assert.Equal(4, delivered);
        Assert.Equal(4, ex.Capacity);
        Assert.Equal(total - 4, ex.MissedNotifications);
        Assert.Contains($"{total - 4} notification(s) have been missed", ex.Message);
        Assert.Contains("Subscribe again", ex.Message);
        Assert.Equal(new SnapshotVersion(3), ex.FirstMissedVersion); // v1 NewPeer, v2 Lost+New, v3 Lost (5th) missed
        var closed = await Assert.ThrowsAsync<ChannelClosedException>(async () => await slow.Reader.ReadAsync());
        Assert.IsType<SubscriptionOverflowException>(closed.InnerException);
        await Assert.ThrowsAsync<SubscriptionOverflowException>(() => slow.Reader.Completion);

        // Resubscribing gives a fresh replay of the current state.
        slow.Dispose();
        using var again = store.Subscribe(capacity: 4);
        var replay = DrainAvailable(again);
        var only = Assert.Single(replay);
        Assert.Equal(new ConnectionId(10_000), only.Metadata.ConnectionId);
    }

    [Fact]
    public async Task Notifications_arrive_in_publication_order_under_concurrent_writers()
    {
        var store = new PeersAndMetadata(NetworkId.Validator);
        var peers = Enumerable.Range(0, 4).Select(_ => Validator(PeerId.Random())).ToArray();
        using var sub = store.Subscribe(capacity: 1_000_000);
        long nextId = 0;
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(() =>
        {
            var rnd = new Random(w);
            for (var i = 0; i < 3_000; i++)
            {
                var p = peers[rnd.Next(peers.Length)];
                var id = (ulong)Interlocked.Increment(ref nextId);
                store.InsertConnectionMetadata(p, Meta(p.PeerId, id, Bcs));
                if (rnd.Next(3) == 0)
                {
                    store.RemovePeerMetadata(p, new ConnectionId(id));
                }
            }
        })).ToArray();
        var reading = Task.Run(async () =>
        {
            var list = new List<ConnectionNotification>();
            while (await sub.Reader.WaitToReadAsync())
            {
                while (sub.Reader.TryRead(out var n))
                {
                    list.Add(n);
                }
            }

            return list;
        });
        await Task.WhenAll(writers);
        sub.Dispose();
        var got = await reading;
        Assert.False(sub.IsOverflowed);

        // Replaying the notifications in order must reproduce the store's final state, with versions
        // non-decreasing and every LostPeer naming exactly the connection that was current.
        var state = new Dictionary<PeerNetworkId, ConnectionId>();
        var last = default(SnapshotVersion);
        foreach (var n in got)
        {
            Assert.True(n.Version >= last, $"version {n.Version} after {last}");
            last = n.Version;
            if (n.Kind == ConnectionNotificationKind.LostPeer)
            {
                Assert.True(state.Remove(n.Peer, out var current));
                Assert.Equal(current, n.Metadata.ConnectionId);
            }
            else
            {
                Assert.False(state.ContainsKey(n.Peer), "NewPeer without LostPeer for the previous connection");
                state[n.Peer] = n.Metadata.ConnectionId;
            }
        }

        Assert.Equal(store.CurrentVersion, last);
        var final = store.GetSnapshot().GetConnectedPeers(NetworkId.Validator).ToDictionary(e => e.Key, e => e.Value.ConnectionMetadata.ConnectionId);
        Assert.Equal(final.OrderBy(e => e.Key.PeerId).ToList(), state.OrderBy(e => e.Key.PeerId).ToList());
    }
}
