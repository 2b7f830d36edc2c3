using System.Collections.Concurrent;
using PeerNet;
using PeerNet.Transport;
using PeerNet.Transport.InMemory;

namespace RollingUpgrade;

/// <summary>A broadcaster and its validators, with a client for one path; in memory or over TCP.</summary>
internal abstract class World : IDisposable
{
    public static readonly ProtocolId[] Preferences = { ProtocolId.ConsensusDirectSendCompressed, ProtocolId.ConsensusDirectSendBcs };

    public long Attempts;

    public long Failed;

    public readonly ConcurrentDictionary<SendFailure, long> FailureReasons = new();

    /// <summary>Unknown-protocol drops during each validator's upgrade window (filled by the schedule).</summary>
    public long[] WindowDrops = Array.Empty<long>();

    public string Name { get; protected init; } = string.Empty;

    public PeerNetworkId[] Peers { get; protected init; } = Array.Empty<PeerNetworkId>();

    public NetworkClient Client { get; protected init; } = null!;

    public INetworkSender RawSender { get; protected init; } = null!;

    /// <summary>Messages handed to a validator's handler.</summary>
    public abstract long Delivered { get; }

    /// <summary>Messages dropped by a validator as an unknown protocol (counted by the transport).</summary>
    public abstract long Dropped { get; }

    /// <summary>Messages accepted by the transport but not delivered for want of a connection (counted by the transport).</summary>
    public abstract long DroppedInQueue { get; }

    /// <summary>Whether the broadcaster should wait before sending more (the demo measures the race, not back pressure).</summary>
    public abstract bool Backlogged { get; }

    public static World Create(string transport, string name, int validators) =>
        transport == "tcp" ? new TcpWorld(name, validators) : new InMemoryWorld(name, validators);

    public void RecordFailure(SendFailure reason)
    {
        Interlocked.Increment(ref Failed);
        FailureReasons.AddOrUpdate(reason, 1, (_, n) => n + 1);
    }

    /// <summary>Restarts validator <paramref name="index"/> announcing only <paramref name="protocol"/> (a reconnect).</summary>
    public abstract void Restart(int index, ProtocolId protocol);

    /// <summary>Waits until every accepted message was delivered, dropped or counted lost.</summary>
    public abstract void WaitForIdle(TimeSpan timeout);

    public abstract void Dispose();
}

/// <summary>One in-memory world: a broadcaster and the validators, with a client for one path.</summary>
internal sealed class InMemoryWorld : World
{
    private readonly DirectSendHandler _count;
    private long _delivered;

    public InMemoryWorld(string name, int validators)
    {
        Name = name;
        Network = new InMemoryNetwork(NetworkId.Validator);
        Broadcaster = Network.AddNode();
        Broadcaster.RegisterDirectSendHandler(ProtocolId.ConsensusDirectSendBcs, _ => { });
        Broadcaster.RegisterDirectSendHandler(ProtocolId.ConsensusDirectSendCompressed, _ => { });
        _count = _ => Interlocked.Increment(ref _delivered);
        Validators = new InMemoryNode[validators];
        for (var i = 0; i < validators; i++)
        {
            Validators[i] = Network.AddNode();
            Validators[i].RegisterDirectSendHandler(ProtocolId.ConsensusDirectSendBcs, _count);
            Validators[i].Connect(Broadcaster);
        }

        Peers = Validators.Select(v => v.Id).ToArray();
        Client = Broadcaster.CreateClient(Preferences, new[] { ProtocolId.ConsensusRpcCompressed, ProtocolId.ConsensusRpcBcs });
        RawSender = Client.GetSenderForNetwork(NetworkId.Validator);
    }

    public InMemoryNetwork Network { get; }

    public InMemoryNode Broadcaster { get; }

    public InMemoryNode[] Validators { get; }

    public override long Delivered => Interlocked.Read(ref _delivered);

    public override long Dropped => Network.Statistics.DirectSendUnknownProtocol;

    /// <summary>Raw sends dropped when dequeued because the validator had no connection then (counted by the transport).</summary>
    public override long DroppedInQueue => Network.Statistics.OutboundQueueDropped;

    /// <summary>Restarts validator <paramref name="index"/> announcing only <paramref name="protocol"/> (a reconnect).</summary>
    public override void Restart(int index, ProtocolId protocol)
    {
        var v = Validators[index];
        var other = protocol == ProtocolId.ConsensusDirectSendBcs ? ProtocolId.ConsensusDirectSendCompressed : ProtocolId.ConsensusDirectSendBcs;
        v.RemoveHandler(other);
        if (!v.AnnouncedProtocols.Contains(protocol))
        {
            v.RegisterDirectSendHandler(protocol, _count);
        }

        v.Connect(Broadcaster);
    }

    public override bool Backlogged => Network.PendingMessages > 512;

    public override void WaitForIdle(TimeSpan timeout) => Network.WaitForIdleAsync(timeout).GetAwaiter().GetResult();

    public override void Dispose()
    {
        Client.Dispose();
        Network.Dispose();
    }
}
