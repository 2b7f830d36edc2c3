using System;
using System.Threading;
using System.Threading.Tasks;

namespace PeerNet.Transport.Tcp
{
    // The sender of one TcpNode. The raw INetworkSender methods model the naive path (route by peer id to whatever
    // connection is current, no protocol check); the IConnectionBoundSender methods check, under the connection's own
    // gate, that it is the peer's current open connection and that its handshake announced the protocol, then queue the
    // message on that connection's own bounded queue.
    internal sealed class TcpSender : IConnectionBoundSender
    {
        private const int RawRouteAttempts = 8;
        private readonly TcpNode _node;

        public TcpSender(TcpNode node)
        {
            _node = node;
        }

        public SendFailure TrySendOnConnection(PeerId peer, ConnectionId connectionId, ProtocolId protocol, Message message)
        {
            if (message is null)
            {
                throw new ArgumentNullException(nameof(message));
            }

            var failure = Resolve(peer, connectionId, out var connection);
            if (failure != SendFailure.None)
            {
                return failure;
            }

            CheckSize(connection!, TcpFrameCodec.DirectSendOverhead, message, protocol);
            lock (connection!.Gate)
            {
                failure = CheckLocked(peer, connection, protocol);
                if (failure != SendFailure.None)
                {
                    return _node.OnSendRefused(failure);
                }

                return EnqueueLocked(connection, OutboundFrame.DirectSend(protocol, message));
            }
        }

        public Task<Message> SendRpcOnConnectionAsync(PeerId peer, ConnectionId connectionId, ProtocolId protocol, Message request, TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            ValidateTimeout(timeout);
            cancellationToken.ThrowIfCancellationRequested();
            var failure = Resolve(peer, connectionId, out var connection);
            if (failure != SendFailure.None)
            {
                throw NotSent(peer, connectionId, protocol, failure);
            }

            CheckSize(connection!, TcpFrameCodec.RpcRequestOverhead, request, protocol);
            var reply = new TaskCompletionSource<Message>(TaskCreationOptions.RunContinuationsAsynchronously);
            ulong id;
            lock (connection!.Gate)
            {
                failure = CheckLocked(peer, connection, protocol);
                if (failure == SendFailure.None)
                {
                    id = connection.RegisterRpcLocked(reply);
                    failure = EnqueueLocked(connection, OutboundFrame.RpcRequest(id, protocol, request));
                    if (failure != SendFailure.None)
                    {
                        connection.ForgetRpc(id);
                    }
                }
                else
                {
                    _node.OnSendRefused(failure);
                    id = 0;
                }
            }

            if (failure != SendFailure.None)
            {
                throw NotSent(peer, connectionId, protocol, failure);
            }

            return AwaitReplyAsync(connection, id, peer, protocol, reply, timeout, cancellationToken);
        }

        public void SendTo(PeerId peer, ProtocolId protocol, Message message)
        {
            if (message is null)
            {
                throw new ArgumentNullException(nameof(message));
            }

            var failure = RouteRaw(peer, protocol, message, null, out _, out _);
            if (failure != SendFailure.None)
            {
                throw new PeerNetException(failure, Target(peer));
            }
        }

        public Task<Message> SendRpcAsync(PeerId peer, ProtocolId protocol, Message request, TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            ValidateTimeout(timeout);
            cancellationToken.ThrowIfCancellationRequested();
            var reply = new TaskCompletionSource<Message>(TaskCreationOptions.RunContinuationsAsynchronously);
            var failure = RouteRaw(peer, protocol, request, reply, out var connection, out var id);
            if (failure != SendFailure.None)
            {
                throw new PeerNetException(failure, Target(peer));
            }

            return AwaitReplyAsync(connection!, id, peer, protocol, reply, timeout, cancellationToken);
        }

        private PeerNetworkId Target(PeerId peer) => new PeerNetworkId(_node.NetworkId, peer);

        private PeerNetException NotSent(PeerId peer, ConnectionId connectionId, ProtocolId protocol, SendFailure failure) =>
            new PeerNetException(failure, Target(peer), $"RPC {protocol} to {Target(peer)} on {connectionId} was not sent: {PeerNetException.DescribeFailure(failure, Target(peer))}");

