using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using PeerNet.Annotations;

namespace PeerNet.Transport.InMemory
{
    /// <summary>
    /// A node of an <see cref="InMemoryNetwork"/>: a peer id, the handlers it registered per
    /// <see cref="ProtocolId"/> (which make up the protocol set it announces in handshakes), its own
    /// <see cref="PeersAndMetadata"/>, and a <see cref="Sender"/> whose connection-bound sends check the
    /// connection where it is owned.
    /// </summary>
    /// <remarks>
    /// Each connection captures, at its handshake, the handlers of the protocols both sides agreed on, and
    /// has its own inbound queue and reader task: a message is dispatched to a handler of the connection it
    /// arrived on, never to another connection's. Changing handlers affects only later connections (as a
    /// restarted node with a new configuration would). The node keeps its store up to date:
    /// <see cref="PeersAndMetadata.InsertConnectionMetadata"/> on connect, <see cref="PeersAndMetadata.RemovePeerMetadata"/>
    /// on disconnect.
    /// </remarks>
    public sealed class InMemoryNode : IDisposable
    {
        private readonly ConcurrentDictionary<PeerId, Endpoint> _current = new ConcurrentDictionary<PeerId, Endpoint>();
        private readonly object _outboxLock = new object();
        private readonly ConcurrentDictionary<PeerId, PeerOutbox> _outboxes = new ConcurrentDictionary<PeerId, PeerOutbox>();
        private TaskCompletionSource<bool>? _outboundHold;
        private readonly HandlerTable _handlers;
        private long _lastConnectionId;
        private int _disposed;

        // Counters (Interlocked).
        private long _sendsAccepted;
        private long _sendsRefused;
        private long _directDelivered;
        private long _directUnknown;
        private long _directHandlerErrors;
        private long _rpcHandled;
        private long _rpcUnsupported;
        private long _connectionsOpened;
        private long _connectionsClosed;
        private long _outboundDropped;

        internal InMemoryNode(InMemoryNetwork network, PeerId peerId, PeerRole role, PeersAndMetadata peersAndMetadata)
        {
            Network = network;
            PeerId = peerId;
            _handlers = new HandlerTable(PeerId);
            Role = role;
            PeersAndMetadata = peersAndMetadata;
            Sender = new InMemorySender(this);
        }

        /// <summary>The network hub this node lives in.</summary>
        public InMemoryNetwork Network { get; }

        /// <summary>This node's peer id.</summary>
        public PeerId PeerId { get; }

        /// <summary>The network this node is on.</summary>
        public NetworkId NetworkId => Network.NetworkId;

        /// <summary>This node as a peer of its network.</summary>
        public PeerNetworkId Id => new PeerNetworkId(Network.NetworkId, PeerId);

        /// <summary>The role other nodes record for this node.</summary>
        public PeerRole Role { get; }

        /// <summary>This node's peer store, updated on every connect and disconnect.</summary>
        public PeersAndMetadata PeersAndMetadata { get; }

        /// <summary>
        /// This node's sender for its network: raw sends plus connection-bound, checked sends. Raw sends
        /// (<see cref="INetworkSender.SendTo"/>, <see cref="INetworkSender.SendRpcAsync"/>) go, as in Aptos, into a
        /// per-peer outbound queue keyed by peer id only, whose pump routes each message when it dequeues it to the
        /// connection the peer has then, without checking the protocol; connection-bound sends bypass that queue.
        /// </summary>
        public IConnectionBoundSender Sender { get; }

        /// <summary>The protocols this node announces in its next handshakes: those it has handlers for.</summary>
        public ProtocolIdSet AnnouncedProtocols => ProtocolIdSet.From(_handlers.Current.Keys);

        /// <summary>Whether the node was disposed.</summary>
        public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

        /// <summary>This node's counters.</summary>
        public InMemoryTransportStatistics Statistics => new InMemoryTransportStatistics
        {
            SendsAccepted = Interlocked.Read(ref _sendsAccepted),
            SendsRefused = Interlocked.Read(ref _sendsRefused),
            DirectSendDelivered = Interlocked.Read(ref _directDelivered),
            DirectSendUnknownProtocol = Interlocked.Read(ref _directUnknown),
            DirectSendHandlerErrors = Interlocked.Read(ref _directHandlerErrors),
            RpcHandled = Interlocked.Read(ref _rpcHandled),
            RpcUnsupportedProtocol = Interlocked.Read(ref _rpcUnsupported),
            ConnectionsOpened = Interlocked.Read(ref _connectionsOpened),
            ConnectionsClosed = Interlocked.Read(ref _connectionsClosed),
            OutboundQueueDropped = Interlocked.Read(ref _outboundDropped),
        };

        /// <summary>Registers the direct-send handler of <paramref name="protocol"/> (announced from the next handshake on).</summary>
        /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="protocol"/> already has a handler.</exception>
        public void RegisterDirectSendHandler(ProtocolId protocol, DirectSendHandler handler) => _handlers.AddDirectSend(protocol, handler);

