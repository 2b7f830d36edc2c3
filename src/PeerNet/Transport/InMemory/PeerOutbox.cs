using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace PeerNet.Transport.InMemory
{
    // The per-peer outbound queue of one node, as Aptos's peer manager has it: raw sends are queued here keyed by
    // PEER ID ONLY, and this queue's pump routes each message at DEQUEUE time to whatever connection the peer has
    // then, with no protocol check. A message chosen for connection A's protocols can therefore leave on
    // connection B: the receiver's unknown-protocol counter sees the race. A message dequeued when the peer has no
    // connection is dropped, as in Aptos, but counted (statistics OutboundQueueDropped and the metric
    // InMemoryTransportMetrics.OutboundQueueDropped); a raw RPC dropped that way fails with PeerNotConnected (or
    // Closed) instead of waiting for its timeout. The connection-bound path never goes through this queue.
    internal sealed class PeerOutbox
    {
        // How long the pump keeps retrying a peer whose current connection is closed but not yet replaced or
        // removed (a disconnect in progress) before it gives up on the message: attempts of about 1 ms.
        private const int ClosedConnectionRetries = 5_000;
        private readonly InMemoryNode _node;
        private readonly PeerId _peer;
        private readonly Channel<Envelope> _queue;

        public PeerOutbox(InMemoryNode node, PeerId peer, int capacity)
        {
            _node = node;
            _peer = peer;
            _queue = Channel.CreateBounded<Envelope>(new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = true,
                SingleWriter = false,
                AllowSynchronousContinuations = false,
            });
            Pump = Task.Run(RunAsync);
        }

        // Completes when the queue was completed (node disposed) and every queued message was routed or dropped.
        public Task Pump { get; }

        public bool TryWrite(Envelope envelope) => _queue.Writer.TryWrite(envelope);

        public void Complete() => _queue.Writer.TryComplete();

        private async Task RunAsync()
        {
            var reader = _queue.Reader;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (true)
                {
                    // Test hook: a paused pump leaves messages in the queue; they are routed when it resumes.
                    await _node.OutboundHold.ConfigureAwait(false);
                    if (!reader.TryRead(out var envelope))
                    {
                        break;
                    }

                    try
                    {
                        await RouteAsync(envelope).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        // Never expected; still, the message must not vanish and the pump must not die.
                        Drop(envelope, SendFailure.Closed, "closed", $"routing failed: {ex.Message}");
                    }
                }
            }
        }

        // Routes one message to the peer's connection current NOW, trusting its protocol as given (no check).
        private async Task RouteAsync(Envelope envelope)
        {
            for (var attempt = 0; ; attempt++)
            {
                if (!_node.CurrentConnections.TryGetValue(_peer, out var endpoint))
                {
                    if (_node.IsDisposed)
                    {
                        Drop(envelope, SendFailure.Closed, "closed", $"node {_node.PeerId} was disposed");
                    }
                    else
                    {
                        Drop(envelope, SendFailure.PeerNotConnected, "peer_not_connected", "the peer had no connection when it was dequeued");
                    }

                    return;
                }

                Channel<Envelope>? full = null;
                var connection = endpoint.Connection;
                lock (connection.Gate)
                {
                    if (connection.IsOpen)
                    {
                        // The pending count was taken when the message entered this queue; the receiver's reader
                        // releases it on dispatch.
                        if (endpoint.Remote.Inbound.Writer.TryWrite(envelope))
                        {
                            return;
                        }

                        full = endpoint.Remote.Inbound;
                    }
                }

                if (full is not null)
                {
                    // Back pressure: wait for room (or for that connection to close), then route again: the message
                    // goes to whatever connection is current once it can be written.
                    await full.Writer.WaitToWriteAsync().ConfigureAwait(false);
                    continue;
                }

                // The current connection is closed but not yet replaced or removed: a disconnect in progress.
                if (attempt >= ClosedConnectionRetries)
                {
                    Drop(envelope, SendFailure.Closed, "closed", $"connection {endpoint.Id} stayed closed without being replaced or removed");
                    return;
                }

                if (attempt < 100)
                {
                    await Task.Yield();
                }
                else
                {
                    await Task.Delay(1).ConfigureAwait(false);
                }
            }
        }

        private void Drop(Envelope envelope, SendFailure failure, string reason, string why)
        {
            _node.OnOutboundDropped(reason);
            _node.Network.OnDispatched();
            if (envelope.Reply is not null)
            {
                var target = new PeerNetworkId(_node.NetworkId, _peer);
                envelope.Reply.TrySetException(new PeerNetException(
                    failure,
                    target,
                    $"The raw RPC {envelope.Protocol} to {target} was dropped from the outbound queue of node {_node.PeerId}: {why}."));
            }
        }
    }
}