        private static void ValidateTimeout(TimeSpan timeout)
        {
            if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "An RPC timeout must be positive (or Timeout.InfiniteTimeSpan).");
            }
        }

        // A message that could never fit in a frame is a caller error, not a transient failure: it throws and nothing is sent.
        private static void CheckSize(TcpConnection connection, int overhead, Message message, ProtocolId protocol)
        {
            if ((long)overhead + message.Length > connection.SendLimit)
            {
                throw new ArgumentException(
                    $"A {protocol} message of {message.Length} bytes does not fit in a frame of connection {connection.Id} with {connection.Remote.PeerId}: " +
                    $"the limit is {connection.SendLimit} bytes including {overhead} bytes of framing (the smaller of both sides' maximum frame sizes). Nothing was sent.",
                    nameof(message));
            }
        }

        // Finds the connection the caller means; refuses (and counts) when it is not this node's current one for the peer.
        private SendFailure Resolve(PeerId peer, ConnectionId connectionId, out TcpConnection? connection)
        {
            connection = null;
            if (_node.IsDisposed)
            {
                return _node.OnSendRefused(SendFailure.Closed);
            }

            if (!_node.CurrentConnections.TryGetValue(peer, out var current))
            {
                // No current connection: if this id was ours, the connection was closed; otherwise the peer is unknown.
                return _node.OnSendRefused(connectionId.Value != 0 && connectionId.Value <= _node.LastIssuedConnectionId.Value ? SendFailure.Closed : SendFailure.PeerNotConnected);
            }

            if (current.Id != connectionId)
            {
                return _node.OnSendRefused(connectionId.Value < current.Id.Value ? SendFailure.ConnectionReplaced : SendFailure.Closed);
            }

            connection = current;
            return SendFailure.None;
        }

        // Under the connection's gate: still open, still the peer's current connection, and its handshake announced the protocol.
        private SendFailure CheckLocked(PeerId peer, TcpConnection connection, ProtocolId protocol)
        {
            if (!connection.IsOpenLocked)
            {
                return connection.ClosedFailureLocked;
            }

            if (!_node.CurrentConnections.TryGetValue(peer, out var current) || !ReferenceEquals(current, connection))
            {
                return SendFailure.ConnectionReplaced;
            }

            if (!connection.Metadata.ApplicationProtocols.Contains(protocol))
            {
                return SendFailure.ProtocolNotAnnounced;
            }

            return SendFailure.None;
        }

        // Under the connection's gate, with the connection open.
        private SendFailure EnqueueLocked(TcpConnection connection, OutboundFrame frame)
        {
            if (!connection.TryEnqueueLocked(frame))
            {
                return _node.OnSendRefused(SendFailure.QueueFull);
            }

            _node.OnSendAccepted();
            return SendFailure.None;
        }

        // The naive path: whatever connection is current when the message is routed, no protocol check.
        private SendFailure RouteRaw(PeerId peer, ProtocolId protocol, Message message, TaskCompletionSource<Message>? reply, out TcpConnection? connection, out ulong id)
        {
            connection = null;
            id = 0;
            if (_node.IsDisposed)
            {
                return _node.OnSendRefused(SendFailure.Closed);
            }

            for (var attempt = 0; attempt < RawRouteAttempts; attempt++)
            {
                if (!_node.CurrentConnections.TryGetValue(peer, out var current))
                {
                    return _node.OnSendRefused(SendFailure.PeerNotConnected);
                }

                CheckSize(current, reply is null ? TcpFrameCodec.DirectSendOverhead : TcpFrameCodec.RpcRequestOverhead, message, protocol);
                lock (current.Gate)
                {
                    if (!current.IsOpenLocked)
                    {
                        continue;
                    }

                    connection = current;
                    if (reply is null)
                    {
                        return EnqueueLocked(current, OutboundFrame.DirectSend(protocol, message));
                    }

                    id = current.RegisterRpcLocked(reply);
                    var failure = EnqueueLocked(current, OutboundFrame.RpcRequest(id, protocol, message));
                    if (failure != SendFailure.None)
                    {
                        current.ForgetRpc(id);
                    }

                    return failure;
                }
            }

            return _node.OnSendRefused(SendFailure.ConnectionReplaced);
        }

        private async Task<Message> AwaitReplyAsync(TcpConnection connection, ulong id, PeerId peer, ProtocolId protocol, TaskCompletionSource<Message> reply, TimeSpan timeout, CancellationToken cancellationToken)
        {
            using var delayCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(timeout, delayCts.Token);
            var first = await Task.WhenAny(reply.Task, delay).ConfigureAwait(false);
            if (first == reply.Task)
            {
                delayCts.Cancel();
                return await reply.Task.ConfigureAwait(false);
            }

            // Timed out or cancelled: forget the request so a late answer is counted, not delivered.
            connection.ForgetRpc(id);
            if (reply.Task.IsCompleted)
            {
                return await reply.Task.ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw new PeerNetException(
                SendFailure.Timeout,
                Target(peer),
                $"The RPC {protocol} to {Target(peer)} on {connection.Id} got no answer within {timeout}.",
                new TimeoutException($"No answer within {timeout}."));
        }
    }
}