        /// <summary>Registers the RPC handler of <paramref name="protocol"/> (announced from the next handshake on).</summary>
        /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="protocol"/> already has a handler.</exception>
        public void RegisterRpcHandler(ProtocolId protocol, RpcHandler handler) => _handlers.AddRpc(protocol, handler);

        /// <summary>Removes the handler of <paramref name="protocol"/> for later connections (open connections keep theirs).</summary>
        /// <returns>false when the protocol had no handler.</returns>
        public bool RemoveHandler(ProtocolId protocol) => _handlers.Remove(protocol);

        /// <summary>
        /// Dials <paramref name="remote"/>: a handshake agrees on the intersection of both nodes' announced
        /// protocols, each side gets a new <see cref="ConnectionId"/> and records the connection in its store.
        /// An existing connection between the two nodes (either direction) is replaced: its messages already
        /// queued are still delivered to its own handlers, later sends bound to it fail with
        /// <see cref="SendFailure.ConnectionReplaced"/>.
        /// </summary>
        /// <returns>This node's metadata of the new connection.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="remote"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="remote"/> is this node or belongs to another network hub.</exception>
        /// <exception cref="PeerNetException">Either node is disposed (<see cref="SendFailure.Closed"/>) or the handshake
        /// found no common protocol (<see cref="SendFailure.NoCommonProtocol"/>).</exception>
        public ConnectionMetadata Connect(InMemoryNode remote) => Network.Connect(this, remote);

        /// <summary>Closes the connection with <paramref name="remote"/>; both nodes remove it from their stores.</summary>
        /// <returns>false when the nodes were not connected.</returns>
        public bool Disconnect(PeerId remote) => Network.Disconnect(this, remote);

        /// <summary>This node's metadata of its current connection with <paramref name="remote"/>, if any; may be stale as soon as it returns.</summary>
        [CachedSnapshotRead]
        public bool TryGetCurrentConnection(PeerId remote, out ConnectionMetadata metadata)
        {
            if (_current.TryGetValue(remote, out var endpoint))
            {
                metadata = endpoint.Metadata;
                return true;
            }

            metadata = null!;
            return false;
        }

        /// <summary>The peers this node currently has a connection with.</summary>
        public IReadOnlyCollection<PeerId> ConnectedPeers => (IReadOnlyCollection<PeerId>)_current.Keys;

        /// <summary>Creates a <see cref="NetworkClient"/> over this node's sender and store.</summary>
        public NetworkClient CreateClient(IReadOnlyList<ProtocolId> directSendProtocolsAndPreferences, IReadOnlyList<ProtocolId> rpcProtocolsAndPreferences) =>
            new NetworkClient(
                directSendProtocolsAndPreferences,
                rpcProtocolsAndPreferences,
                new Dictionary<NetworkId, INetworkSender> { [NetworkId] = Sender },
                PeersAndMetadata);

        /// <summary>
        /// Disconnects every connection of this node; later sends fail with <see cref="SendFailure.Closed"/>. Raw sends
        /// still in the per-peer outbound queues are dropped and counted
        /// (<see cref="InMemoryTransportStatistics.OutboundQueueDropped"/>, reason <c>closed</c>), and the queues' pumps end.
        /// </summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            Network.DisconnectAll(this);
            lock (_outboxLock)
            {
                foreach (var outbox in _outboxes.Values)
                {
                    outbox.Complete();
                }
            }

            ResumeOutbound();
        }

        // The per-peer outbound queue of peer, created (with its pump) on first use; null once the node is disposed.
        internal PeerOutbox? GetOutbox(PeerId peer)
        {
            if (_outboxes.TryGetValue(peer, out var outbox))
            {
                return outbox;
            }

            lock (_outboxLock)
            {
                if (IsDisposed)
                {
                    return null;
                }

                if (!_outboxes.TryGetValue(peer, out outbox))
                {
                    outbox = new PeerOutbox(this, peer, Network.OutboundQueueCapacity);
                    _outboxes[peer] = outbox;
                }

                return outbox;
            }
        }

        // The pumps of the per-peer outbound queues created so far (each ends after the node is disposed).
        internal Task[] OutboundPumps()
        {
            lock (_outboxLock)
            {
                var pumps = new Task[_outboxes.Count];
                var i = 0;
                foreach (var outbox in _outboxes.Values)
                {
                    pumps[i++] = outbox.Pump;
                }

                return pumps;
            }
        }

        // Test hook: while paused, the outbound pumps leave messages in their queues (they route them on resume).
        internal Task OutboundHold => Volatile.Read(ref _outboundHold)?.Task ?? Task.CompletedTask;

