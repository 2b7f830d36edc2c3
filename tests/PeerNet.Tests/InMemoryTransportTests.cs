using System.Diagnostics;
using PeerNet.Transport;
using PeerNet.Transport.InMemory;
using static PeerNet.Tests.TestData;

namespace PeerNet.Tests;

[Collection(SerialCollection.Name)]
public class InMemoryTransportTests
{
    private const ProtocolId BcsP = ProtocolId.ConsensusDirectSendBcs;
    private const ProtocolId CompressedP = ProtocolId.ConsensusDirectSendCompressed;

    private static (InMemoryNetwork Net, InMemoryNode A, InMemoryNode B, List<InboundMessage> AtB) Pair(ProtocolIdSet aProtocols, ProtocolIdSet bProtocols)
    {
        var net = new InMemoryNetwork();
        var a = net.AddNode();
        var b = net.AddNode();
        var atB = new List<InboundMessage>();
        foreach (var p in aProtocols)
        {
            a.RegisterDirectSendHandler(p, _ => { });
        }

        foreach (var p in bProtocols)
        {
            b.RegisterDirectSendHandler(p, m => { lock (atB) { atB.Add(m); } });
        }

        return (net, a, b, atB);
    }

    [Fact]
    public void Network_and_node_creation_validate_their_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryNetwork(NetworkId.Validator, 0));
        Assert.Equal("outboundQueueCapacity", Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryNetwork(NetworkId.Validator, 8, 0)).ParamName);
        using var net = new InMemoryNetwork(NetworkId.Vfn);
        var id = PeerId.Random();
        var node = net.AddNode(id);
        Assert.Equal(new PeerNetworkId(NetworkId.Vfn, id), node.Id);
        Assert.Equal(NetworkId.Vfn, node.NetworkId);
        Assert.Same(net, node.Network);
        Assert.Contains(id.ToString(), Assert.Throws<ArgumentException>(() => net.AddNode(id)).Message);
        Assert.Throws<ArgumentNullException>(() => net.AddNode(PeerId.Random(), PeerRole.Validator, null!));
        Assert.Throws<ArgumentException>(() => net.AddNode(PeerId.Random(), PeerRole.Validator, new PeersAndMetadata(NetworkId.Validator)));
        var shared = new PeersAndMetadata(NetworkId.Validator, NetworkId.Vfn);
        Assert.Same(shared, net.AddNode(PeerId.Random(), PeerRole.Upstream, shared).PeersAndMetadata);
        Assert.Equal(2, net.Nodes.Count);
        Assert.Equal(4096, net.InboundQueueCapacity);
        Assert.Equal(1024, net.OutboundQueueCapacity);
    }

    [Fact]
    public void Handlers_define_the_announced_set_and_reject_duplicates()
    {
        using var net = new InMemoryNetwork();
        var node = net.AddNode();
        Assert.True(node.AnnouncedProtocols.IsEmpty);
        node.RegisterDirectSendHandler(BcsP, _ => { });
        node.RegisterRpcHandler(ProtocolId.ConsensusRpcBcs, (m, _) => Task.FromResult(m.Message));
        Assert.Equal(ProtocolIdSet.Of(BcsP, ProtocolId.ConsensusRpcBcs), node.AnnouncedProtocols);
        Assert.Throws<ArgumentException>(() => node.RegisterDirectSendHandler(BcsP, _ => { }));
        Assert.Throws<ArgumentException>(() => node.RegisterRpcHandler(BcsP, (m, _) => Task.FromResult(m.Message)));
        Assert.Throws<ArgumentNullException>(() => node.RegisterDirectSendHandler(CompressedP, null!));
        Assert.Throws<ArgumentNullException>(() => node.RegisterRpcHandler(CompressedP, null!));
        Assert.True(node.RemoveHandler(BcsP));
        Assert.False(node.RemoveHandler(BcsP));
        Assert.Equal(ProtocolIdSet.Of(ProtocolId.ConsensusRpcBcs), node.AnnouncedProtocols);
    }

    [Fact]
    public void Connect_agrees_on_the_intersection_and_records_the_connection_on_both_sides()
    {
        var (net, a, b, _) = Pair(Both, ProtocolIdSet.Of(BcsP, ProtocolId.MempoolDirectSend));
        using var _net = net;
        var metadata = a.Connect(b);

        Assert.Equal(Bcs, metadata.ApplicationProtocols);
        Assert.Equal(b.PeerId, metadata.RemotePeerId);
        Assert.Equal(ConnectionOrigin.Outbound, metadata.Origin);
        Assert.Same(metadata, a.PeersAndMetadata.GetMetadataForPeer(b.Id).ConnectionMetadata);
        var atB = b.PeersAndMetadata.GetMetadataForPeer(a.Id).ConnectionMetadata;
        Assert.Equal(ConnectionOrigin.Inbound, atB.Origin);
        Assert.Equal(Bcs, atB.ApplicationProtocols);
        Assert.True(a.TryGetCurrentConnection(b.PeerId, out var current));
        Assert.Same(metadata, current);
        Assert.Equal(new[] { b.PeerId }, a.ConnectedPeers);
        Assert.Equal(1, a.Statistics.ConnectionsOpened);
    }

    [Fact]
    public void Connect_rejects_self_other_hubs_null_disposed_nodes_and_no_common_protocol()
    {
        var (net, a, b, _) = Pair(Bcs, Compressed);
        using var _net = net;
        using var otherNet = new InMemoryNetwork();
        var stranger = otherNet.AddNode();
        Assert.Throws<ArgumentNullException>(() => a.Connect(null!));
        Assert.Throws<ArgumentException>(() => a.Connect(a));
        Assert.Throws<ArgumentException>(() => a.Connect(stranger));
        var ex = Assert.Throws<PeerNetException>(() => a.Connect(b));
        Assert.Equal(SendFailure.NoCommonProtocol, ex.Failure);
        Assert.Contains("no common protocol", ex.Message);
        b.Dispose();
        Assert.Equal(SendFailure.Closed, Assert.Throws<PeerNetException>(() => a.Connect(b)).Failure);
    }

    [Fact]
    public async Task Connection_ids_are_unique_and_increasing_per_node_and_reconnect_replaces()
    {
        var (net, a, b, atB) = Pair(Both, Both);
        using var _net = net;
        using var sub = a.PeersAndMetadata.Subscribe();
        var c = net.AddNode();
        c.RegisterDirectSendHandler(BcsP, _ => { });
        var first = a.Connect(b);
        var toC = a.Connect(c);
        b.RemoveHandler(BcsP); // b "upgrades": Compressed only from its next handshake
        var second = b.Connect(a); // reconnect from the other side also replaces

        Assert.True(first.ConnectionId.Value < toC.ConnectionId.Value);
        var aSide = a.PeersAndMetadata.GetMetadataForPeer(b.Id).ConnectionMetadata;
        Assert.True(toC.ConnectionId.Value < aSide.ConnectionId.Value);
        Assert.Equal(Compressed, aSide.ApplicationProtocols);
        Assert.Equal(Compressed, second.ApplicationProtocols);

        Assert.Equal(SendFailure.ConnectionReplaced, a.Sender.TrySendOnConnection(b.PeerId, first.ConnectionId, BcsP, Msg(1)));
        Assert.Equal(SendFailure.ProtocolNotAnnounced, a.Sender.TrySendOnConnection(b.PeerId, aSide.ConnectionId, BcsP, Msg(2)));
        Assert.Equal(SendFailure.None, a.Sender.TrySendOnConnection(b.PeerId, aSide.ConnectionId, CompressedP, Msg(3)));
        await net.WaitForIdleAsync(TimeSpan.FromSeconds(10));
        var got = Assert.Single(atB);
        Assert.Equal(CompressedP, got.Protocol);
        Assert.Equal(a.Id, got.Sender);
        Assert.Equal(second.ConnectionId, got.ConnectionId);

        var kinds = new List<(ConnectionNotificationKind, PeerId, ConnectionId)>();
        while (sub.Reader.TryRead(out var n))
        {
            kinds.Add((n.Kind, n.Peer.PeerId, n.Metadata.ConnectionId));
        }

        Assert.Equal(
            new[]
            {
                (ConnectionNotificationKind.NewPeer, b.PeerId, first.ConnectionId),
                (ConnectionNotificationKind.NewPeer, c.PeerId, toC.ConnectionId),
                (ConnectionNotificationKind.LostPeer, b.PeerId, first.ConnectionId),
                (ConnectionNotificationKind.NewPeer, b.PeerId, aSide.ConnectionId),
            },
            kinds);
        Assert.Equal(2, a.Statistics.SendsRefused);
        Assert.Equal(1, a.Statistics.SendsAccepted);
    }

    [Fact]
    public void Disconnect_removes_the_connection_from_both_stores_and_later_sends_fail()
    {
        var (net, a, b, _) = Pair(Bcs, Bcs);
        using var _net = net;
        var m = a.Connect(b);
        Assert.True(b.Disconnect(a.PeerId));
        Assert.False(a.Disconnect(b.PeerId));
        Assert.False(a.PeersAndMetadata.TryGetMetadataForPeer(b.Id, out _));
        Assert.False(b.PeersAndMetadata.TryGetMetadataForPeer(a.Id, out _));
        Assert.Equal(SendFailure.PeerNotConnected, a.Sender.TrySendOnConnection(b.PeerId, m.ConnectionId, BcsP, Msg(1)));
        Assert.Equal(SendFailure.PeerNotConnected, a.Sender.TrySendOnConnection(PeerId.Random(), new ConnectionId(999), BcsP, Msg(1)));
        Assert.Equal(SendFailure.PeerNotConnected, Assert.Throws<PeerNetException>(() => a.Sender.SendTo(b.PeerId, BcsP, Msg(1))).Failure);
        Assert.Throws<ArgumentNullException>(() => a.Sender.TrySendOnConnection(b.PeerId, m.ConnectionId, BcsP, null!));
        Assert.Throws<ArgumentNullException>(() => a.Sender.SendTo(b.PeerId, BcsP, null!));
        Assert.Equal(1, a.Statistics.ConnectionsClosed);
    }

    [Fact]
    public async Task Messages_accepted_before_a_close_are_delivered_to_that_connections_handlers()
    {
        using var net = new InMemoryNetwork();
        var a = net.AddNode();
        var b = net.AddNode();
        a.RegisterDirectSendHandler(BcsP, _ => { });
        a.RegisterDirectSendHandler(CompressedP, _ => { });
        using var gate = new ManualResetEventSlim();
        var delivered = new List<InboundMessage>();
        b.RegisterDirectSendHandler(BcsP, m => { gate.Wait(); lock (delivered) { delivered.Add(m); } });
        var first = a.Connect(b);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(SendFailure.None, a.Sender.TrySendOnConnection(b.PeerId, first.ConnectionId, BcsP, Msg(i)));
        }

        // b rolls to Compressed only and reconnects while 50 Bcs messages wait on the old connection.
        b.RemoveHandler(BcsP);
        b.RegisterDirectSendHandler(CompressedP, m => { lock (delivered) { delivered.Add(m); } });
        b.Connect(a);
        Assert.True(net.PendingMessages > 0);
        gate.Set();
        await net.WaitForIdleAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(50, delivered.Count);
        Assert.All(delivered, m => Assert.Equal(BcsP, m.Protocol));
        Assert.Single(delivered.Select(m => m.ConnectionId).Distinct());
        Assert.Equal(0, b.Statistics.DirectSendUnknownProtocol);
        Assert.Equal(Enumerable.Range(0, 50), delivered.Select(m => BitConverter.ToInt32(m.Message.Payload.Span)));
    }

    [Fact]
    public async Task A_raw_send_routes_to_the_current_connection_and_drops_an_unannounced_protocol_as_unknown()
    {
        using var probe = new CounterProbe(PeerNetMetrics.DirectSendMessages);
        var (net, a, b, atB) = Pair(Both, Compressed);
        using var _net = net;
        a.Connect(b);
        a.Sender.SendTo(b.PeerId, BcsP, Msg(1)); // trusted as given: b's connection has no Bcs handler
        a.Sender.SendTo(b.PeerId, CompressedP, Msg(2));
        await net.WaitForIdleAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, b.Statistics.DirectSendUnknownProtocol);
        Assert.Equal(1, b.Statistics.DirectSendDelivered);
        Assert.Equal(1, net.Statistics.DirectSendUnknownProtocol);
        Assert.Equal(1, probe.Sum("state", "unknown"));
        Assert.Equal(1, probe.Sum("state", "delivered"));
        Assert.Equal(CompressedP, Assert.Single(atB).Protocol);
    }

    [Fact]
    public async Task A_raw_send_is_routed_when_dequeued_to_the_connection_current_then_without_protocol_check()
    {
        using var probe = new CounterProbe(PeerNetMetrics.DirectSendMessages);
        var (net, a, b, atB) = Pair(Both, Bcs);
        using var _net = net;
        var first = a.Connect(b);
        Assert.Equal(Bcs, first.ApplicationProtocols);

        // The protocol is right for the current connection when SendTo queues the message...
        a.PauseOutbound();
        a.Sender.SendTo(b.PeerId, BcsP, Msg(1));
        Assert.Equal(1, net.PendingMessages);
        Assert.Equal(1, a.Statistics.SendsAccepted);

        // ...then b restarts announcing Compressed only, before a's pump dequeues it.
        b.RemoveHandler(BcsP);
        b.RegisterDirectSendHandler(CompressedP, m => { lock (atB) { atB.Add(m); } });
        var second = b.Connect(a);
        Assert.Equal(Compressed, second.ApplicationProtocols);
        a.ResumeOutbound();
        await net.WaitForIdleAsync(TimeSpan.FromSeconds(10));

        // It left on the new connection, which has no Bcs handler: dropped there as unknown, not on the old one.
        Assert.Empty(atB);
        Assert.Equal(1, b.Statistics.DirectSendUnknownProtocol);
        Assert.Equal(1, probe.Sum("state", "unknown"));
        Assert.Equal(0, a.Statistics.OutboundQueueDropped);

        // A message queued after the reconnect with the new protocol reaches the new connection's handler.
        a.Sender.SendTo(b.PeerId, CompressedP, Msg(2));
        await net.WaitForIdleAsync(TimeSpan.FromSeconds(10));
        var got = Assert.Single(atB);
        Assert.Equal(CompressedP, got.Protocol);
        Assert.Equal(second.ConnectionId, got.ConnectionId);
    }

    [Fact]
    public async Task Connection_bound_and_atomic_sends_bypass_the_per_peer_outbound_queue()
    {
        var (net, a, b, atB) = Pair(Bcs, Bcs);
        using var _net = net;
        var c = a.Connect(b);
        using var client = a.CreateClient(new[] { BcsP }, Array.Empty<ProtocolId>());
        a.PauseOutbound(); // a raw send would wait here; bound sends must not
        Assert.Equal(SendFailure.None, a.Sender.TrySendOnConnection(b.PeerId, c.ConnectionId, BcsP, Msg(1)));
        Assert.True(client.TrySendWithCurrentProtocol(b.Id, Msg(2), out var failure), failure.ToString());
        await net.WaitForIdleAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, atB.Count);
        Assert.Empty(a.OutboundPumps()); // no per-peer queue was ever created

        a.Sender.SendTo(b.PeerId, BcsP, Msg(3)); // the raw send waits in the paused queue
        _ = Assert.Single(a.OutboundPumps()); // the pump task itself is not awaited here
        await Assert.ThrowsAsync<TimeoutException>(() => net.WaitForIdleAsync(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(2, atB.Count);
        a.ResumeOutbound();
        await net.WaitForIdleAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new[] { 1, 2, 3 }, atB.Select(m => BitConverter.ToInt32(m.Message.Payload.Span)));
    }

    [Fact]
    public async Task A_raw_send_dequeued_when_the_peer_has_no_connection_is_counted_and_a_raw_rpc_fails()
    {
        using var drops = new CounterProbe(InMemoryTransportMetrics.OutboundQueueDropped);
        var (net, a, b, atB) = Pair(Bcs, Bcs);
        using var _net = net;
        b.RegisterRpcHandler(ProtocolId.ConsensusRpcBcs, (m, _) => Task.FromResult(m.Message));
        a.RegisterRpcHandler(ProtocolId.ConsensusRpcBcs, (m, _) => Task.FromResult(m.Message));
        a.Connect(b);
        a.PauseOutbound();
        a.Sender.SendTo(b.PeerId, BcsP, Msg(1));
        var rpc = a.Sender.SendRpcAsync(b.PeerId, ProtocolId.ConsensusRpcBcs, Msg(2), TimeSpan.FromSeconds(60));
        Assert.Equal(2, net.PendingMessages);
        Assert.True(b.Disconnect(a.PeerId));
        var sw = Stopwatch.StartNew();
        a.ResumeOutbound();

        var ex = await Assert.ThrowsAsync<PeerNetException>(() => rpc);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), "the raw RPC waited for its timeout instead of failing");
        Assert.Equal(SendFailure.PeerNotConnected, ex.Failure);
        Assert.Contains("dropped from the outbound queue", ex.Message);
        await net.WaitForIdleAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(atB);
        Assert.Equal(2, a.Statistics.SendsAccepted);
        Assert.Equal(0, a.Statistics.SendsRefused);
        Assert.Equal(2, a.Statistics.OutboundQueueDropped);
        Assert.Equal(2, net.Statistics.OutboundQueueDropped);
        Assert.Equal(2, drops.Sum("reason", "peer_not_connected"));
        Assert.Equal(0, b.Statistics.DirectSendUnknownProtocol + b.Statistics.DirectSendDelivered + b.Statistics.RpcHandled);
    }

    [Fact]
    public async Task Disposing_a_node_ends_its_outbound_pumps_and_counts_what_they_still_held()
    {
        using var drops = new CounterProbe(InMemoryTransportMetrics.OutboundQueueDropped);
        var (net, a, b, _) = Pair(Bcs, Bcs);
        using var _net = net;
        var c = net.AddNode();
        c.RegisterDirectSendHandler(BcsP, _ => { });
        a.Connect(b);
        a.Connect(c);
        a.PauseOutbound();
        for (var i = 0; i < 3; i++)
        {
            a.Sender.SendTo(b.PeerId, BcsP, Msg(i));
            a.Sender.SendTo(c.PeerId, BcsP, Msg(i));
        }

        var pumps = a.OutboundPumps();
        Assert.Equal(2, pumps.Length);
        a.Dispose(); // also releases the pause
        await Task.WhenAll(pumps).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(pumps, p => Assert.True(p.IsCompletedSuccessfully));
        Assert.Equal(0, net.PendingMessages);
        Assert.Equal(6, a.Statistics.OutboundQueueDropped);
        Assert.Equal(6, drops.Sum("reason", "closed"));
        Assert.Equal(SendFailure.Closed, Assert.Throws<PeerNetException>(() => a.Sender.SendTo(b.PeerId, BcsP, Msg(9))).Failure);
        Assert.Equal(2, a.OutboundPumps().Length); // no new queue (nor pump) after dispose
    }

    [Fact]
    public async Task A_full_queue_refuses_the_send_with_QueueFull()
