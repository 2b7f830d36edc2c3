using System;
using System.Threading;
using System.Threading.Tasks;
using PeerNet.Annotations;

namespace PeerNet
{
    /// <summary>
    /// The raw transport handle of one network. Its sends trust the protocol as given: the message
    /// goes to whatever connection the peer has when the transport routes it. Prefer
    /// <see cref="NetworkClient.TrySendWithCurrentProtocol(PeerNetworkId, Message, out SendFailure)"/>.
    /// </summary>
    public interface INetworkSender
    {
        /// <summary>Raw direct send; the protocol is trusted as given.</summary>
        void SendTo(PeerId peer, [RequiresCurrentProtocol] ProtocolId protocol, Message message);

        /// <summary>Raw RPC; the protocol is trusted as given.</summary>
        Task<Message> SendRpcAsync(
            PeerId peer,
            [RequiresCurrentProtocol] ProtocolId protocol,
            Message request,
            TimeSpan timeout,
            CancellationToken cancellationToken = default);
    }

    /// <summary>
    /// A transport that can bind a send to one connection: it hands the message over only if that
    /// connection is still the peer's current one and its own handshake announced the protocol, checked
    /// where the connection is owned. This is what makes <see cref="NetworkClient"/>'s sends atomic.
    /// </summary>
    public interface IConnectionBoundSender : INetworkSender
    {
        /// <summary>
        /// Hands <paramref name="message"/> to connection <paramref name="connectionId"/> of
        /// <paramref name="peer"/> if it is current and announced <paramref name="protocol"/>.
        /// </summary>
        /// <returns><see cref="SendFailure.None"/> when handed over; otherwise why not, and the message was not sent:
        /// <see cref="SendFailure.ConnectionReplaced"/> (the peer has a newer connection), <see cref="SendFailure.Closed"/>
        /// (the connection or the transport is closed), <see cref="SendFailure.PeerNotConnected"/> (no current connection),
        /// <see cref="SendFailure.ProtocolNotAnnounced"/> (the connection's handshake did not announce the protocol),
        /// <see cref="SendFailure.QueueFull"/> (back pressure). <see cref="NetworkClient"/> retries on fresh metadata only
        /// after <see cref="SendFailure.ConnectionReplaced"/> and <see cref="SendFailure.Closed"/>.</returns>
        SendFailure TrySendOnConnection(PeerId peer, ConnectionId connectionId, ProtocolId protocol, Message message);

        /// <summary>
        /// Sends an RPC on connection <paramref name="connectionId"/> of <paramref name="peer"/> if it is
        /// current and announced <paramref name="protocol"/>.
        /// </summary>
        /// <exception cref="PeerNetException">The connection was replaced or closed, the protocol is not
        /// announced, the remote has no handler (<see cref="SendFailure.UnsupportedProtocol"/>), or the timeout expired
        /// (<see cref="SendFailure.Timeout"/>). <see cref="SendFailure.ConnectionReplaced"/> must mean that the request
        /// was not handed over: <see cref="NetworkClient"/> retries it on fresh metadata, and never retries any other failure
        /// (the request may have been delivered).</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        Task<Message> SendRpcOnConnectionAsync(
            PeerId peer,
            ConnectionId connectionId,
            ProtocolId protocol,
            Message request,
            TimeSpan timeout,
            CancellationToken cancellationToken = default);
    }
}
