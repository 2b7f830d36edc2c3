using PeerNet.Transport;
using PeerNet.Transport.InMemory;
using static PeerNet.Tests.TestData;

namespace PeerNet.Tests;

public class NetworkClientTests
{
    private const ProtocolId BcsP = ProtocolId.ConsensusDirectSendBcs;
    private const ProtocolId CompressedP = ProtocolId.ConsensusDirectSendCompressed;
    private static readonly ProtocolId[] Prefs = { CompressedP, BcsP };
    private static readonly ProtocolId[] RpcPrefs = { ProtocolId.ConsensusRpcCompressed, ProtocolId.ConsensusRpcBcs };

    /// <summary>A scripted connection-bound sender: records calls, answers from a script.</summary>
    private sealed class ScriptedSender : IConnectionBoundSender
    {
        private readonly Func<int, SendFailure> _script;

        public ScriptedSender(Func<int, SendFailure> script) => _script = script;

        public List<(PeerId Peer, ConnectionId Connection, ProtocolId Protocol)> Calls { get; } = new();

        public Action<int>? BeforeAnswer { get; set; }

        public SendFailure TrySendOnConnection(PeerId peer, ConnectionId connectionId, ProtocolId protocol, Message message)
        {
            Calls.Add((peer, connectionId, protocol));
            BeforeAnswer?.Invoke(Calls.Count);
            return _script(Calls.Count);
        }

        public Task<Message> SendRpcOnConnectionAsync(PeerId peer, ConnectionId connectionId, ProtocolId protocol, Message request, TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            var failure = TrySendOnConnection(peer, connectionId, protocol, request);
            return failure == SendFailure.None
                ? Task.FromResult(request)
                : Task.FromException<Message>(new PeerNetException(failure, new PeerNetworkId(NetworkId.Validator, peer)));
        }

        public void SendTo(PeerId peer, ProtocolId protocol, Message message) => throw new NotImplementedException();

        public Task<Message> SendRpcAsync(PeerId peer, ProtocolId protocol, Message request, TimeSpan timeout, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    }

    private sealed class PlainSender : INetworkSender
    {
        public int Sent;

        public void SendTo(PeerId peer, ProtocolId protocol, Message message) => Sent++;

        public Task<Message> SendRpcAsync(PeerId peer, ProtocolId protocol, Message request, TimeSpan timeout, CancellationToken cancellationToken = default) => Task.FromResult(request);
    }

    private static Dictionary<NetworkId, INetworkSender> Senders(INetworkSender s) => new() { [NetworkId.Validator] = s };

    private static (NetworkClient Client, PeersAndMetadata Store, PeerNetworkId Peer, ScriptedSender Sender) Scripted(Func<int, SendFailure> script, ProtocolIdSet protocols)
    {
        var store = new PeersAndMetadata(NetworkId.Validator, NetworkId.Vfn);
        var peer = Validator(PeerId.Random());
        store.InsertConnectionMetadata(peer, Meta(peer.PeerId, 1, protocols));
        var sender = new ScriptedSender(script);
        return (new NetworkClient(Prefs, RpcPrefs, Senders(sender), store), store, peer, sender);
    }

    private sealed class Live : IDisposable
    {
        public Live(ProtocolIdSet validatorProtocols, bool rpc = false)
        {
            Net = new InMemoryNetwork();
            Node = Net.AddNode();
            foreach (var p in Prefs)
            {
                Node.RegisterDirectSendHandler(p, _ => { });
            }

            foreach (var p in RpcPrefs)
            {
                Node.RegisterRpcHandler(p, (m, _) => Task.FromResult(m.Message));
            }

            Validator = Net.AddNode();
            foreach (var p in validatorProtocols)
            {
                if (rpc)
                {
                    Validator.RegisterRpcHandler(p, (m, _) => Task.FromResult(new Message(new[] { (byte)m.Protocol })));
                }
                else
                {
                    Validator.RegisterDirectSendHandler(p, m => { lock (Received) { Received.Add(m); } });
                }
            }

            Node.Connect(Validator);
            Client = Node.CreateClient(Prefs, RpcPrefs);
        }

        public InMemoryNetwork Net { get; }

        public InMemoryNode Node { get; }

        public InMemoryNode Validator { get; }

        public NetworkClient Client { get; }

        public List<InboundMessage> Received { get; } = new();

        public void Dispose()
        {
            Client.Dispose();
            Net.Dispose();
        }
    }

