using System.Collections.Concurrent;
using System.Diagnostics;
using PeerNet.Transport;
using PeerNet.Transport.InMemory;
using PeerNet.Transport.Tcp;

namespace PeerNet.Tests.Transport.Tcp;

/// <summary>Helpers for the TCP transport tests: loopback nodes, handlers that record, bounded waits.</summary>
internal static class TcpTestKit
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    public static TcpNode Node(TcpNodeOptions? options = null) => new(null, options ?? new TcpNodeOptions());

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
