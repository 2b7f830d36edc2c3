using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Collections.ObjectModel;
using PeerNet.Annotations;

namespace PeerNet
{
    /// <summary>
    /// An immutable snapshot of every network's connected peers and their metadata, as published at
    /// <see cref="Version"/>. It never changes; it may be stale as soon as it is read.
    /// </summary>
    /// <remarks>
    /// Each network's peers live in their own persistent <see cref="ImmutableDictionary{TKey, TValue}"/>:
    /// a new snapshot shares every untouched network's map, and the touched network's map shares all
    /// but O(log n) nodes with its predecessor. Lookups do not allocate.
    /// </remarks>
    public sealed class PeersAndMetadataSnapshot
    {
        // Indexed by (int)NetworkId; null means the network is not configured on this node.
        private readonly ImmutableDictionary<PeerId, PeerMetadata>?[] _peersByNetwork;
        private readonly ReadOnlyCollection<NetworkId> _networks;

        internal PeersAndMetadataSnapshot(
            SnapshotVersion version,
            ReadOnlyCollection<NetworkId> networks,
            ImmutableDictionary<PeerId, PeerMetadata>?[] peersByNetwork)
        {
            Version = version;
            _networks = networks;
            _peersByNetwork = peersByNetwork;
        }

        /// <summary>The version this snapshot was published at.</summary>
        public SnapshotVersion Version { get; }

        /// <summary>The networks this snapshot covers.</summary>
        public IReadOnlyCollection<NetworkId> Networks => _networks;

        /// <summary>Whether <paramref name="network"/> is configured on this node.</summary>
        public bool IsNetworkConfigured(NetworkId network) => GetMap(network) is not null;

        /// <summary>The number of connected peers of <paramref name="network"/> as of this snapshot.</summary>
        /// <exception cref="PeerNetException">The network is not configured (<see cref="SendFailure.NetworkNotConfigured"/>).</exception>
        public int GetPeerCount(NetworkId network) => GetRequiredMap(network, default).Count;

        /// <summary>The number of connected peers over every network as of this snapshot.</summary>
        public int TotalPeerCount
        {
            get
            {
                var total = 0;
                foreach (var map in _peersByNetwork)
                {
                    total += map?.Count ?? 0;
                }

                return total;
            }
        }

        /// <summary>The metadata of <paramref name="peer"/> as of this snapshot.</summary>
        /// <returns>false when the network is not configured or the peer is absent. Never allocates.</returns>
        [CachedSnapshotRead]
        public bool TryGetMetadataForPeer(PeerNetworkId peer, out PeerMetadata metadata)
        {
            var map = GetMap(peer.NetworkId);
            if (map is not null && map.TryGetValue(peer.PeerId, out var found))
            {
                metadata = found;
                return true;
            }

            metadata = null!;
            return false;
        }

        /// <summary>The metadata of <paramref name="peer"/> as of this snapshot.</summary>
        /// <exception cref="PeerNetException">The network is not configured (<see cref="SendFailure.NetworkNotConfigured"/>)
        /// or the peer is absent (<see cref="SendFailure.PeerNotConnected"/>).</exception>
        [CachedSnapshotRead]
        public PeerMetadata GetMetadataForPeer(PeerNetworkId peer)
        {
            var map = GetRequiredMap(peer.NetworkId, peer.PeerId);
            if (!map.TryGetValue(peer.PeerId, out var metadata))
            {
                throw new PeerNetException(
                    SendFailure.PeerNotConnected,
                    peer,
                    $"Peer {peer} is not connected as of snapshot {Version}.");
            }

            return metadata;
        }

        /// <summary>The connected peers of <paramref name="network"/> as of this snapshot.</summary>
        /// <exception cref="PeerNetException">The network is not configured.</exception>
        [CachedSnapshotRead]
        public IEnumerable<KeyValuePair<PeerNetworkId, PeerMetadata>> GetConnectedPeers(NetworkId network)
        {
            var map = GetRequiredMap(network, default);
            return Enumerate(network, map);
        }

        /// <summary>The connected peers of every network as of this snapshot.</summary>
        [CachedSnapshotRead]
        public IEnumerable<KeyValuePair<PeerNetworkId, PeerMetadata>> GetAllConnectedPeers()
        {
            foreach (var network in _networks)
            {
                foreach (var entry in Enumerate(network, GetMap(network)!))
                {
                    yield return entry;
                }
            }
        }

        /// <inheritdoc/>
        public override string ToString() => $"PeersAndMetadataSnapshot({Version}, {TotalPeerCount} peers)";

        internal ImmutableDictionary<PeerId, PeerMetadata>? GetMap(NetworkId network)
        {
            var index = (int)network;
            return (uint)index < (uint)_peersByNetwork.Length ? _peersByNetwork[index] : null;
        }

        internal ImmutableDictionary<PeerId, PeerMetadata> GetRequiredMap(NetworkId network, PeerId peerForError)
        {
            var map = GetMap(network);
            if (map is null)
            {
                throw new PeerNetException(
                    SendFailure.NetworkNotConfigured,
                    new PeerNetworkId(network, peerForError),
                    $"Network {network} is not configured on this node (configured: {string.Join(", ", _networks)}).");
            }

            return map;
        }

        internal PeersAndMetadataSnapshot With(SnapshotVersion version, NetworkId network, ImmutableDictionary<PeerId, PeerMetadata> map)
        {
            var copy = (ImmutableDictionary<PeerId, PeerMetadata>?[])_peersByNetwork.Clone();
            copy[(int)network] = map;
            return new PeersAndMetadataSnapshot(version, _networks, copy);
        }

        private static IEnumerable<KeyValuePair<PeerNetworkId, PeerMetadata>> Enumerate(
            NetworkId network,
            ImmutableDictionary<PeerId, PeerMetadata> map)
        {
            foreach (var entry in map)
            {
                yield return new KeyValuePair<PeerNetworkId, PeerMetadata>(new PeerNetworkId(network, entry.Key), entry.Value);
            }
        }
    }
}