    [Fact]
    public void Constructor_validates_every_argument()
    {
        var store = new PeersAndMetadata(NetworkId.Validator);
        var senders = Senders(new PlainSender());
        Assert.Equal("directSendProtocolsAndPreferences", Assert.Throws<ArgumentNullException>(() => new NetworkClient(null!, RpcPrefs, senders, store)).ParamName);
        Assert.Equal("rpcProtocolsAndPreferences", Assert.Throws<ArgumentNullException>(() => new NetworkClient(Prefs, null!, senders, store)).ParamName);
        Assert.Equal("networkSenders", Assert.Throws<ArgumentNullException>(() => new NetworkClient(Prefs, RpcPrefs, null!, store)).ParamName);
        Assert.Equal("peersAndMetadata", Assert.Throws<ArgumentNullException>(() => new NetworkClient(Prefs, RpcPrefs, senders, null!)).ParamName);
        Assert.Throws<ArgumentException>(() => new NetworkClient(Array.Empty<ProtocolId>(), Array.Empty<ProtocolId>(), senders, store));
        Assert.Contains("more than once", Assert.Throws<ArgumentException>(() => new NetworkClient(new[] { BcsP, BcsP }, RpcPrefs, senders, store)).Message);
        Assert.Throws<ArgumentException>(() => new NetworkClient(Prefs, new[] { ProtocolId.ConsensusRpcBcs, ProtocolId.ConsensusRpcBcs }, senders, store));
        Assert.Throws<ArgumentNullException>(() => new NetworkClient(Prefs, RpcPrefs, new Dictionary<NetworkId, INetworkSender> { [NetworkId.Validator] = null! }, store));
        var vfn = Assert.Throws<ArgumentException>(() => new NetworkClient(Prefs, RpcPrefs, new Dictionary<NetworkId, INetworkSender> { [NetworkId.Vfn] = new PlainSender() }, store));
        Assert.Contains("Vfn", vfn.Message);
    }

    [Fact]
    public void Properties_expose_copies_of_the_configuration()
    {
        var prefs = new List<ProtocolId>(Prefs);
        var store = new PeersAndMetadata(NetworkId.Validator);
        var sender = new PlainSender();
        using var client = new NetworkClient(prefs, RpcPrefs, Senders(sender), store);
        prefs.Clear();
        Assert.Equal(Prefs, client.DirectSendProtocolsAndPreferences);
        Assert.Equal(RpcPrefs, client.RpcProtocolsAndPreferences);
        Assert.Same(store, client.PeersAndMetadata);
        Assert.Equal(new[] { NetworkId.Validator }, client.Networks);
        Assert.Equal(3, client.MaxSendAttempts);
        Assert.Same(sender, client.GetSenderForNetwork(NetworkId.Validator));
        Assert.False(client.SupportsAtomicSends(NetworkId.Validator));
        var ex = Assert.Throws<PeerNetException>(() => client.GetSenderForNetwork(NetworkId.Public));
        Assert.Equal(SendFailure.NetworkNotConfigured, ex.Failure);
        Assert.Equal(SendFailure.NetworkNotConfigured, Assert.Throws<PeerNetException>(() => client.SupportsAtomicSends(NetworkId.Public)).Failure);
    }

    [Fact]
    public void Snapshot_reads_return_the_announced_set_and_the_first_announced_preference()
    {
        var (client, store, peer, _) = Scripted(_ => SendFailure.None, Both);
        Assert.Equal(Both, client.GetSupportedProtocols(peer));
        Assert.Equal(CompressedP, client.GetPreferredProtocolForPeer(peer, Prefs));
        Assert.Equal(BcsP, client.GetPreferredProtocolForPeer(peer, new[] { ProtocolId.ConsensusDirectSendJson, BcsP }));
        var none = Assert.Throws<PeerNetException>(() => client.GetPreferredProtocolForPeer(peer, new[] { ProtocolId.MempoolDirectSend }));
        Assert.Equal(SendFailure.NoCommonProtocol, none.Failure);
        Assert.Contains("MempoolDirectSend", none.Message);
        Assert.Throws<ArgumentNullException>(() => client.GetPreferredProtocolForPeer(peer, null!));
        Assert.Throws<ArgumentException>(() => client.GetPreferredProtocolForPeer(peer, Array.Empty<ProtocolId>()));
        var absent = Validator(PeerId.Random());
        Assert.Equal(SendFailure.PeerNotConnected, Assert.Throws<PeerNetException>(() => client.GetSupportedProtocols(absent)).Failure);
        Assert.Equal(SendFailure.PeerNotConnected, Assert.Throws<PeerNetException>(() => client.GetPreferredProtocolForPeer(absent, Prefs)).Failure);
        var publicPeer = new PeerNetworkId(NetworkId.Public, peer.PeerId);
        Assert.Equal(SendFailure.NetworkNotConfigured, Assert.Throws<PeerNetException>(() => client.GetSupportedProtocols(publicPeer)).Failure);
        Assert.Equal(SendFailure.NetworkNotConfigured, Assert.Throws<PeerNetException>(() => client.GetPreferredProtocolForPeer(publicPeer, Prefs)).Failure);
    }

