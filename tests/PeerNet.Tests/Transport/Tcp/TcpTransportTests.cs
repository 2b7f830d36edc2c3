using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PeerNet.Transport.Tcp;
using static PeerNet.Tests.Transport.Tcp.TcpTestKit;

namespace PeerNet.Tests.Transport.Tcp;

[Collection(SerialCollection.Name)]
public class TcpTransportTests
{
    private const ProtocolId Bcs = ProtocolId.ConsensusDirectSendBcs;
    private const ProtocolId Compressed = ProtocolId.ConsensusDirectSendCompressed;
    private const ProtocolId Json = ProtocolId.ConsensusDirectSendJson;
    private const ProtocolId Rpc = ProtocolId.ConsensusRpcBcs;
    private const ProtocolId OtherRpc = ProtocolId.StorageServiceRpc;

    [Fact]
    public async Task Nodes_listen_on_loopback_with_an_os_assigned_port()
    {
        await using var a = Node();
        await using var b = Node();
        Assert.Equal(IPAddress.Loopback, a.LocalEndPoint.Address);
        Assert.NotEqual(0, a.LocalEndPoint.Port);
        Assert.NotEqual(a.LocalEndPoint.Port, b.LocalEndPoint.Port);
    }

    [Fact]
    public async Task Handlers_define_the_announced_set_and_reject_duplicates_and_nulls()
    {
        await using var a = Node();
        Assert.True(a.AnnouncedProtocols.IsEmpty);
        a.RegisterDirectSendHandler(Bcs, _ => { });
        a.RegisterRpcHandler(Rpc, (m, _) => Task.FromResult(m.Message));
        Assert.Equal(ProtocolIdSet.Of(Bcs, Rpc), a.AnnouncedProtocols);
        var duplicate = Assert.Throws<ArgumentException>(() => a.RegisterRpcHandler(Bcs, (m, _) => Task.FromResult(m.Message)));
        Assert.Contains(a.PeerId.ToString(), duplicate.Message);
        Assert.Contains(Bcs.ToString(), duplicate.Message);
        Assert.Equal("handler", Assert.Throws<ArgumentNullException>(() => a.RegisterDirectSendHandler(Compressed, null!)).ParamName);
        Assert.Equal("handler", Assert.Throws<ArgumentNullException>(() => a.RegisterRpcHandler(OtherRpc, null!)).ParamName);
        Assert.Equal(ProtocolIdSet.Of(Bcs, Rpc), a.AnnouncedProtocols);
        Assert.True(a.RemoveHandler(Bcs));
        Assert.False(a.RemoveHandler(Bcs));
        Assert.Equal(ProtocolIdSet.Of(Rpc), a.AnnouncedProtocols);
    }

    [Fact]
    public async Task Handshake_agrees_on_the_intersection_and_both_stores_record_it()
    {
        await using var a = Node();
        await using var b = Node();
        await using var c = Node();
        a.Record(Bcs, Compressed);
        a.RegisterRpcHandler(Rpc, (m, _) => Task.FromResult(m.Message));
        b.Record(Bcs, Json);
        b.RegisterRpcHandler(Rpc, (m, _) => Task.FromResult(m.Message));
        c.Record(Bcs);

        var ab = await a.ConnectAsync(b.LocalEndPoint, b.PeerId).Within();
        Assert.Equal(b.PeerId, ab.RemotePeerId);
        Assert.Equal(ConnectionOrigin.Outbound, ab.Origin);
        Assert.Equal(ProtocolIdSet.Of(Bcs, Rpc), ab.ApplicationProtocols);
        Assert.Equal(ab, a.PeersAndMetadata.GetMetadataForPeer(Peer(b)).ConnectionMetadata);

        await WaitUntilAsync(() => b.PeersAndMetadata.TryGetMetadataForPeer(Peer(a), out _), "b records a");
        var ba = b.PeersAndMetadata.GetMetadataForPeer(Peer(a)).ConnectionMetadata;
        Assert.Equal(ConnectionOrigin.Inbound, ba.Origin);
        Assert.Equal(ProtocolIdSet.Of(Bcs, Rpc), ba.ApplicationProtocols);
        Assert.Equal(a.PeerId, ba.RemotePeerId);

        // Connection ids are unique and increasing per node.
        var ac = await a.ConnectAsync(c.LocalEndPoint, c.PeerId).Within();
        Assert.True(ac.ConnectionId.Value > ab.ConnectionId.Value);
        Assert.Equal(ProtocolIdSet.Of(Bcs), ac.ApplicationProtocols);
        Assert.Equal(2, a.Statistics.ConnectionsOpened);
    }

    [Fact]
    public async Task Handshake_without_a_common_protocol_fails_on_both_sides_and_records_nothing()
    {
        await using var a = Node();
        await using var b = Node();
        a.Record(Bcs);
        b.Record(Json);

        var ex = await Assert.ThrowsAsync<PeerNetException>(() => a.ConnectAsync(b.LocalEndPoint, b.PeerId).Within());
        Assert.Equal(SendFailure.NoCommonProtocol, ex.Failure);
        Assert.Contains("no common protocol", ex.Message);
        await WaitUntilAsync(() => b.Statistics.HandshakesFailed == 1, "b counts the failed handshake");
        Assert.Equal(0, a.PeersAndMetadata.GetSnapshot().TotalPeerCount);
        Assert.Equal(0, b.PeersAndMetadata.GetSnapshot().TotalPeerCount);
    }

