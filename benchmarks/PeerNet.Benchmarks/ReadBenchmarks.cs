using BenchmarkDotNet.Attributes;
using PeerNet;

namespace PeerNet.Benchmarks;

/// <summary>Snapshot read and peer lookup on a store of 128 validator peers. Target: 0 bytes per read.</summary>
[MemoryDiagnoser]
public class ReadBenchmarks
{
    private Fixture _fixture = null!;
    private PeersAndMetadata _store = null!;
    private PeerNetworkId[] _peers = null!;
    private int _next;
    private long _ops;

    [Params(WriterMode.Idle, WriterMode.Paced, WriterMode.Saturating)]
    public WriterMode Writer { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new Fixture(Writer);
        _store = _fixture.Store;
        _peers = _fixture.Peers;
        _fixture.StartCountingReaderAllocations();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fixture.ReportReaderAllocations($"read Writer={Writer}", _ops);
        _fixture.Dispose();
    }

    private PeerNetworkId NextPeer()
    {
        var i = _next;
        _next = (i + 1) & (Fixture.PeerCount - 1);
        _ops++;
        return _peers[i];
    }

    /// <summary>The cached snapshot itself (a volatile read of a reference is the whole point).</summary>
    [Benchmark]
    public PeersAndMetadataSnapshot GetSnapshot()
    {
        _ops++;
        return _store.GetSnapshot();
    }

    /// <summary>Peer lookup through the store's cached snapshot.</summary>
    [Benchmark]
    public PeerMetadata GetMetadataForPeer() => _store.GetMetadataForPeer(NextPeer());

    /// <summary>Snapshot + TryGet + the protocol set, what a caller choosing a protocol reads.</summary>
    [Benchmark]
    public bool SnapshotTryGetAndContains()
    {
        var snapshot = _store.GetSnapshot();
        return snapshot.TryGetMetadataForPeer(NextPeer(), out var metadata)
            && metadata.SupportedProtocols.Contains(ProtocolId.ConsensusDirectSendCompressed);
    }
}
