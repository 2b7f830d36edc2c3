using System;

namespace PeerNet
{
    /// <summary>A send or a lookup failed; <see cref="Failure"/> says why and <see cref="Peer"/> for whom.</summary>
    public class PeerNetException : Exception
    {
        /// <summary>Creates the exception with a message built from the failure and the peer.</summary>
        public PeerNetException(SendFailure failure, PeerNetworkId peer)
            : this(failure, peer, DescribeFailure(failure, peer), null)
        {
        }

        /// <summary>Creates the exception with an explicit message.</summary>
        public PeerNetException(SendFailure failure, PeerNetworkId peer, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            Failure = failure;
            Peer = peer;
        }

        /// <summary>Why the operation failed.</summary>
        public SendFailure Failure { get; }

        /// <summary>The peer the operation was for.</summary>
        public PeerNetworkId Peer { get; }

        /// <summary>A human-readable sentence for a failure.</summary>
        public static string DescribeFailure(SendFailure failure, PeerNetworkId peer)
        {
            switch (failure)
            {
                case SendFailure.None: return $"No failure for peer {peer}.";
                case SendFailure.NetworkNotConfigured: return $"Network {peer.NetworkId} is not configured on this node (peer {peer.PeerId}).";
                case SendFailure.PeerNotConnected: return $"Peer {peer} is not connected.";
                case SendFailure.NoCommonProtocol: return $"Peer {peer} announced none of the preferred protocols on its current connection.";
                case SendFailure.ConnectionReplaced: return $"Peer {peer} kept replacing its connection faster than the bounded retries could follow.";
                case SendFailure.Closed: return $"The connection to peer {peer} (or the client) is closed.";
                case SendFailure.QueueFull: return $"The outbound queue of the connection to peer {peer} is full.";
                case SendFailure.Timeout: return $"The RPC to peer {peer} timed out.";
                case SendFailure.UnsupportedProtocol: return $"Peer {peer} has no handler for the protocol.";
                case SendFailure.ProtocolNotAnnounced: return $"The connection to peer {peer} did not announce the protocol in its handshake.";
                case SendFailure.RemoteError: return $"The RPC handler of peer {peer} failed.";
                case SendFailure.Unauthenticated: return $"Peer {peer} could not be authenticated as the expected or a trusted peer; no connection was made.";
                case SendFailure.Overloaded: return $"Peer {peer} refused the RPC: too many of this node's requests are in progress there.";
                default: return $"Send to peer {peer} failed: {failure}.";
            }
        }
    }
}