    [Fact]
    public async Task Direct_sends_reach_the_handler_of_their_protocol_on_that_connection()
    {
        await using var a = Node();
        await using var b = Node();
        a.Record(Bcs, Compressed);
        var inbox = b.Record(Bcs, Compressed);
        var ab = await a.ConnectAsync(b.LocalEndPoint, b.PeerId).Within();

        Assert.Equal(SendFailure.None, a.Sender.TrySendOnConnection(b.PeerId, ab.ConnectionId, Bcs, new Message(new byte[] { 1 })));
        Assert.Equal(SendFailure.None, a.Sender.TrySendOnConnection(b.PeerId, ab.ConnectionId, Compressed, new Message(new byte[] { 2, 2 })));
        Assert.Equal(SendFailure.None, a.Sender.TrySendOnConnection(b.PeerId, ab.ConnectionId, Bcs, new Message(new byte[] { 3 })));

        await WaitUntilAsync(() => inbox.Messages.Count == 3, "three messages are delivered");
        var received = inbox.Messages.ToArray();
        Assert.Equal(new[] { Bcs, Compressed, Bcs }, received.Select(m => m.Protocol));
        Assert.Equal(new byte[] { 2, 2 }, received[1].Message.Payload.ToArray());
        Assert.All(received, m => Assert.Equal(Peer(a), m.Sender));
        var ba = b.PeersAndMetadata.GetMetadataForPeer(Peer(a)).ConnectionMetadata.ConnectionId;
        Assert.All(received, m => Assert.Equal(ba, m.ConnectionId));
        Assert.Equal(3, b.Statistics.DirectSendDelivered);
        Assert.Equal(3, a.Statistics.SendsAccepted);
    }

    [Fact]
    public async Task Connection_bound_send_refuses_a_protocol_the_connection_did_not_announce_and_an_unknown_connection()
    {
        await using var a = Node();
        await using var b = Node();
        a.Record(Bcs, Json);
        var inbox = b.Record(Bcs);
        var ab = await a.ConnectAsync(b.LocalEndPoint, b.PeerId).Within();

        Assert.Equal(SendFailure.ProtocolNotAnnounced, a.Sender.TrySendOnConnection(b.PeerId, ab.ConnectionId, Json, new Message(new byte[1])));
        Assert.Equal(SendFailure.PeerNotConnected, a.Sender.TrySendOnConnection(PeerId.Random(), new ConnectionId(999), Bcs, new Message(new byte[1])));
        Assert.Equal(SendFailure.Closed, a.Sender.TrySendOnConnection(b.PeerId, new ConnectionId(ab.ConnectionId.Value + 1), Bcs, new Message(new byte[1])));
        Assert.Equal(0, a.Statistics.SendsAccepted);
        Assert.Equal(3, a.Statistics.SendsRefused);
        await Task.Delay(100);
        Assert.Empty(inbox.Messages);
    }

    [Fact]
    public async Task Rpc_round_trip_over_the_bound_sender_and_the_network_client()
    {
        await using var a = Node();
        await using var b = Node();
        a.RegisterRpcHandler(Rpc, (m, _) => Task.FromResult(m.Message));
        b.RegisterRpcHandler(Rpc, async (m, ct) =>
        {
            await Task.Yield();
            return new Message(m.Message.Payload.ToArray().Reverse().ToArray());
        });
        var ab = await a.ConnectAsync(b.LocalEndPoint, b.PeerId).Within();

        var response = await a.Sender.SendRpcOnConnectionAsync(b.PeerId, ab.ConnectionId, Rpc, new Message(new byte[] { 1, 2, 3 }), TimeSpan.FromSeconds(5)).Within();
        Assert.Equal(new byte[] { 3, 2, 1 }, response.Payload.ToArray());

        using var client = a.CreateClient(new[] { Bcs }, new[] { Rpc });
        var viaClient = await client.SendToPeerRpcAsync(new Message(new byte[] { 7, 8 }), TimeSpan.FromSeconds(5), Peer(b)).Within();
        Assert.Equal(new byte[] { 8, 7 }, viaClient.Payload.ToArray());
        Assert.Equal(2, b.Statistics.RpcHandled);
    }

    [Fact]
    public async Task Rpc_with_a_protocol_the_remote_does_not_handle_fails_with_UnsupportedProtocol_at_once()
    {
        await using var a = Node();
        await using var b = Node();
        a.RegisterRpcHandler(Rpc, (m, _) => Task.FromResult(m.Message));
        a.Record(Bcs);
        b.RegisterRpcHandler(Rpc, (m, _) => Task.FromResult(m.Message));
        b.Record(Bcs);
        await a.ConnectAsync(b.LocalEndPoint, b.PeerId).Within();

        // The raw path trusts the protocol: it reaches b, which answers with an error instead of leaving the caller to time out.
        var sw = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<PeerNetException>(() => a.Sender.SendRpcAsync(b.PeerId, OtherRpc, new Message(new byte[1]), TimeSpan.FromSeconds(30)).Within());
        sw.Stop();
        Assert.Equal(SendFailure.UnsupportedProtocol, ex.Failure);
        Assert.Contains(OtherRpc.ToString(), ex.Message);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
        Assert.Equal(1, b.Statistics.RpcUnsupportedProtocol);

        // An unknown direct-send protocol is dropped and counted by the receiver.
        using var probe = new CounterProbe(PeerNetMetrics.DirectSendMessages);
        a.Sender.SendTo(b.PeerId, Json, new Message(new byte[1]));
        await WaitUntilAsync(() => b.Statistics.DirectSendUnknownProtocol == 1, "b counts the unknown direct send");
        Assert.True(probe.Sum("state", "unknown") >= 1);
    }

