using System;
using System.Threading;
using System.Threading.Tasks;
using PeerNet;

namespace LegacySender
{
    /// <summary>An RPC whose protocol comes from the cached snapshot.</summary>
    public sealed class RpcCalls
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

        private readonly NetworkClient _client;

        public RpcCalls(NetworkClient client) => _client = client;

        // If the peer reconnected without this protocol, nobody answers: the caller waits the whole timeout.
        public async Task<Message> FetchBlockAsync(PeerNetworkId peer, Message request, CancellationToken cancellationToken)
        {
            ProtocolId protocol = _client.GetPreferredProtocolForPeer(peer, _client.RpcProtocolsAndPreferences);
            INetworkSender sender = _client.GetSenderForNetwork(peer.NetworkId);
            return await sender.SendRpcAsync(peer.PeerId, protocol, request, Timeout, cancellationToken).ConfigureAwait(false);
        }
    }
}
