using System;
using System.Threading;
using System.Threading.Tasks;
using PeerNet;

namespace LegacySender
{
    /// <summary>The same sends written with PeerNet's atomic API: no diagnostics here.</summary>
    public sealed class AtomicSends
    {
        private readonly NetworkClient _client;

        public AtomicSends(NetworkClient client) => _client = client;

        public bool SendVote(PeerNetworkId peer, Message vote, out SendFailure failure)
            => _client.TrySendWithCurrentProtocol(peer, vote, out failure);

        public void SendOrThrow(PeerNetworkId peer, Message message)
        {
            if (!_client.TrySendWithCurrentProtocol(peer, message, out SendFailure failure))
            {
                throw new InvalidOperationException($"Send to {peer} failed: {failure}.");
            }
        }

        public Task<Message> FetchBlockAsync(PeerNetworkId peer, Message request, CancellationToken cancellationToken)
            => _client.SendToPeerRpcAsync(request, TimeSpan.FromSeconds(5), peer, cancellationToken);
    }
}