    [Fact]
    public async Task Rpc_without_an_answer_fails_with_Timeout_and_a_late_answer_is_counted()
    {
        await using var a = Node();
        await using var b = Node();
        a.RegisterRpcHandler(Rpc, (m, _) => Task.FromResult(m.Message));
        var release = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.RegisterRpcHandler(Rpc, async (m, _) =>
        {
            await release.Task.WaitAsync(TimeSpan.FromSeconds(10));
            return m.Message;
        });
        var ab = await a.ConnectAsync(b.LocalEndPoint, b.PeerId).Within();

        var sw = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<PeerNetException>(() => a.Sender.SendRpcOnConnectionAsync(b.PeerId, ab.ConnectionId, Rpc, new Message(new byte[1]), TimeSpan.FromMilliseconds(200)).Within());
        Assert.Equal(SendFailure.Timeout, ex.Failure);
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(150), $"took {sw.Elapsed}");
        release.SetResult(true);
        await WaitUntilAsync(() => a.Statistics.LateRpcReplies == 1, "a counts the late answer");
    }

    [Fact]
    public async Task Pending_rpcs_fail_with_Closed_when_their_connection_closes()
    {
        await using var a = Node();
        await using var b = Node(new TcpNodeOptions { CloseTimeout = TimeSpan.FromMilliseconds(500) });
        a.RegisterRpcHandler(Rpc, (m, _) => Task.FromResult(m.Message));
        var started = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.RegisterRpcHandler(Rpc, async (m, ct) =>
        {
            started.TrySetResult(true);
            await Task.Delay(TimeSpan.FromSeconds(10), ct); // cancelled once the connection is gone (here: b's close times out)
            return m.Message;
        });
        var ab = await a.ConnectAsync(b.LocalEndPoint, b.PeerId).Within();

        var call = a.Sender.SendRpcOnConnectionAsync(b.PeerId, ab.ConnectionId, Rpc, new Message(new byte[1]), TimeSpan.FromSeconds(30));
        await started.Task.Within();
        var sw = Stopwatch.StartNew();
        Assert.True(b.Disconnect(a.PeerId));
        var ex = await Assert.ThrowsAsync<PeerNetException>(() => call.Within());
        Assert.Equal(SendFailure.Closed, ex.Failure);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
        Assert.Equal(1, a.Statistics.RpcsFailedOnClose);
        await AllClosedAsync(a, b);
        Assert.Equal(0, a.PeersAndMetadata.GetSnapshot().TotalPeerCount);
        Assert.Equal(0, b.PeersAndMetadata.GetSnapshot().TotalPeerCount);
        Assert.Equal(SendFailure.Closed, a.Sender.TrySendOnConnection(b.PeerId, ab.ConnectionId, Rpc, new Message(new byte[1])));
    }

    [Fact]
    public async Task An_rpc_in_flight_when_its_connection_is_replaced_still_gets_its_answer()
    {
        await using var a = Node();
        await using var b = Node();
        a.RegisterRpcHandler(Rpc, (m, _) => Task.FromResult(m.Message));
        var started = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.RegisterRpcHandler(Rpc, async (m, _) =>
        {
            started.TrySetResult(true);
            await release.Task.WaitAsync(TimeSpan.FromSeconds(10));
            return new Message(new byte[] { 42 });
        });
        var old = await a.ConnectAsync(b.LocalEndPoint, b.PeerId).Within();
        var call = a.Sender.SendRpcOnConnectionAsync(b.PeerId, old.ConnectionId, Rpc, new Message(new byte[1]), TimeSpan.FromSeconds(30));
        await started.Task.Within();

        // b redials: the old connection is replaced on both sides while b's handler is still working on the request.
        var fresh = await b.ConnectAsync(a.LocalEndPoint, a.PeerId).Within();
        await WaitUntilAsync(() => a.TryGetCurrentConnection(b.PeerId, out var m) && m.ConnectionId != old.ConnectionId, "a records the new connection");
        Assert.Equal(SendFailure.ConnectionReplaced, a.Sender.TrySendOnConnection(b.PeerId, old.ConnectionId, Rpc, new Message(new byte[1])));
        release.SetResult(true);

        // The graceful close waited for the handler: the answer travels on the old connection.
        var response = await call.Within();
        Assert.Equal(new byte[] { 42 }, response.Payload.ToArray());
        await WaitUntilAsync(() => a.LiveConnectionCount == 1 && b.LiveConnectionCount == 1, "the old connection finished closing");
        Assert.Equal(0, a.Statistics.RpcsFailedOnClose);
        Assert.Equal(0, b.Statistics.RpcRepliesUndeliverable);
        Assert.Equal(fresh.ConnectionId, b.PeersAndMetadata.GetMetadataForPeer(Peer(a)).ConnectionMetadata.ConnectionId);
    }

    [Fact]
    public async Task Sender_refuses_a_message_over_the_smaller_frame_limit_and_sends_nothing()
    {
        await using var a = Node();
        await using var b = Node(new TcpNodeOptions { MaxFrameSize = 64 * 1024 });
        a.Record(Bcs);
        var inbox = b.Record(Bcs);
        var ab = await a.ConnectAsync(b.LocalEndPoint, b.PeerId).Within();

        var ex = Assert.Throws<ArgumentException>(() => a.Sender.TrySendOnConnection(b.PeerId, ab.ConnectionId, Bcs, new Message(new byte[64 * 1024])));
        Assert.Contains("does not fit in a frame", ex.Message);
        Assert.Equal(0, a.Statistics.SendsAccepted);

        // Exactly at the limit (payload + 2 bytes of framing) is fine.
        Assert.Equal(SendFailure.None, a.Sender.TrySendOnConnection(b.PeerId, ab.ConnectionId, Bcs, new Message(new byte[(64 * 1024) - 2])));
        await WaitUntilAsync(() => inbox.Messages.Count == 1, "the largest allowed message is delivered");
    }

    [Fact]
    public async Task Oversize_frame_from_a_misbehaving_peer_closes_that_connection_counted_and_the_node_goes_on()
    {
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var b = Node(new TcpNodeOptions { MaxFrameSize = 64 * 1024, Log = log.Enqueue });
        var inbox = b.Record(Bcs);
        using var probe = new CounterProbe(TcpTransportMetrics.ProtocolErrors);
        var closed = new TaskCompletionSource<TcpConnectionClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.ConnectionClosed += (_, e) => closed.TrySetResult(e);

        using var raw = await RawPeer.ConnectAsync(b, ProtocolIdSet.Of(Bcs));
        await WaitUntilAsync(() => b.PeersAndMetadata.TryGetMetadataForPeer(new PeerNetworkId(NetworkId.Validator, raw.PeerId), out _), "b records the raw peer");
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (64 * 1024) + 1);
        await raw.Stream.WriteAsync(header).AsTask().Within();

        var e = await closed.Task.Within();
        Assert.Equal(TcpCloseReason.FrameTooLarge, e.Reason);
        Assert.Contains("exceeds the maximum frame size", e.Detail);
        Assert.Equal(1, b.Statistics.FramesTooLarge);
        Assert.True(probe.Sum("reason", nameof(TcpCloseReason.FrameTooLarge)) >= 1);
        Assert.Contains(log, l => l.Contains("FrameTooLarge"));
        Assert.False(b.PeersAndMetadata.TryGetMetadataForPeer(new PeerNetworkId(NetworkId.Validator, raw.PeerId), out _));
        await raw.ReadToEndOrResetAsync().Within(); // closed within the bound (control frames such as an ack or a keep-alive may come first)

        // The node goes on: a well-behaved peer connects and is served.
        await using var a = Node();
        a.Record(Bcs);
        var ab = await a.ConnectAsync(b.LocalEndPoint, b.PeerId).Within();
        Assert.Equal(SendFailure.None, a.Sender.TrySendOnConnection(b.PeerId, ab.ConnectionId, Bcs, new Message(new byte[10])));
        await WaitUntilAsync(() => inbox.Messages.Count == 1, "b still delivers");
    }

    [Fact]
    public async Task Malformed_frames_and_bad_hellos_close_the_connection_counted()
    {
        await using var b = Node();
        b.Record(Bcs);

        using (var raw = await RawPeer.ConnectAsync(b, ProtocolIdSet.Of(Bcs)))
        {
            await raw.Stream.WriteAsync(new byte[] { 1, 0, 0, 0, 99 }).AsTask().Within(); // a frame of unknown kind 99
            await WaitUntilAsync(() => b.Statistics.MalformedFrames == 1, "b counts the malformed frame");
            await raw.ReadToEndOrResetAsync().Within(); // closed within the bound (control frames such as an ack or a keep-alive may come first)
        }

        using (var garbage = new TcpClient())
        {
            await garbage.ConnectAsync(b.LocalEndPoint.Address, b.LocalEndPoint.Port).WaitAsync(Step);
            await garbage.GetStream().WriteAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray()).AsTask().Within();
            await WaitUntilAsync(() => b.Statistics.HandshakesFailed == 1, "b counts the bad hello");
        }

        Assert.Equal(0, b.PeersAndMetadata.GetSnapshot().TotalPeerCount);
        Assert.Equal(0, b.Statistics.ConnectionsOpened - b.Statistics.ConnectionsClosed);
    }

    [Fact]
    public async Task Reconnect_with_another_protocol_set_replaces_the_connection_and_the_old_ones_late_removal_is_a_no_op()
    {
        await using var a = Node();
        await using var b = Node();
        a.Record(Bcs, Compressed);
        var inbox = b.Record(Bcs, Compressed);
        var closedAtA = new System.Collections.Concurrent.ConcurrentQueue<TcpConnectionClosedEventArgs>();
        a.ConnectionClosed += (_, e) => closedAtA.Enqueue(e);

        var old = await a.ConnectAsync(b.LocalEndPoint, b.PeerId).Within();
        await WaitUntilAsync(() => b.PeersAndMetadata.TryGetMetadataForPeer(Peer(a), out _), "b records a");
        var oldAtB = b.PeersAndMetadata.GetMetadataForPeer(Peer(a)).ConnectionMetadata;
        Assert.Equal(SendFailure.None, a.Sender.TrySendOnConnection(b.PeerId, old.ConnectionId, Compressed, new Message(new byte[] { 1 })));

        // b rolls back: no Compressed handler any more, and it dials a (a restarted node dials its peers).
        Assert.True(b.RemoveHandler(Compressed));
        var newAtB = await b.ConnectAsync(a.LocalEndPoint, a.PeerId).Within();
        Assert.Equal(ProtocolIdSet.Of(Bcs), newAtB.ApplicationProtocols);
        await WaitUntilAsync(
            () => a.PeersAndMetadata.TryGetMetadataForPeer(Peer(b), out var m) && m.ConnectionMetadata.ConnectionId != old.ConnectionId,
            "a records the new connection");

        // Both ends of the old connection finish closing; only then check the stores: the late removal did nothing.
        await WaitUntilAsync(() => closedAtA.Any(e => e.Metadata.ConnectionId == old.ConnectionId), "a's end of the old connection closed");
        await WaitUntilAsync(() => a.LiveConnectionCount == 1 && b.LiveConnectionCount == 1, "only the new connection is live");
        var current = a.PeersAndMetadata.GetMetadataForPeer(Peer(b)).ConnectionMetadata;
        Assert.True(current.ConnectionId.Value > old.ConnectionId.Value);
        Assert.Equal(ProtocolIdSet.Of(Bcs), current.ApplicationProtocols);
        Assert.Equal(ConnectionOrigin.Inbound, current.Origin);
        Assert.Equal(newAtB, b.PeersAndMetadata.GetMetadataForPeer(Peer(a)).ConnectionMetadata);
        Assert.False(a.PeersAndMetadata.RemovePeerMetadata(Peer(b), old.ConnectionId));
        Assert.False(b.PeersAndMetadata.RemovePeerMetadata(Peer(a), oldAtB.ConnectionId));
        Assert.True(a.PeersAndMetadata.TryGetMetadataForPeer(Peer(b), out _));

        // The message sent on the old connection reached the old connection's Compressed handler; the old connection
        // is refused now, and the new one refuses Compressed (its handshake did not announce it).
        await WaitUntilAsync(() => inbox.Count(Compressed) == 1, "the old connection's message is delivered");
        Assert.Equal(oldAtB.ConnectionId, inbox.Messages.Single(m => m.Protocol == Compressed).ConnectionId);
        Assert.Equal(SendFailure.ConnectionReplaced, a.Sender.TrySendOnConnection(b.PeerId, old.ConnectionId, Bcs, new Message(new byte[1])));
        Assert.Equal(SendFailure.ProtocolNotAnnounced, a.Sender.TrySendOnConnection(b.PeerId, current.ConnectionId, Compressed, new Message(new byte[1])));
        Assert.Equal(0, b.Statistics.DirectSendUnknownProtocol);
    }

    [Fact]
    public async Task Messages_queued_on_a_connection_that_must_be_aborted_are_counted_as_lost_with_the_reason()
    {
        await using var a = Node(new TcpNodeOptions { OutboundQueueCapacity = 8, CloseTimeout = TimeSpan.FromMilliseconds(500) });
        a.Record(Bcs);
        using var lostProbe = new CounterProbe(TcpTransportMetrics.MessagesLostOnClose);
        var closed = new TaskCompletionSource<TcpConnectionClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        a.ConnectionClosed += (_, e) => closed.TrySetResult(e);

        // A peer that completes the handshake and then never reads.
        using var b = await RawPeer.ConnectAsync(a, ProtocolIdSet.Of(Bcs));
        await WaitUntilAsync(() => a.TryGetCurrentConnection(b.PeerId, out _), "a records the peer");
        a.TryGetCurrentConnection(b.PeerId, out var ab);

        // Fill the socket buffers and then a's queue, until the queue is full and nothing has been written for a second
        // (the writer is blocked on the socket, not merely late).
        var payload = new Message(new byte[256 * 1024]);
        var sw = Stopwatch.StartNew();
        var stableSince = TimeSpan.Zero;
        var lastWritten = -1L;
        while (true)
        {
            Assert.True(sw.Elapsed < Step, $"the writer never blocked: {a.Statistics}");
            var result = a.Sender.TrySendOnConnection(b.PeerId, ab.ConnectionId, Bcs, payload);
            if (result == SendFailure.None)
            {
                await Task.Yield();
                continue;
            }

            Assert.Equal(SendFailure.QueueFull, result);
            var written = a.Statistics.MessagesWritten;
            if (written != lastWritten)
            {
                lastWritten = written;
                stableSince = sw.Elapsed;
            }
            else if (sw.Elapsed - stableSince > TimeSpan.FromSeconds(1))
            {
                break;
            }

            await Task.Delay(10);
        }

        // A graceful close cannot flush (b does not read): after the close timeout it is aborted and the rest is counted.
        Assert.True(a.Disconnect(b.PeerId));
        var e = await closed.Task.Within();
        var stats = a.Statistics;
        Assert.True(e.TimedOut, e.ToString());
        Assert.Equal(TcpCloseReason.Disconnected, e.Reason);
        Assert.True(e.MessagesLost >= 8, $"the full queue (8) was counted as lost: {e}; {stats}");
        Assert.Equal(e.MessagesLost, stats.MessagesLostOnClose);
        Assert.Equal(stats.SendsAccepted, stats.MessagesWritten + stats.MessagesLostOnClose);
        Assert.Equal(1, stats.CloseTimeouts);
        Assert.Equal(e.MessagesLost, lostProbe.Sum("reason", nameof(TcpCloseReason.Disconnected)));
    }

    [Fact]
    public async Task Dispose_closes_every_connection_and_later_sends_fail_with_Closed()
    {
        var a = Node();
        await using var b = Node();
        a.Record(Bcs);
        var inbox = b.Record(Bcs);
        var ab = await a.ConnectAsync(b.LocalEndPoint, b.PeerId).Within();
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(SendFailure.None, a.Sender.TrySendOnConnection(b.PeerId, ab.ConnectionId, Bcs, new Message(BitConverter.GetBytes(i))));
        }

        await a.DisposeAsync().AsTask().Within();
        Assert.Equal(0, a.LiveConnectionCount);
        Assert.Equal(0, a.PendingInboundHandshakes);
        Assert.Equal(0, a.PeersAndMetadata.GetSnapshot().TotalPeerCount);
        Assert.Equal(SendFailure.Closed, a.Sender.TrySendOnConnection(b.PeerId, ab.ConnectionId, Bcs, new Message(new byte[1])));
        await Assert.ThrowsAsync<PeerNetException>(() => a.ConnectAsync(b.LocalEndPoint, b.PeerId));

        // A graceful close flushes: everything accepted was delivered.
        await WaitUntilAsync(() => inbox.Messages.Count == 100, "b got every queued message");
        Assert.Equal(0, a.Statistics.MessagesLostOnClose);
        await AllClosedAsync(b);
        Assert.Equal(0, b.PeersAndMetadata.GetSnapshot().TotalPeerCount);
        a.Dispose(); // idempotent
    }
}