    [Fact]
    public void TrySend_binds_the_send_to_the_current_connection_and_its_announced_protocol()
    {
        var (client, store, peer, sender) = Scripted(_ => SendFailure.None, Bcs);
        Assert.True(client.TrySendWithCurrentProtocol(peer, Msg(1), out var failure));
        Assert.Equal(SendFailure.None, failure);
        Assert.Equal((peer.PeerId, new ConnectionId(1), BcsP), Assert.Single(sender.Calls));
        store.InsertConnectionMetadata(peer, Meta(peer.PeerId, 2, Both));
        Assert.True(client.TrySendWithCurrentProtocol(peer, new[] { BcsP, CompressedP }, Msg(2), out _));
        Assert.Equal((peer.PeerId, new ConnectionId(2), BcsP), sender.Calls[1]);
        client.SendToPeer(Msg(3), peer);
        Assert.Equal((peer.PeerId, new ConnectionId(2), CompressedP), sender.Calls[2]);
        client.SendToPeer(Msg(4), peer, new[] { BcsP });
        Assert.Equal((peer.PeerId, new ConnectionId(2), BcsP), sender.Calls[3]);
    }

    [Fact]
    public void TrySend_reports_every_failure_and_SendToPeer_throws_it()
    {
        var (client, store, peer, sender) = Scripted(_ => SendFailure.QueueFull, Bcs);
        Assert.False(client.TrySendWithCurrentProtocol(peer, Msg(1), out var failure));
        Assert.Equal(SendFailure.QueueFull, failure);
        Assert.Single(sender.Calls); // not retried: only a replaced/closed connection is
        Assert.Equal(SendFailure.QueueFull, Assert.Throws<PeerNetException>(() => client.SendToPeer(Msg(1), peer)).Failure);

        Assert.False(client.TrySendWithCurrentProtocol(peer, new[] { ProtocolId.MempoolDirectSend }, Msg(1), out failure));
        Assert.Equal(SendFailure.NoCommonProtocol, failure);
        var absent = Validator(PeerId.Random());
        Assert.False(client.TrySendWithCurrentProtocol(absent, Msg(1), out failure));
        Assert.Equal(SendFailure.PeerNotConnected, failure);
        var ex = Assert.Throws<PeerNetException>(() => client.SendToPeer(Msg(1), absent));
        Assert.Equal(SendFailure.PeerNotConnected, ex.Failure);
        Assert.Equal(absent, ex.Peer);
        // Vfn is in the store but the client has no sender for it; Public is in neither.
        Assert.False(client.TrySendWithCurrentProtocol(new PeerNetworkId(NetworkId.Vfn, peer.PeerId), Msg(1), out failure));
        Assert.Equal(SendFailure.NetworkNotConfigured, failure);
        Assert.False(client.TrySendWithCurrentProtocol(new PeerNetworkId(NetworkId.Public, peer.PeerId), Msg(1), out failure));
        Assert.Equal(SendFailure.NetworkNotConfigured, failure);
        Assert.Equal(2, sender.Calls.Count);
    }

    [Fact]
    public void TrySend_rejects_bad_input()
    {
        var (client, _, peer, _) = Scripted(_ => SendFailure.None, Bcs);
        Assert.Throws<ArgumentNullException>(() => client.TrySendWithCurrentProtocol(peer, null!, out _));
        Assert.Throws<ArgumentNullException>(() => client.TrySendWithCurrentProtocol(peer, null!, Msg(1), out _));
        Assert.Throws<ArgumentException>(() => client.TrySendWithCurrentProtocol(peer, Array.Empty<ProtocolId>(), Msg(1), out _));
        Assert.Throws<ArgumentNullException>(() => client.SendToPeer(null!, peer));
        Assert.Throws<ArgumentNullException>(() => client.SendToPeer(Msg(1), peer, null!));
        Assert.Throws<ArgumentException>(() => client.SendToPeer(Msg(1), peer, Array.Empty<ProtocolId>()));
    }

