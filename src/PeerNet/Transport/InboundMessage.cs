using System;
using System.Threading;
using System.Threading.Tasks;

namespace PeerNet.Transport
{
    /// <summary>A message received on one connection.</summary>
    /// <param name="Sender">The peer that sent it.</param>
    /// <param name="ConnectionId">The receiving node's id of the connection it arrived on.</param>
    /// <param name="Protocol">The protocol it was sent with.</param>
    /// <param name="Message">The payload.</param>
    public sealed record InboundMessage(PeerNetworkId Sender, ConnectionId ConnectionId, ProtocolId Protocol, Message Message);

    /// <summary>Handles a direct-send message. Runs on the connection's reader, one message at a time.</summary>
    public delegate void DirectSendHandler(InboundMessage message);

    /// <summary>Answers an RPC request. The token is cancelled when the caller gives up (timeout or cancellation).</summary>
    public delegate Task<Message> RpcHandler(InboundMessage request, CancellationToken cancellationToken);
}