[Collection(SerialCollection.Name)]
public class TcpTransportEdgeTests
{
    private const ProtocolId Bcs = ProtocolId.ConsensusDirectSendBcs;
    private const ProtocolId Compressed = ProtocolId.ConsensusDirectSendCompressed;
    private const ProtocolId Rpc = ProtocolId.ConsensusRpcBcs;

    [Fact]
    public async Task A_peer_that_never_sends_its_hello_is_dropped_after_the_handshake_timeout()
    {
        await using var b = Node(new TcpNodeOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(300) });
        b.Record(Bcs);
        using var silent = new TcpClient();
        await silent.ConnectAsync(b.LocalEndPoint.Address, b.LocalEndPoint.Port).WaitAsync(Step);
        await WaitUntilAsync(() => b.Statistics.HandshakesFailed == 1, "b gives up on the silent peer");
        Assert.Equal(0, b.Statistics.ConnectionsOpened);

        // Nothing about the node (its hello: id, role, protocols) reached an unauthenticated peer: only the close.
        var stream = silent.GetStream();
        Assert.Equal(0, await ReadUntilClosedAsync(stream).Within());
    }

    [Fact]
    public async Task Dispose_is_bounded_by_the_close_timeout_when_a_peer_never_reads_or_closes()
    {
        // The handshake timeout is long on purpose: the stuck peer's TLS handshake must complete on a loaded
        // machine, and the silent peer's pending handshake is cancelled by the dispose itself, not by this timeout.
        var a = Node(new TcpNodeOptions { CloseTimeout = TimeSpan.FromMilliseconds(300), HandshakeTimeout = TimeSpan.FromSeconds(10) });
        a.Record(Bcs);
        using var stuck = await RawPeer.ConnectAsync(a, ProtocolIdSet.Of(Bcs));
        using var silent = new TcpClient(); // and one whose handshake never completes
        await silent.ConnectAsync(a.LocalEndPoint.Address, a.LocalEndPoint.Port).WaitAsync(Step);
        await WaitUntilAsync(() => a.LiveConnectionCount == 1, "a installs the stuck peer's connection");

        var sw = Stopwatch.StartNew();
        await a.DisposeAsync().AsTask().Within();
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3), $"took {sw.Elapsed}");
        Assert.Equal(0, a.LiveConnectionCount);
        Assert.Equal(0, a.PendingInboundHandshakes);
        Assert.Equal(1, a.Statistics.CloseTimeouts);
    }

    [Fact]
    public async Task Dialing_a_listener_that_never_answers_fails_with_Timeout()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            await using var a = Node(new TcpNodeOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(300) });
            a.Record(Bcs);
            var sw = Stopwatch.StartNew();
            var ex = await Assert.ThrowsAsync<PeerNetException>(() => a.ConnectAsync((System.Net.IPEndPoint)listener.LocalEndpoint, PeerId.Random()).Within());
            Assert.Equal(SendFailure.Timeout, ex.Failure);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
            Assert.Equal(1, a.Statistics.HandshakesFailed);
            Assert.Equal(0, a.PeersAndMetadata.GetSnapshot().TotalPeerCount);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Dialing_a_closed_port_or_itself_fails_with_Closed()
    {
        await using var a = Node();
        a.Record(Bcs);
        var port = a.LocalEndPoint.Port;
        await using (var gone = Node())
        {
            port = gone.LocalEndPoint.Port;
        }

        var refused = await Assert.ThrowsAsync<PeerNetException>(() => a.ConnectAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port), PeerId.Random()).Within());
        Assert.Equal(SendFailure.Closed, refused.Failure);

        var self = await Assert.ThrowsAsync<PeerNetException>(() => a.ConnectAsync(a.LocalEndPoint, a.PeerId).Within());
        Assert.Contains("this node itself", self.Message);
        Assert.Equal(0, a.PeersAndMetadata.GetSnapshot().TotalPeerCount);
    }

    [Fact]
    public async Task Nodes_on_different_networks_do_not_connect()
    {
        await using var a = Node(new TcpNodeOptions { NetworkId = NetworkId.Validator });
        await using var b = Node(new TcpNodeOptions { NetworkId = NetworkId.Public });
        a.Record(Bcs);
        b.Record(Bcs);
        var ex = await Assert.ThrowsAsync<PeerNetException>(() => a.ConnectAsync(b.LocalEndPoint, b.PeerId).Within());
        Assert.Contains("network Public", ex.Message);
    }

    [Fact]
    public async Task A_failing_rpc_handler_is_reported_to_the_caller_as_RemoteError()
    {
        await using var a = Node();
        await using var b = Node();
        a.RegisterRpcHandler(Rpc, (m, _) => Task.FromResult(m.Message));
        b.RegisterRpcHandler(Rpc, (_, _) => throw new InvalidOperationException("boom"));
        var ab = await a.ConnectAsync(b.LocalEndPoint, b.PeerId).Within();

        var ex = await Assert.ThrowsAsync<PeerNetException>(() => a.Sender.SendRpcOnConnectionAsync(b.PeerId, ab.ConnectionId, Rpc, new Message(new byte[1]), TimeSpan.FromSeconds(30)).Within());
        Assert.Equal(SendFailure.RemoteError, ex.Failure);
        Assert.Contains("boom", ex.Message);
    }

    [Fact]
    public async Task Network_client_over_tcp_sends_atomically_with_the_preferred_protocol_of_the_current_connection()
    {
        await using var a = Node();
        await using var b = Node();
        a.Record(Bcs, Compressed);
        var inbox = b.Record(Bcs, Compressed);
        await a.ConnectAsync(b.LocalEndPoint, b.PeerId).Within();
        using var client = a.CreateClient(new[] { Compressed, Bcs }, new[] { Rpc });
        Assert.True(client.SupportsAtomicSends(NetworkId.Validator));

        client.SendToPeer(new Message(new byte[] { 1 }), Peer(b));
        await WaitUntilAsync(() => inbox.Count(Compressed) == 1, "sent with the preferred protocol");

        // b rolls back to Bcs only and redials: the client follows the new connection.
        b.RemoveHandler(Compressed);
        var fresh = await b.ConnectAsync(a.LocalEndPoint, a.PeerId).Within();
        // (Between b closing its old connection and a installing the new one, a may briefly have none.)
        await WaitUntilAsync(() => a.PeersAndMetadata.TryGetMetadataForPeer(Peer(b), out var m) && m.ConnectionMetadata.ApplicationProtocols == ProtocolIdSet.Of(Bcs), "a records the new connection");
        Assert.Equal(ProtocolIdSet.Of(Bcs), client.GetSupportedProtocols(Peer(b)));
        Assert.True(client.TrySendWithCurrentProtocol(Peer(b), new Message(new byte[] { 2 }), out var failure), failure.ToString());
        await WaitUntilAsync(() => inbox.Count(Bcs) == 1, "sent with the fallback protocol");
        Assert.Equal(fresh.ConnectionId, inbox.Messages.Single(m => m.Protocol == Bcs).ConnectionId);

        // No common protocol on the current connection is reported, not sent.
        Assert.False(client.TrySendWithCurrentProtocol(Peer(b), new[] { Compressed }, new Message(new byte[] { 3 }), out failure));
        Assert.Equal(SendFailure.NoCommonProtocol, failure);
        Assert.Equal(0, b.Statistics.DirectSendUnknownProtocol);
    }
}

