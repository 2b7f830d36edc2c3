using System;
using System.Threading;
using System.Threading.Tasks;
using PeerNet.Annotations;

namespace PeerNet.Transport.InMemory
{
    // The sender of one InMemoryNode. The raw INetworkSender methods model Aptos's naive path: the message is
    // queued for the peer by peer id only (PeerOutbox), and routed when dequeued to whatever connection the peer
    // has then, with no protocol check. The IConnectionBoundSender methods check, under the connection's own lock,
    // that the connection is the peer's current open one and announced the protocol, and hand the message to that
    // connection directly (never through the per-peer queue).
    internal sealed class InMemorySender : IConnectionBoundSender
    {
        private readonly InMemoryNode _node;

        public InMemorySender(InMemoryNode node)
        {
            _node = node;
        }

        public SendFailure TrySendOnConnection(PeerId peer, ConnectionId connectionId, ProtocolId protocol, Message message)
        {
            if (message is null)
            {
                throw new ArgumentNullException(nameof(message));
            }

            return HandOver(peer, connectionId, protocol, new Envelope(protocol, message, null, default));
        }

        public async Task<Message> SendRpcOnConnectionAsync(PeerId peer, ConnectionId connectionId, ProtocolId protocol, Message request, TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            ValidateTimeout(timeout);
            cancellationToken.ThrowIfCancellationRequested();
            using var callerCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var reply = new TaskCompletionSource<Message>(TaskCreationOptions.RunContinuationsAsynchronously);
            var failure = HandOver(peer, connectionId, protocol, new Envelope(protocol, request, reply, callerCts.Token));
            if (failure != SendFailure.None)
            {
                throw new PeerNetException(failure, Target(peer), $"RPC {protocol} to {Target(peer)} on {connectionId} was not sent: {PeerNetException.DescribeFailure(failure, Target(peer))}");
            }

            return await AwaitReplyAsync(peer, protocol, reply, timeout, callerCts, cancellationToken).ConfigureAwait(false);
        }

        public void SendTo(PeerId peer, [RequiresCurrentProtocol] ProtocolId protocol, Message message)
        {
            if (message is null)
            {
                throw new ArgumentNullException(nameof(message));
            }

            var failure = EnqueueRaw(peer, new Envelope(protocol, message, null, default));
            if (failure != SendFailure.None)
            {
                throw RawFailure(failure, peer, protocol, "Message");
            }
        }

        public async Task<Message> SendRpcAsync(PeerId peer, [RequiresCurrentProtocol] ProtocolId protocol, Message request, TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            ValidateTimeout(timeout);
            cancellationToken.ThrowIfCancellationRequested();
            using var callerCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var reply = new TaskCompletionSource<Message>(TaskCreationOptions.RunContinuationsAsynchronously);
            var failure = EnqueueRaw(peer, new Envelope(protocol, request, reply, callerCts.Token));
            if (failure != SendFailure.None)
            {
                throw RawFailure(failure, peer, protocol, "RPC");
            }

            return await AwaitReplyAsync(peer, protocol, reply, timeout, callerCts, cancellationToken).ConfigureAwait(false);
        }

        private PeerNetworkId Target(PeerId peer) => new PeerNetworkId(_node.NetworkId, peer);

        private PeerNetException RawFailure(SendFailure failure, PeerId peer, ProtocolId protocol, string what) =>
            failure == SendFailure.QueueFull
                ? new PeerNetException(
                    failure,
                    Target(peer),
                    $"{what} {protocol} to {Target(peer)} was not queued: the outbound queue of node {_node.PeerId} for that peer is full ({_node.Network.OutboundQueueCapacity} messages).")
                : new PeerNetException(failure, Target(peer));

