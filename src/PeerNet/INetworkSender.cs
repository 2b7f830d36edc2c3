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
        /// <returns><see cref="SendFailure.None"/> when handed over; otherwise why not (the message was not sent).</returns>
        SendFailure TrySendOnConnection(PeerId peer, ConnectionId connectionId, ProtocolId protocol, Message message);

        /// <summary>
        /// Sends an RPC on connection <paramref name="connectionId"/> of <paramref name="peer"/> if it is
        /// current and announced <paramref name="protocol"/>.
        /// </summary>
        /// <exception cref="PeerNetException">The connection was replaced or closed, the protocol is not
        /// announced, the remote has no handler, or the timeout expired.</exception>
        Task<Message> SendRpcOnConnectionAsync(
            PeerId peer,
            ConnectionId connectionId,
            ProtocolId protocol,
            Message request,
            TimeSpan timeout,
            CancellationToken cancellationToken = default);
    }
}