[Collection(SerialCollection.Name)]
public class TcpSimultaneousDialTests
{
    private const ProtocolId Bcs = ProtocolId.ConsensusDirectSendBcs;
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public TcpSimultaneousDialTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    /// <summary>
    /// The documented resolution (new replaces old, whatever its direction) settles in one of two states: both nodes
    /// keep the same connection, or neither keeps any (each closed the one the other kept). Never a connection that
    /// one side records while the other side closed it.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Simultaneous_dials_settle_on_one_shared_connection_or_none(bool tieBreak)
    {
        await using var a = Node(new TcpNodeOptions { SimultaneousDialTieBreak = tieBreak });
        await using var b = Node(new TcpNodeOptions { SimultaneousDialTieBreak = tieBreak });
        var inboxA = a.Record(Bcs);
        var inboxB = b.Record(Bcs);
        int shared = 0, none = 0;
        for (var round = 0; round < 10; round++)
        {
            var ab = a.ConnectAsync(b.LocalEndPoint, b.PeerId);
            var ba = b.ConnectAsync(a.LocalEndPoint, a.PeerId);
            await Task.WhenAll(Quietly(ab), Quietly(ba)).Within();
            await SettledAsync(a, b);

            var aHas = a.TryGetCurrentConnection(b.PeerId, out var atA);
            var bHas = b.TryGetCurrentConnection(a.PeerId, out var atB);
            Assert.Equal(aHas, bHas);
            Assert.Equal(aHas, a.PeersAndMetadata.TryGetMetadataForPeer(Peer(b), out _));
            Assert.Equal(bHas, b.PeersAndMetadata.TryGetMetadataForPeer(Peer(a), out _));
            if (!aHas)
            {
                none++;
                continue;
            }

            // The two ends belong to the same TCP connection: a message sent on a's end arrives on b's end, and back.
            shared++;
            Assert.NotEqual(atA.Origin, atB.Origin);
            if (tieBreak)
            {
                var larger = a.PeerId.CompareTo(b.PeerId) > 0 ? a : b;
                Assert.Equal(ConnectionOrigin.Outbound, larger == a ? atA.Origin : atB.Origin);
            }

            var before = (inboxB.Messages.Count, inboxA.Messages.Count);
            Assert.Equal(SendFailure.None, a.Sender.TrySendOnConnection(b.PeerId, atA.ConnectionId, Bcs, new Message(new byte[] { (byte)round })));
            Assert.Equal(SendFailure.None, b.Sender.TrySendOnConnection(a.PeerId, atB.ConnectionId, Bcs, new Message(new byte[] { (byte)round })));
            await WaitUntilAsync(() => inboxB.Messages.Count == before.Item1 + 1 && inboxA.Messages.Count == before.Item2 + 1, "both messages arrive");
            Assert.Equal(atB.ConnectionId, inboxB.Messages.Last().ConnectionId);
            Assert.Equal(atA.ConnectionId, inboxA.Messages.Last().ConnectionId);
            a.Disconnect(b.PeerId);
            await SettledAsync(a, b);
        }

        _output.WriteLine($"simultaneous dials (tie-break {tieBreak}): {shared} settled on one shared connection, {none} on none; " +
            $"rejected by the tie-break: {a.Statistics.SimultaneousDialsRejected + b.Statistics.SimultaneousDialsRejected}");
        Assert.Equal(10, shared + none);
        if (tieBreak)
        {
            // Both nodes keep the connection dialed by the larger peer id, every time.
            Assert.Equal(10, shared);
        }
        Assert.Equal(0, a.Statistics.DirectSendUnknownProtocol + b.Statistics.DirectSendUnknownProtocol);
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (PeerNetException)
        {
            // A dial may lose the race (its connection closed by the other side's replacement).
        }
    }

