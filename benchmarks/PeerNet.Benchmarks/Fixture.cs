using System.Diagnostics;
using PeerNet;

namespace PeerNet.Benchmarks;

/// <summary>
/// A node with <see cref="PeerCount"/> connected validator peers, a no-op connection-bound transport,
/// a <see cref="NetworkClient"/> and (optionally) a background writer reconnecting peers.
/// </summary>
public sealed class Fixture : IDisposable
{
    /// <summary>Validator sets are 100 to 150 nodes; 128 keeps the round robin a mask.</summary>
    public const int PeerCount = 128;

    /// <summary>Rolling upgrade: peers alternate between announcing Compressed+Bcs+Json and Bcs+Json.</summary>
    public static readonly ProtocolIdSet Upgraded = ProtocolIdSet.Of(
        ProtocolId.ConsensusDirectSendCompressed, ProtocolId.ConsensusDirectSendBcs, ProtocolId.ConsensusDirectSendJson,
        ProtocolId.ConsensusRpcCompressed, ProtocolId.ConsensusRpcBcs, ProtocolId.ConsensusRpcJson);

    public static readonly ProtocolIdSet RolledBack = ProtocolIdSet.Of(
        ProtocolId.ConsensusDirectSendBcs, ProtocolId.ConsensusDirectSendJson,
        ProtocolId.ConsensusRpcBcs, ProtocolId.ConsensusRpcJson);

    /// <summary>The consensus preference list, as hard-coded in Aptos.</summary>
    public static readonly IReadOnlyList<ProtocolId> DirectSendPreferences = new[]
    {
        ProtocolId.ConsensusDirectSendCompressed, ProtocolId.ConsensusDirectSendBcs, ProtocolId.ConsensusDirectSendJson,
    };

    public static readonly IReadOnlyList<ProtocolId> RpcPreferences = new[]
    {
        ProtocolId.ConsensusRpcCompressed, ProtocolId.ConsensusRpcBcs, ProtocolId.ConsensusRpcJson,
    };

    private readonly Thread? _writer;
    private volatile bool _stop;
    private long _connectionIds;
    private long _writes;
    private readonly Stopwatch _writerClock = new();
    private readonly bool _paced;
    private long _readerAllocatedAtStart;

    public Fixture(WriterMode mode)
    {
        Store = new PeersAndMetadata(NetworkId.Validator, NetworkId.Vfn, NetworkId.Public);
        Sender = new NoOpConnectionBoundSender();
        Peers = new PeerNetworkId[PeerCount];
        for (var i = 0; i < PeerCount; i++)
        {
            Peers[i] = new PeerNetworkId(NetworkId.Validator, PeerId.Random());
            Reconnect(i, Upgraded);
        }

        Client = new NetworkClient(
            DirectSendPreferences,
            RpcPreferences,
            new Dictionary<NetworkId, INetworkSender> { [NetworkId.Validator] = Sender },
            Store);

        Message = new Message(new byte[64]);

        if (mode != WriterMode.Idle)
        {
            _paced = mode == WriterMode.Paced;
            _writer = new Thread(WriterLoop) { IsBackground = true, Name = "reconnecting writer" };
            _writerClock.Start();
            _writer.Start();
        }
    }

    public PeersAndMetadata Store { get; }
    public NoOpConnectionBoundSender Sender { get; }
    public NetworkClient Client { get; }
    public PeerNetworkId[] Peers { get; }
    public Message Message { get; }

    /// <summary>Held for reading by the lock-based send, for writing by every reconnect.</summary>
    public ReaderWriterLockSlim Lock { get; } = new(LockRecursionPolicy.NoRecursion);

    private void Reconnect(int index, ProtocolIdSet protocols)
    {
        var peer = Peers[index];
        var id = new ConnectionId((ulong)Interlocked.Increment(ref _connectionIds));
        var metadata = new ConnectionMetadata(peer.PeerId, id, "/ip4/10.0.0.1/tcp/6180", ConnectionOrigin.Outbound, protocols, PeerRole.Validator);

        // The same writer for every variant: the write lock is uncontended unless the lock-based send
        // is running, so the atomic and racy variants pay only its (tiny) uncontended cost on the writer.
        Lock.EnterWriteLock();
        try
        {
            // A peer manager installs the connection first, then publishes it.
            Sender.Replace(peer.PeerId, new NoOpConnectionBoundSender.Connection(id, protocols));
            Store.InsertConnectionMetadata(peer, metadata);
        }
        finally
        {
            Lock.ExitWriteLock();
        }
    }

    private void WriterLoop()
    {
        var i = 0;
        var n = 0L;
        while (!_stop)
        {
            Reconnect(i, (n & 1) == 0 ? RolledBack : Upgraded);
            i = (i + 1) & (PeerCount - 1);
            n++;
            Volatile.Write(ref _writes, n);
            if (_paced && n % 20 == 0)
            {
                Thread.Sleep(1);
            }
        }
    }

    /// <summary>Call on the benchmark thread at the end of GlobalSetup.</summary>
    public void StartCountingReaderAllocations() => _readerAllocatedAtStart = GC.GetAllocatedBytesForCurrentThread();

    /// <summary>
    /// Bytes allocated by the benchmark thread alone since <see cref="StartCountingReaderAllocations"/>
    /// per operation. BenchmarkDotNet's MemoryDiagnoser counts every thread's allocations (the writer's
    /// new snapshots too), so under a writer its "Allocated" column is not the reader's cost; this is.
    /// (It also includes BenchmarkDotNet's own few kilobytes on that thread, negligible over millions of ops.)
    /// </summary>
    public void ReportReaderAllocations(string what, long operations)
    {
        var bytes = GC.GetAllocatedBytesForCurrentThread() - _readerAllocatedAtStart;
        Console.WriteLine($"// ReaderAlloc: {what}: {bytes} B on the benchmark thread over {operations} ops = {(double)bytes / Math.Max(1, operations):F4} B/op");
    }

    public void Dispose()
    {
        _stop = true;
        _writer?.Join();
        _writerClock.Stop();
        if (_writer is not null)
        {
            var seconds = _writerClock.Elapsed.TotalSeconds;
            // Picked up by the run script / docs: how hard the writer actually pushed.
            Console.WriteLine($"// WriterStats: {_writes} reconnects in {seconds:F1} s = {_writes / seconds:N0}/s; transport refused {Sender.Refused} sends, delivered {Sender.Delivered}");
        }

        Client.Dispose();
        Lock.Dispose();
    }
}
