using System.Collections.Concurrent;
using System.Diagnostics;
using PeerNet.Transport;
using PeerNet.Transport.Tcp;

namespace PeerNet.Tests.Transport.Tcp;

/// <summary>Helpers for the TCP transport tests: loopback nodes, handlers that record, bounded waits.</summary>
internal static class TcpTestKit
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    /// <summary>The trusted-peer set of every validator node the kit makes (each adds itself), so kit nodes trust each other.</summary>
    public static readonly TrustedPeerSet Trusted = new();

    /// <summary>A node with mutual TLS (the default) unless the options say otherwise; a validator node joins <see cref="Trusted"/>.</summary>
    public static TcpNode Node(TcpNodeOptions? options = null)
    {
        options ??= new TcpNodeOptions();
        if (options.TrustedPeers is null && options.NetworkId == NetworkId.Validator && options.Security == TcpSecurity.MutualTls)
        {
            options.TrustedPeers = Trusted;
        }

        var node = new TcpNode(null, options);
        Trusted.Add(node.PeerId);
        return node;
    }

    /// <summary>Dials <paramref name="remote"/> expecting its own id.</summary>
    public static Task<ConnectionMetadata> Dial(this TcpNode node, TcpNode remote, CancellationToken cancellationToken = default) =>
        node.ConnectAsync(remote.LocalEndPoint, remote.PeerId, cancellationToken);

    public static Inbox Record(this TcpNode node, params ProtocolId[] directSend)
    {
        var inbox = new Inbox();
        foreach (var protocol in directSend)
        {
            node.RegisterDirectSendHandler(protocol, inbox.Handler(protocol));
        }

        return inbox;
    }

    public static PeerNetworkId Peer(TcpNode node) => new(node.NetworkId, node.PeerId);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Step;
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > limit)
            {
                Assert.Fail($"Timed out after {limit} waiting until {what}.");
            }

            await Task.Delay(5);
        }
    }

    public static async Task<T> Within<T>(this Task<T> task, TimeSpan? timeout = null) => await task.WaitAsync(timeout ?? Step);

    public static async Task Within(this Task task, TimeSpan? timeout = null) => await task.WaitAsync(timeout ?? Step);

    /// <summary>Reads until the remote closes or resets; returns the bytes read.</summary>
    public static async Task<int> ReadUntilClosedAsync(Stream stream)
    {
        var total = 0;
        var buffer = new byte[1024];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                total += n;
            }
        }
        catch (IOException)
        {
        }

        return total;
    }

    /// <summary>Waits until every connection of every node finished closing.</summary>
    public static Task AllClosedAsync(params TcpNode[] nodes) =>
        WaitUntilAsync(() => nodes.All(n => n.LiveConnectionCount == 0), "every connection finished closing");
}

/// <summary>Records direct-send messages per protocol.</summary>
internal sealed class Inbox
{
    public ConcurrentQueue<InboundMessage> Messages { get; } = new();

    public DirectSendHandler Handler(ProtocolId protocol) => m =>
    {
        Assert.Equal(protocol, m.Protocol);
        Messages.Enqueue(m);
    };

    public int Count(ProtocolId protocol) => Messages.Count(m => m.Protocol == protocol);
}

/// <summary>A node under attack: counts direct sends of <see cref="Bcs"/> and echoes RPCs of <see cref="Rpc"/>; after an attack a good peer must still get through.</summary>
internal sealed class Target
{
    public const ProtocolId Bcs = ProtocolId.ConsensusDirectSendBcs;
    public const ProtocolId Rpc = ProtocolId.ConsensusRpcBcs;
    private long _delivered;

    public Target(TcpNode node)
        : this(node, registered: false)
    {
    }

    private Target(TcpNode node, bool registered)
    {
        Node = node;
        if (!registered)
        {
            node.RegisterDirectSendHandler(Bcs, _ => Interlocked.Increment(ref _delivered));
            node.RegisterRpcHandler(Rpc, (m, _) => Task.FromResult(m.Message));
        }
    }

    /// <summary>For a node that registered its own <see cref="Bcs"/> and <see cref="Rpc"/> handlers (an RPC answer is the check).</summary>
    public static Task GoodPeerGetsThroughAsync(TcpNode node) => new Target(node, registered: true).GoodPeerGetsThroughAsync(null, checkDelivery: false);

    public TcpNode Node { get; }

    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>A fresh good peer dials the target, sends one direct message and gets one RPC answered.</summary>
    public Task GoodPeerGetsThroughAsync(TcpNodeOptions? options = null) => GoodPeerGetsThroughAsync(options, checkDelivery: true);

    private async Task GoodPeerGetsThroughAsync(TcpNodeOptions? options, bool checkDelivery)
    {
        await using var good = TcpTestKit.Node(options);
        good.RegisterDirectSendHandler(Bcs, _ => { });
        good.RegisterRpcHandler(Rpc, (m, _) => Task.FromResult(m.Message));
        var connection = await good.Dial(Node).Within();
        var before = Delivered;
        Assert.Equal(SendFailure.None, good.Sender.TrySendOnConnection(Node.PeerId, connection.ConnectionId, Bcs, new Message(new byte[] { 1 })));
        var answer = await good.Sender.SendRpcOnConnectionAsync(Node.PeerId, connection.ConnectionId, Rpc, new Message(new byte[] { 42 }), TcpTestKit.Step).Within();
        Assert.Equal(new byte[] { 42 }, answer.Payload.ToArray());
        if (checkDelivery)
        {
            await TcpTestKit.WaitUntilAsync(() => Delivered > before, "the good peer's direct send is delivered");
        }
    }
}