    // No connection is closing on either node, for 300 ms in a row.
    private static async Task SettledAsync(TcpNode a, TcpNode b)
    {
        var stableSince = Stopwatch.StartNew();
        var total = Stopwatch.StartNew();
        while (stableSince.Elapsed < TimeSpan.FromMilliseconds(300))
        {
            Assert.True(total.Elapsed < Step, "the nodes settled");
            if (a.LiveConnectionCount != a.ConnectedPeers.Count || b.LiveConnectionCount != b.ConnectedPeers.Count ||
                a.PendingInboundHandshakes != 0 || b.PendingInboundHandshakes != 0)
            {
                stableSince.Restart();
            }

            await Task.Delay(5);
        }
    }
}

[Collection(SerialCollection.Name)]
public class TcpHandlerReentrancyTests
{
    [Fact]
    public async Task A_handler_that_disposes_its_own_node_does_not_deadlock()
    {
        var b = Node(new TcpNodeOptions { CloseTimeout = TimeSpan.FromMilliseconds(300) });
        var disposed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.RegisterDirectSendHandler(ProtocolId.ConsensusDirectSendBcs, _ =>
        {
            b.Dispose(); // synchronously, on the connection's reader
            disposed.TrySetResult(true);
        });
        await using var a = Node();
        a.Record(ProtocolId.ConsensusDirectSendBcs);
        var ab = await a.ConnectAsync(b.LocalEndPoint, b.PeerId).Within();
        Assert.Equal(SendFailure.None, a.Sender.TrySendOnConnection(b.PeerId, ab.ConnectionId, ProtocolId.ConsensusDirectSendBcs, new Message(new byte[1])));
        await disposed.Task.Within();
        Assert.True(b.IsDisposed);
        Assert.Equal(0, b.LiveConnectionCount);
        await WaitUntilAsync(() => a.LiveConnectionCount == 0, "a sees the close");
    }
}