#pragma warning disable xUnit1031 // waits for a handler running on another thread, bounded
    {
        using var net = new InMemoryNetwork(NetworkId.Validator, inboundQueueCapacity: 1, outboundQueueCapacity: 1);
        var a = net.AddNode();
        var b = net.AddNode();
        a.RegisterDirectSendHandler(BcsP, _ => { });
        using var gate = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        b.RegisterDirectSendHandler(BcsP, _ => { started.Set(); gate.Wait(); });
        var m = a.Connect(b);
        Assert.Equal(SendFailure.None, a.Sender.TrySendOnConnection(b.PeerId, m.ConnectionId, BcsP, Msg(-1)));
        Assert.True(started.Wait(TimeSpan.FromSeconds(10))); // the reader holds one message; the queue (capacity 1) is empty
        var results = Enumerable.Range(0, 10).Select(i => a.Sender.TrySendOnConnection(b.PeerId, m.ConnectionId, BcsP, Msg(i))).ToList();
        Assert.Contains(SendFailure.QueueFull, results);

        // Raw sends queue in a's outbound queue for b (capacity 1); with its pump paused the second one is refused.
        a.PauseOutbound();
        a.Sender.SendTo(b.PeerId, BcsP, Msg(98));
        var full = Assert.Throws<PeerNetException>(() => a.Sender.SendTo(b.PeerId, BcsP, Msg(99)));
        Assert.Equal(SendFailure.QueueFull, full.Failure);
        Assert.Contains("outbound queue", full.Message);
        a.ResumeOutbound();
        gate.Set();
        await net.WaitForIdleAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, results.Count(r => r == SendFailure.None));
        Assert.Equal(1 + 1 + 1, b.Statistics.DirectSendDelivered); // the first bound send, the accepted one, the queued raw one
        Assert.Equal(results.Count(r => r == SendFailure.QueueFull) + 1, a.Statistics.SendsRefused);
        Assert.Equal(0, a.Statistics.OutboundQueueDropped);
    }