    [Fact]
    public void A_replaced_connection_is_retried_on_fresh_metadata_a_bounded_number_of_times()
    {
        // Replaced once: the retry reads the new connection and succeeds on it.
        var (client, store, peer, sender) = Scripted(call => call == 1 ? SendFailure.ConnectionReplaced : SendFailure.None, Bcs);
        sender.BeforeAnswer = call => { if (call == 1) store.InsertConnectionMetadata(peer, Meta(peer.PeerId, 2, Compressed)); };
        Assert.True(client.TrySendWithCurrentProtocol(peer, Msg(1), out var failure));
        Assert.Equal(new[] { (peer.PeerId, new ConnectionId(1), BcsP), (peer.PeerId, new ConnectionId(2), CompressedP) }, sender.Calls);

        // Replaced on every attempt: fails with ConnectionReplaced after MaxSendAttempts.
        var (client2, _, peer2, sender2) = Scripted(_ => SendFailure.ConnectionReplaced, Bcs);
        Assert.False(client2.TrySendWithCurrentProtocol(peer2, Msg(1), out failure));
        Assert.Equal(SendFailure.ConnectionReplaced, failure);
        Assert.Equal(client2.MaxSendAttempts, sender2.Calls.Count);
        Assert.Equal(SendFailure.ConnectionReplaced, Assert.Throws<PeerNetException>(() => client2.SendToPeer(Msg(1), peer2)).Failure);

        // Closed then the peer is gone: the retry reports the precise reason.
        var (client3, store3, peer3, sender3) = Scripted(_ => SendFailure.Closed, Bcs);
        sender3.BeforeAnswer = _ => store3.RemovePeerMetadata(peer3, new ConnectionId(1));
        Assert.False(client3.TrySendWithCurrentProtocol(peer3, Msg(1), out failure));
        Assert.Equal(SendFailure.PeerNotConnected, failure);
        Assert.Single(sender3.Calls);
    }

    [Fact]
    public async Task A_plain_sender_makes_the_atomic_methods_throw_NotSupported_naming_its_type()
    {
        var store = new PeersAndMetadata(NetworkId.Validator);
        var peer = Validator(PeerId.Random());
        store.InsertConnectionMetadata(peer, Meta(peer.PeerId, 1, Bcs));
        var plain = new PlainSender();
        using var client = new NetworkClient(Prefs, RpcPrefs, Senders(plain), store);
        Assert.Contains(nameof(PlainSender), Assert.Throws<NotSupportedException>(() => client.TrySendWithCurrentProtocol(peer, Msg(1), out _)).Message);
        Assert.Throws<NotSupportedException>(() => client.SendToPeer(Msg(1), peer));
        await Assert.ThrowsAsync<NotSupportedException>(() => client.SendToPeerRpcAsync(Msg(1), TimeSpan.FromSeconds(1), peer));
        Assert.Equal(0, plain.Sent);
        client.GetSenderForNetwork(NetworkId.Validator).SendTo(peer.PeerId, BcsP, Msg(1)); // the raw path stays explicit
        Assert.Equal(1, plain.Sent);
    }

