using PeerNet;

namespace LegacySender
{
    /// <summary>The atomic send, with its result thrown away: a failed send is silent again.</summary>
    public sealed class FireAndForget
    {
        private readonly NetworkClient _client;

        public FireAndForget(NetworkClient client) => _client = client;

        public void Announce(PeerNetworkId peer, Message announcement)
        {
            _client.TrySendWithCurrentProtocol(peer, announcement, out _);
        }
    }
}