        private static void ValidateTimeout(TimeSpan timeout)
        {
            if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "An RPC timeout must be positive (or Timeout.InfiniteTimeSpan).");
            }
        }

        private async Task<Message> AwaitReplyAsync(PeerId peer, ProtocolId protocol, TaskCompletionSource<Message> reply, TimeSpan timeout, CancellationTokenSource callerCts, CancellationToken cancellationToken)
        {
            using var delayCts = new CancellationTokenSource();
            var delay = Task.Delay(timeout, delayCts.Token);
            using (cancellationToken.Register(() => delayCts.Cancel()))
            {
                var first = await Task.WhenAny(reply.Task, delay).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested(); // the caller's cancellation wins over any reply
                if (first == reply.Task)
                {
                    delayCts.Cancel();
                    return await reply.Task.ConfigureAwait(false);
                }
            }

            callerCts.Cancel(); // tell the remote handler the caller gave up
            cancellationToken.ThrowIfCancellationRequested();
            throw new PeerNetException(
                SendFailure.Timeout,
                Target(peer),
                $"The RPC {protocol} to {Target(peer)} got no answer within {timeout}.",
                new TimeoutException($"No answer within {timeout}."));
        }

        // The atomic hand-over: every check and the enqueue happen under the connection's gate.
        private SendFailure HandOver(PeerId peer, ConnectionId connectionId, ProtocolId protocol, Envelope envelope)
        {
            if (_node.IsDisposed)
            {
                return _node.OnSendRefused(SendFailure.Closed);
            }

            if (!_node.CurrentConnections.TryGetValue(peer, out var endpoint))
            {
                // No current connection (never connected, or disconnected since): the peer is not connected.
                return _node.OnSendRefused(SendFailure.PeerNotConnected);
            }

            if (endpoint.Id != connectionId)
            {
                return _node.OnSendRefused(connectionId.Value < endpoint.Id.Value ? SendFailure.ConnectionReplaced : SendFailure.Closed);
            }

            var connection = endpoint.Connection;
            lock (connection.Gate)
            {
                if (!connection.IsOpen)
                {
                    return _node.OnSendRefused(connection.CloseReason);
                }

                if (!_node.CurrentConnections.TryGetValue(peer, out var current) || !ReferenceEquals(current, endpoint))
                {
                    return _node.OnSendRefused(SendFailure.ConnectionReplaced);
                }

                if (!endpoint.Metadata.ApplicationProtocols.Contains(protocol))
                {
                    return _node.OnSendRefused(SendFailure.ProtocolNotAnnounced);
                }

                return Enqueue(endpoint, envelope);
            }
        }

        // The naive path, as in Aptos: queue the message for the peer by peer id only; the peer's outbound pump
        // routes it when it dequeues it, to whatever connection is current then, with no protocol check. Refused
        // (and reported) here only when the node is disposed, the peer has no connection now, or the queue is full.
        private SendFailure EnqueueRaw(PeerId peer, Envelope envelope)
        {
            if (_node.IsDisposed)
            {
                return _node.OnSendRefused(SendFailure.Closed);
            }

            if (!_node.CurrentConnections.ContainsKey(peer))
            {
                return _node.OnSendRefused(SendFailure.PeerNotConnected);
            }

            var outbox = _node.GetOutbox(peer);
            if (outbox is null)
            {
                return _node.OnSendRefused(SendFailure.Closed);
            }

            _node.Network.OnEnqueued();
            if (!outbox.TryWrite(envelope))
            {
                _node.Network.OnDispatched();
                return _node.OnSendRefused(_node.IsDisposed ? SendFailure.Closed : SendFailure.QueueFull);
            }

            _node.OnSendAccepted();
            return SendFailure.None;
        }

        // Under the connection's gate, with the connection open.
        private SendFailure Enqueue(Endpoint endpoint, Envelope envelope)
        {
            _node.Network.OnEnqueued();
            if (!endpoint.Remote.Inbound.Writer.TryWrite(envelope))
            {
                _node.Network.OnDispatched();
                return _node.OnSendRefused(SendFailure.QueueFull);
            }

            _node.OnSendAccepted();
            return SendFailure.None;
        }
    }
}