    [Fact]
    public async Task A_disposed_client_throws_ObjectDisposedException_everywhere()
    {
        var (client, _, peer, sender) = Scripted(_ => SendFailure.None, Bcs);
        client.Dispose();
        client.Dispose();
        Assert.Throws<ObjectDisposedException>(() => client.TrySendWithCurrentProtocol(peer, Msg(1), out _));
        Assert.Throws<ObjectDisposedException>(() => client.TrySendWithCurrentProtocol(peer, Prefs, Msg(1), out _));
        Assert.Throws<ObjectDisposedException>(() => client.SendToPeer(Msg(1), peer));
        Assert.Throws<ObjectDisposedException>(() => client.SendToPeer(Msg(1), peer, Prefs));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.SendToPeerRpcAsync(Msg(1), TimeSpan.FromSeconds(1), peer));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.SendToPeerRpcAsync(Msg(1), RpcPrefs, TimeSpan.FromSeconds(1), peer));
        Assert.Throws<ObjectDisposedException>(() => client.GetSenderForNetwork(NetworkId.Validator));
        Assert.Throws<ObjectDisposedException>(() => client.SupportsAtomicSends(NetworkId.Validator));
        Assert.Throws<ObjectDisposedException>(() => client.GetSupportedProtocols(peer));
        Assert.Throws<ObjectDisposedException>(() => client.GetPreferredProtocolForPeer(peer, Prefs));
        Assert.Empty(sender.Calls);
    }

    [Fact]
    public async Task A_client_without_direct_send_protocols_says_so()
    {
        var store = new PeersAndMetadata(NetworkId.Validator);
        var peer = Validator(PeerId.Random());
        store.InsertConnectionMetadata(peer, Meta(peer.PeerId, 1, Bcs));
        using var rpcOnly = new NetworkClient(Array.Empty<ProtocolId>(), RpcPrefs, Senders(new ScriptedSender(_ => SendFailure.None)), store);
        Assert.Contains("direct-send", Assert.Throws<InvalidOperationException>(() => rpcOnly.TrySendWithCurrentProtocol(peer, Msg(1), out _)).Message);
        Assert.Throws<InvalidOperationException>(() => rpcOnly.SendToPeer(Msg(1), peer));
        Assert.True(rpcOnly.TrySendWithCurrentProtocol(peer, new[] { BcsP }, Msg(1), out _));
        using var directOnly = new NetworkClient(Prefs, Array.Empty<ProtocolId>(), Senders(new ScriptedSender(_ => SendFailure.None)), store);
        Assert.Contains("RPC", (await Assert.ThrowsAsync<InvalidOperationException>(() => directOnly.SendToPeerRpcAsync(Msg(1), TimeSpan.FromSeconds(1), peer))).Message);
    }

    [Fact]
    public async Task Atomic_sends_over_the_in_memory_transport_use_the_protocol_the_connection_announced()
    {
        using var live = new Live(Bcs);
        var peer = live.Validator.Id;
        Assert.True(live.Client.TrySendWithCurrentProtocol(peer, Msg(1), out _));
        await live.Net.WaitForIdleAsync(TimeSpan.FromSeconds(10)); // two connections' readers are not ordered with each other
        live.Validator.RemoveHandler(BcsP);
        live.Validator.RegisterDirectSendHandler(CompressedP, m => { lock (live.Received) { live.Received.Add(m); } });
        live.Validator.Connect(live.Node);
        live.Client.SendToPeer(Msg(2), peer);
        await live.Net.WaitForIdleAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new[] { BcsP, CompressedP }, live.Received.Select(m => m.Protocol));
        Assert.Equal(0, live.Net.Statistics.DirectSendUnknownProtocol);
        Assert.True(live.Client.SupportsAtomicSends(NetworkId.Validator));
    }

    [Fact]
    public async Task Rpc_uses_the_first_announced_rpc_protocol_and_reports_failures()
    {
        using var live = new Live(ProtocolIdSet.Of(ProtocolId.ConsensusRpcBcs), rpc: true);
        var peer = live.Validator.Id;
        var reply = await live.Client.SendToPeerRpcAsync(Msg(1), TimeSpan.FromSeconds(10), peer);
        Assert.Equal(new[] { (byte)ProtocolId.ConsensusRpcBcs }, reply.Payload.ToArray());
        reply = await live.Client.SendToPeerRpcAsync(Msg(1), new[] { ProtocolId.ConsensusRpcBcs }, TimeSpan.FromSeconds(10), peer);
        Assert.Equal(new[] { (byte)ProtocolId.ConsensusRpcBcs }, reply.Payload.ToArray());

        var none = await Assert.ThrowsAsync<PeerNetException>(() => live.Client.SendToPeerRpcAsync(Msg(1), new[] { ProtocolId.MempoolRpc }, TimeSpan.FromSeconds(10), peer));
        Assert.Equal(SendFailure.NoCommonProtocol, none.Failure);
        var absent = await Assert.ThrowsAsync<PeerNetException>(() => live.Client.SendToPeerRpcAsync(Msg(1), TimeSpan.FromSeconds(10), Validator(PeerId.Random())));
        Assert.Equal(SendFailure.PeerNotConnected, absent.Failure);
        var unconfigured = await Assert.ThrowsAsync<PeerNetException>(() => live.Client.SendToPeerRpcAsync(Msg(1), TimeSpan.FromSeconds(10), new PeerNetworkId(NetworkId.Public, peer.PeerId)));
        Assert.Equal(SendFailure.NetworkNotConfigured, unconfigured.Failure);
        await Assert.ThrowsAsync<ArgumentNullException>(() => live.Client.SendToPeerRpcAsync(null!, TimeSpan.FromSeconds(10), peer));
        await Assert.ThrowsAsync<ArgumentNullException>(() => live.Client.SendToPeerRpcAsync(Msg(1), null!, TimeSpan.FromSeconds(10), peer));
        await Assert.ThrowsAsync<ArgumentException>(() => live.Client.SendToPeerRpcAsync(Msg(1), Array.Empty<ProtocolId>(), TimeSpan.FromSeconds(10), peer));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => live.Client.SendToPeerRpcAsync(Msg(1), TimeSpan.Zero, peer));
    }

    [Fact]
    public async Task Rpc_to_a_connection_without_rpc_handler_fails_with_UnsupportedProtocol_and_times_out_explicitly()
    {
        // The validator announces ConsensusRpcBcs but registered it as a direct-send handler: the RPC is
        // handed to the connection (it announced the protocol) and answered "unsupported protocol".
        using var live = new Live(ProtocolIdSet.Of(ProtocolId.ConsensusRpcBcs), rpc: false);
        var ex = await Assert.ThrowsAsync<PeerNetException>(() => live.Client.SendToPeerRpcAsync(Msg(1), TimeSpan.FromSeconds(30), live.Validator.Id));
        Assert.Equal(SendFailure.UnsupportedProtocol, ex.Failure);

        using var slow = new InMemoryNetwork();
        var node = slow.AddNode();
        node.RegisterRpcHandler(ProtocolId.ConsensusRpcBcs, (m, _) => Task.FromResult(m.Message));
        var validator = slow.AddNode();
        validator.RegisterRpcHandler(ProtocolId.ConsensusRpcBcs, async (m, ct) => { await Task.Delay(Timeout.Infinite, ct); return m.Message; });
        node.Connect(validator);
        using var client = node.CreateClient(Prefs, RpcPrefs);
        var timeout = await Assert.ThrowsAsync<PeerNetException>(() => client.SendToPeerRpcAsync(Msg(1), TimeSpan.FromMilliseconds(50), validator.Id));
        Assert.Equal(SendFailure.Timeout, timeout.Failure);
    }

    [Fact]
    public async Task Rpc_retries_a_replaced_connection_then_fails_with_ConnectionReplaced()
    {
        var (client, store, peer, sender) = Scripted(call => call == 1 ? SendFailure.ConnectionReplaced : SendFailure.None, ProtocolIdSet.Of(ProtocolId.ConsensusRpcBcs));
        sender.BeforeAnswer = call => { if (call == 1) store.InsertConnectionMetadata(peer, Meta(peer.PeerId, 2, ProtocolIdSet.Of(ProtocolId.ConsensusRpcCompressed))); };
        await client.SendToPeerRpcAsync(Msg(1), TimeSpan.FromSeconds(5), peer);
        Assert.Equal((peer.PeerId, new ConnectionId(2), ProtocolId.ConsensusRpcCompressed), sender.Calls[1]);

        var (client2, _, peer2, sender2) = Scripted(_ => SendFailure.ConnectionReplaced, ProtocolIdSet.Of(ProtocolId.ConsensusRpcBcs));
        var ex = await Assert.ThrowsAsync<PeerNetException>(() => client2.SendToPeerRpcAsync(Msg(1), TimeSpan.FromSeconds(5), peer2));
        Assert.Equal(SendFailure.ConnectionReplaced, ex.Failure);
        Assert.Equal(3, sender2.Calls.Count);

        var (client3, _, peer3, sender3) = Scripted(_ => SendFailure.Closed, ProtocolIdSet.Of(ProtocolId.ConsensusRpcBcs));
        Assert.Equal(SendFailure.Closed, (await Assert.ThrowsAsync<PeerNetException>(() => client3.SendToPeerRpcAsync(Msg(1), TimeSpan.FromSeconds(5), peer3))).Failure);
        Assert.Single(sender3.Calls); // a closed RPC may have been handed over: never retried (no duplicate requests)
    }
}
