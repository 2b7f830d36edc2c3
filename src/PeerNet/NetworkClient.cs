using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PeerNet.Annotations;

namespace PeerNet
{
    /// <summary>
    /// The application's handle on the network: protocol preferences, one sender per network, and the
    /// peer store. Its sends are atomic: the protocol is chosen from, and the message handed to, one and
    /// the same current connection.
    /// </summary>
    public sealed class NetworkClient : IDisposable
    {
        // SKELETON: the library owner replaces the internals; the public surface stays.

        /// <summary>Creates a client, as in Aptos.</summary>
        public NetworkClient(
            IReadOnlyList<ProtocolId> directSendProtocolsAndPreferences,
            IReadOnlyList<ProtocolId> rpcProtocolsAndPreferences,
            IReadOnlyDictionary<NetworkId, INetworkSender> networkSenders,
            PeersAndMetadata peersAndMetadata) => throw new NotImplementedException();

        /// <summary>The peer store.</summary>
        public PeersAndMetadata PeersAndMetadata => throw new NotImplementedException();

        /// <summary>The direct-send protocols, most preferred first.</summary>
        public IReadOnlyList<ProtocolId> DirectSendProtocolsAndPreferences => throw new NotImplementedException();

        /// <summary>The RPC protocols, most preferred first.</summary>
        public IReadOnlyList<ProtocolId> RpcProtocolsAndPreferences => throw new NotImplementedException();

        /// <summary>The raw sender of <paramref name="network"/>.</summary>
        public INetworkSender GetSenderForNetwork(NetworkId network) => throw new NotImplementedException();

        /// <summary>The protocols <paramref name="peer"/> announced, from the cached snapshot.</summary>
        [CachedSnapshotRead]
        public ProtocolIdSet GetSupportedProtocols(PeerNetworkId peer) => throw new NotImplementedException();

        /// <summary>The first protocol of <paramref name="preferences"/> that <paramref name="peer"/> announced, from the cached snapshot.</summary>
        [CachedSnapshotRead]
        public ProtocolId GetPreferredProtocolForPeer(PeerNetworkId peer, IReadOnlyList<ProtocolId> preferences) => throw new NotImplementedException();

        /// <summary>Atomic direct send with the client's preferences.</summary>
        /// <exception cref="PeerNetException">The send failed; <see cref="PeerNetException.Failure"/> says why.</exception>
        public void SendToPeer(Message message, PeerNetworkId peer) => throw new NotImplementedException();

        /// <summary>Atomic RPC with the client's preferences.</summary>
        /// <exception cref="PeerNetException">The RPC failed; <see cref="PeerNetException.Failure"/> says why.</exception>
        public Task<Message> SendToPeerRpcAsync(Message request, TimeSpan timeout, PeerNetworkId peer, CancellationToken cancellationToken = default) => throw new NotImplementedException();

        /// <summary>Atomic direct send with explicit preferences.</summary>
        /// <exception cref="PeerNetException">The send failed; <see cref="PeerNetException.Failure"/> says why.</exception>
        public void SendToPeer(Message message, PeerNetworkId peer, IReadOnlyList<ProtocolId> preferences) => throw new NotImplementedException();

        /// <summary>Atomic RPC with explicit preferences.</summary>
        /// <exception cref="PeerNetException">The RPC failed; <see cref="PeerNetException.Failure"/> says why.</exception>
        public Task<Message> SendToPeerRpcAsync(Message request, IReadOnlyList<ProtocolId> preferences, TimeSpan timeout, PeerNetworkId peer, CancellationToken cancellationToken = default) => throw new NotImplementedException();

        /// <summary>Atomic direct send with the client's preferences.</summary>
        public bool TrySendWithCurrentProtocol(PeerNetworkId peer, Message message, out SendFailure failure) => throw new NotImplementedException();

        /// <summary>Atomic direct send with explicit preferences.</summary>
        public bool TrySendWithCurrentProtocol(PeerNetworkId peer, IReadOnlyList<ProtocolId> preferences, Message message, out SendFailure failure) => throw new NotImplementedException();

        /// <inheritdoc/>
        public void Dispose() => throw new NotImplementedException();
    }
}