#pragma warning restore xUnit1031

    [Fact]
    public async Task WaitForIdleAsync_times_out_with_a_clear_error_while_messages_are_queued()
    {
        using var net = new InMemoryNetwork();
        var a = net.AddNode();
        var b = net.AddNode();
        a.RegisterDirectSendHandler(BcsP, _ => { });
        using var gate = new ManualResetEventSlim();
        b.RegisterDirectSendHandler(BcsP, _ => gate.Wait());
        a.Connect(b);
        a.Sender.SendTo(b.PeerId, BcsP, Msg(1));
        var ex = await Assert.ThrowsAsync<TimeoutException>(() => net.WaitForIdleAsync(TimeSpan.FromMilliseconds(100)));
        Assert.Contains("still queued", ex.Message);
        gate.Set();
        await net.WaitForIdleAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_handler_that_throws_is_counted_and_does_not_stop_the_connection()
    {
        var (net, a, _, _) = Pair(Bcs, ProtocolIdSet.Empty);
        using var _net = net;
        var b = net.AddNode();
        var calls = 0;
        b.RegisterDirectSendHandler(BcsP, _ => { if (Interlocked.Increment(ref calls) == 1) throw new InvalidOperationException("boom"); });
        a.Connect(b);
        a.Sender.SendTo(b.PeerId, BcsP, Msg(1));
        a.Sender.SendTo(b.PeerId, BcsP, Msg(2));
        await net.WaitForIdleAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, calls);
        Assert.Equal(1, b.Statistics.DirectSendHandlerErrors);
        Assert.Equal(2, b.Statistics.DirectSendDelivered);
    }

    [Fact]
    public async Task Rpc_round_trip_on_a_bound_connection_and_through_the_raw_path()
    {
        using var net = new InMemoryNetwork();
        var a = net.AddNode();
        var b = net.AddNode();
        a.RegisterRpcHandler(ProtocolId.ConsensusRpcBcs, (m, _) => Task.FromResult(m.Message));
        b.RegisterRpcHandler(ProtocolId.ConsensusRpcBcs, (m, _) => Task.FromResult(new Message(new byte[] { 42, (byte)m.Message.Length })));
        var c = a.Connect(b);
        var reply = await a.Sender.SendRpcOnConnectionAsync(b.PeerId, c.ConnectionId, ProtocolId.ConsensusRpcBcs, Msg(7), TimeSpan.FromSeconds(10));
        Assert.Equal(new byte[] { 42, 4 }, reply.Payload.ToArray());
        var raw = await a.Sender.SendRpcAsync(b.PeerId, ProtocolId.ConsensusRpcBcs, Msg(7), TimeSpan.FromSeconds(10));
        Assert.Equal(new byte[] { 42, 4 }, raw.Payload.ToArray());
        Assert.Equal(2, b.Statistics.RpcHandled);
    }

    [Fact]
    public async Task Rpc_for_a_protocol_without_handler_gets_an_unsupported_protocol_error_not_a_timeout()
    {
        using var net = new InMemoryNetwork();
        var a = net.AddNode();
        var b = net.AddNode();
        a.RegisterRpcHandler(ProtocolId.ConsensusRpcBcs, (m, _) => Task.FromResult(m.Message));
        a.RegisterRpcHandler(ProtocolId.ConsensusRpcCompressed, (m, _) => Task.FromResult(m.Message));
        b.RegisterRpcHandler(ProtocolId.ConsensusRpcBcs, (m, _) => Task.FromResult(m.Message));
        a.Connect(b);
        var sw = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<PeerNetException>(() => a.Sender.SendRpcAsync(b.PeerId, ProtocolId.ConsensusRpcCompressed, Msg(1), TimeSpan.FromSeconds(30)));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), "the caller waited instead of getting an error reply");
        Assert.Equal(SendFailure.UnsupportedProtocol, ex.Failure);
        Assert.Contains("unsupported protocol", ex.Message);
        Assert.Equal(b.Id, ex.Peer);
        Assert.Equal(1, b.Statistics.RpcUnsupportedProtocol);
    }

    [Fact]
    public async Task Bound_rpc_refuses_unannounced_protocols_replaced_connections_and_bad_input()
    {
        using var net = new InMemoryNetwork();
        var a = net.AddNode();
        var b = net.AddNode();
        a.RegisterRpcHandler(ProtocolId.ConsensusRpcBcs, (m, _) => Task.FromResult(m.Message));
        b.RegisterRpcHandler(ProtocolId.ConsensusRpcBcs, (m, _) => Task.FromResult(m.Message));
        var first = a.Connect(b);
        var ex = await Assert.ThrowsAsync<PeerNetException>(() => a.Sender.SendRpcOnConnectionAsync(b.PeerId, first.ConnectionId, ProtocolId.ConsensusRpcCompressed, Msg(1), TimeSpan.FromSeconds(5)));
        Assert.Equal(SendFailure.ProtocolNotAnnounced, ex.Failure);
        a.Connect(b);
        ex = await Assert.ThrowsAsync<PeerNetException>(() => a.Sender.SendRpcOnConnectionAsync(b.PeerId, first.ConnectionId, ProtocolId.ConsensusRpcBcs, Msg(1), TimeSpan.FromSeconds(5)));
        Assert.Equal(SendFailure.ConnectionReplaced, ex.Failure);
        await Assert.ThrowsAsync<ArgumentNullException>(() => a.Sender.SendRpcOnConnectionAsync(b.PeerId, first.ConnectionId, ProtocolId.ConsensusRpcBcs, null!, TimeSpan.FromSeconds(5)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => a.Sender.SendRpcOnConnectionAsync(b.PeerId, first.ConnectionId, ProtocolId.ConsensusRpcBcs, Msg(1), TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentNullException>(() => a.Sender.SendRpcAsync(b.PeerId, ProtocolId.ConsensusRpcBcs, null!, TimeSpan.FromSeconds(5)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => a.Sender.SendRpcAsync(b.PeerId, ProtocolId.ConsensusRpcBcs, Msg(1), TimeSpan.FromSeconds(-2)));
        Assert.Equal(SendFailure.PeerNotConnected, (await Assert.ThrowsAsync<PeerNetException>(() => a.Sender.SendRpcAsync(PeerId.Random(), ProtocolId.ConsensusRpcBcs, Msg(1), TimeSpan.FromSeconds(5)))).Failure);
    }

    [Fact]
    public async Task Rpc_timeout_throws_PeerNetException_Timeout_and_cancels_the_handler()
    {
        using var net = new InMemoryNetwork();
        var a = net.AddNode();
        var b = net.AddNode();
        a.RegisterRpcHandler(ProtocolId.ConsensusRpcBcs, (m, _) => Task.FromResult(m.Message));
        var handlerCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        b.RegisterRpcHandler(ProtocolId.ConsensusRpcBcs, async (m, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                handlerCancelled.TrySetResult();
                throw;
            }

            return m.Message;
        });
        var c = a.Connect(b);
        var ex = await Assert.ThrowsAsync<PeerNetException>(() => a.Sender.SendRpcOnConnectionAsync(b.PeerId, c.ConnectionId, ProtocolId.ConsensusRpcBcs, Msg(1), TimeSpan.FromMilliseconds(100)));
        Assert.Equal(SendFailure.Timeout, ex.Failure);
        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.Contains("no answer within", ex.Message);
        await handlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a.Sender.SendRpcAsync(b.PeerId, ProtocolId.ConsensusRpcBcs, Msg(1), TimeSpan.FromSeconds(30), cts.Token));
    }

    [Fact]
    public async Task Rpc_handler_failure_comes_back_as_RemoteError()
    {
        using var net = new InMemoryNetwork();
        var a = net.AddNode();
        var b = net.AddNode();
        a.RegisterRpcHandler(ProtocolId.ConsensusRpcBcs, (m, _) => Task.FromResult(m.Message));
        b.RegisterRpcHandler(ProtocolId.ConsensusRpcBcs, (_, _) => throw new InvalidOperationException("handler exploded"));
        a.Connect(b);
        var ex = await Assert.ThrowsAsync<PeerNetException>(() => a.Sender.SendRpcAsync(b.PeerId, ProtocolId.ConsensusRpcBcs, Msg(1), TimeSpan.FromSeconds(10)));
        Assert.Equal(SendFailure.RemoteError, ex.Failure);
        Assert.Contains("handler exploded", ex.Message);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
    }

    [Fact]
    public void Disposing_a_node_closes_its_connections_and_refuses_later_sends()
    {
        var (net, a, b, _) = Pair(Bcs, Bcs);
        var m = a.Connect(b);
        a.Dispose();
        a.Dispose();
        Assert.True(a.IsDisposed);
        Assert.False(b.PeersAndMetadata.TryGetMetadataForPeer(a.Id, out _));
        Assert.False(a.PeersAndMetadata.TryGetMetadataForPeer(b.Id, out _));
        Assert.Equal(SendFailure.Closed, a.Sender.TrySendOnConnection(b.PeerId, m.ConnectionId, BcsP, Msg(1)));
        Assert.Equal(SendFailure.Closed, Assert.Throws<PeerNetException>(() => a.Sender.SendTo(b.PeerId, BcsP, Msg(1))).Failure);
        net.Dispose();
        Assert.True(b.IsDisposed);
    }
    [Fact]
    public async Task Refused_sends_and_rpc_outcomes_are_counted_as_metrics()
    {
        using var failures = new CounterProbe(PeerNetMetrics.SendFailures);
        using var rpcs = new CounterProbe(PeerNetMetrics.RpcRequests);
        using var net = new InMemoryNetwork();
        var a = net.AddNode();
        var b = net.AddNode();
        a.RegisterRpcHandler(ProtocolId.ConsensusRpcBcs, (m, _) => Task.FromResult(m.Message));
        a.RegisterRpcHandler(ProtocolId.ConsensusRpcCompressed, (m, _) => Task.FromResult(m.Message));
        b.RegisterRpcHandler(ProtocolId.ConsensusRpcBcs, (m, _) => Task.FromResult(m.Message));
        var c = a.Connect(b);
        Assert.Equal(SendFailure.ProtocolNotAnnounced, a.Sender.TrySendOnConnection(b.PeerId, c.ConnectionId, BcsP, Msg(1)));
        Assert.Equal(SendFailure.PeerNotConnected, a.Sender.TrySendOnConnection(PeerId.Random(), c.ConnectionId, BcsP, Msg(1)));
        await a.Sender.SendRpcAsync(b.PeerId, ProtocolId.ConsensusRpcBcs, Msg(1), TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<PeerNetException>(() => a.Sender.SendRpcAsync(b.PeerId, ProtocolId.ConsensusRpcCompressed, Msg(1), TimeSpan.FromSeconds(10)));

        Assert.Equal(1, failures.Sum("reason", nameof(SendFailure.ProtocolNotAnnounced)));
        Assert.Equal(1, failures.Sum("reason", nameof(SendFailure.PeerNotConnected)));
        Assert.Equal(1, rpcs.Sum("state", "handled"));
        Assert.Equal(1, rpcs.Sum("state", "unsupported"));
        Assert.Equal(2, a.Statistics.SendsRefused);
    }

    [Fact]
    public async Task Handshakes_racing_with_handler_changes_never_agree_on_a_protocol_without_handler()
    {
        using var net = new InMemoryNetwork();
        var a = net.AddNode();
        a.RegisterDirectSendHandler(BcsP, _ => { });
        a.RegisterDirectSendHandler(CompressedP, _ => { });
        var b = net.AddNode();
        b.RegisterDirectSendHandler(ProtocolId.MempoolDirectSend, _ => { }); // keeps a common protocol at all times
        a.RegisterDirectSendHandler(ProtocolId.MempoolDirectSend, _ => { });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var toggler = Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                b.RemoveHandler(BcsP);
                b.RegisterDirectSendHandler(BcsP, _ => { });
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var sends = 0;
        while (!stop.IsCancellationRequested)
        {
            var m = a.Connect(b);
            if (m.ApplicationProtocols.Contains(BcsP))
            {
                var r = a.Sender.TrySendOnConnection(b.PeerId, m.ConnectionId, BcsP, Msg(1));
                Assert.True(r is SendFailure.None or SendFailure.ConnectionReplaced, r.ToString());
                sends++;
            }
        }

        await toggler;
        await net.WaitForIdleAsync(TimeSpan.FromSeconds(10));
        Assert.True(sends > 0);
        Assert.Equal(0, b.Statistics.DirectSendUnknownProtocol);
    }
}
