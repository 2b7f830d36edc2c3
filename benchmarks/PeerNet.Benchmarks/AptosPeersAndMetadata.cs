using PeerNet;

namespace PeerNet.Benchmarks;

/// <summary>
/// The baseline: Aptos' store. A locked Dictionary&lt;NetworkId, Dictionary&lt;PeerId, PeerMetadata&gt;&gt;
/// and a cached full clone of it that readers load; every update clones the whole map.
/// (Generous to Aptos: values are immutable here, so the clone copies references, not metadata;
/// Dictionary's copy constructor bulk-copies its entries.)
/// </summary>
public sealed class AptosPeersAndMetadata
{
    private readonly object _writeLock = new();
    private readonly Dictionary<NetworkId, Dictionary<PeerId, PeerMetadata>> _peersAndMetadata = new();
    private Dictionary<NetworkId, Dictionary<PeerId, PeerMetadata>> _cached;

    public AptosPeersAndMetadata(params NetworkId[] networks)
    {
        foreach (var network in networks)
        {
            _peersAndMetadata[network] = new Dictionary<PeerId, PeerMetadata>();
        }

        _cached = Clone(_peersAndMetadata);
    }

    /// <summary>What readers load (ArcSwap in Aptos).</summary>
    public Dictionary<NetworkId, Dictionary<PeerId, PeerMetadata>> Cached => Volatile.Read(ref _cached);

    /// <summary>Insert or replace a peer's connection, then republish a clone of everything.</summary>
    public void InsertConnectionMetadata(PeerNetworkId peer, ConnectionMetadata metadata)
    {
        lock (_writeLock)
        {
            if (!_peersAndMetadata.TryGetValue(peer.NetworkId, out var peers))
            {
                throw new PeerNetException(SendFailure.NetworkNotConfigured, peer);
            }

            peers[peer.PeerId] = new PeerMetadata(metadata);
            Volatile.Write(ref _cached, Clone(_peersAndMetadata));
        }
    }

    private static Dictionary<NetworkId, Dictionary<PeerId, PeerMetadata>> Clone(Dictionary<NetworkId, Dictionary<PeerId, PeerMetadata>> map)
    {
        var clone = new Dictionary<NetworkId, Dictionary<PeerId, PeerMetadata>>(map.Count);
        foreach (var (network, peers) in map)
        {
            clone[network] = new Dictionary<PeerId, PeerMetadata>(peers);
        }

        return clone;
    }
}