        internal void PauseOutbound() =>
            Interlocked.CompareExchange(ref _outboundHold, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously), null);

        internal void ResumeOutbound() => Interlocked.Exchange(ref _outboundHold, null)?.TrySetResult(true);

        internal void OnOutboundDropped(string reason)
        {
            Interlocked.Increment(ref _outboundDropped);
            InMemoryTransportMetrics.OutboundDroppedCounter.Add(1, InMemoryTransportMetrics.Reason(reason));
        }

        internal ConnectionId NextConnectionId() => new ConnectionId((ulong)Interlocked.Increment(ref _lastConnectionId));

        internal ConcurrentDictionary<PeerId, Endpoint> CurrentConnections => _current;

        // One consistent view of the handler table: a handshake computes the announced set and the
        // connection's handlers from the same snapshot, so an agreed protocol always has its handler.
        internal ImmutableDictionary<ProtocolId, HandlerEntry> HandlersSnapshot => _handlers.Current;

        internal static ProtocolIdSet Announced(ImmutableDictionary<ProtocolId, HandlerEntry> handlers) => ProtocolIdSet.From(handlers.Keys);

        internal static ImmutableDictionary<ProtocolId, HandlerEntry> Filter(ImmutableDictionary<ProtocolId, HandlerEntry> handlers, ProtocolIdSet agreed)
        {
            var builder = ImmutableDictionary.CreateBuilder<ProtocolId, HandlerEntry>();
            foreach (var entry in handlers)
            {
                if (agreed.Contains(entry.Key))
                {
                    builder.Add(entry.Key, entry.Value);
                }
            }

            return builder.ToImmutable();
        }

        internal void OnConnectionOpened() => Interlocked.Increment(ref _connectionsOpened);

        internal void OnConnectionClosed() => Interlocked.Increment(ref _connectionsClosed);

        internal void OnSendAccepted() => Interlocked.Increment(ref _sendsAccepted);

        internal SendFailure OnSendRefused(SendFailure failure)
        {
            Interlocked.Increment(ref _sendsRefused);
            PeerNetMetrics.SendFailureCounter.Add(1, PeerNetMetrics.Reason(failure));
            return failure;
        }

        // Runs on the receiving endpoint's reader: only that connection's handlers are consulted.
        internal void Dispatch(Endpoint endpoint, Envelope envelope)
        {
            var inbound = new InboundMessage(new PeerNetworkId(NetworkId, endpoint.RemoteNode.PeerId), endpoint.Id, envelope.Protocol, envelope.Message);
            endpoint.Handlers.TryGetValue(envelope.Protocol, out var entry);
            if (envelope.Reply is null)
            {
                if (entry?.DirectSend is null)
                {
                    Interlocked.Increment(ref _directUnknown);
                    PeerNetMetrics.DirectSendCounter.Add(1, PeerNetMetrics.StateUnknown);
                    return;
                }

                Interlocked.Increment(ref _directDelivered);
                PeerNetMetrics.DirectSendCounter.Add(1, PeerNetMetrics.StateDelivered);
                try
                {
                    entry.DirectSend(inbound);
                }
                catch (Exception)
                {
                    // The message reached its handler; the handler's failure is the application's, counted here.
                    Interlocked.Increment(ref _directHandlerErrors);
                }

                return;
            }

            var self = new PeerNetworkId(NetworkId, PeerId);
            if (entry?.Rpc is null)
            {
                Interlocked.Increment(ref _rpcUnsupported);
                PeerNetMetrics.RpcCounter.Add(1, PeerNetMetrics.StateUnsupported);
                envelope.Reply.TrySetException(new PeerNetException(
                    SendFailure.UnsupportedProtocol,
                    self,
                    $"Peer {self} has no RPC handler for protocol {envelope.Protocol} on connection {endpoint.Id} (unsupported protocol; it announced {endpoint.Metadata.ApplicationProtocols})."));
                return;
            }

            Interlocked.Increment(ref _rpcHandled);
            PeerNetMetrics.RpcCounter.Add(1, PeerNetMetrics.StateHandled);
            _ = RunRpcHandlerAsync(entry.Rpc, inbound, envelope, self);
        }

        private static async Task RunRpcHandlerAsync(RpcHandler handler, InboundMessage request, Envelope envelope, PeerNetworkId self)
        {
            try
            {
                var response = await handler(request, envelope.CallerToken).ConfigureAwait(false);
                if (response is null)
                {
                    envelope.Reply!.TrySetException(new PeerNetException(SendFailure.RemoteError, self, $"The RPC handler of peer {self} for {request.Protocol} returned no response."));
                }
                else
                {
                    envelope.Reply!.TrySetResult(response);
                }
            }
            catch (Exception ex)
            {
                envelope.Reply!.TrySetException(new PeerNetException(SendFailure.RemoteError, self, $"The RPC handler of peer {self} for {request.Protocol} failed: {ex.Message}", ex));
            }
        }

    }
}
