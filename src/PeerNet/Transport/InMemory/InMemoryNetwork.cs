using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace PeerNet.Transport.InMemory
{
    /// <summary>
    /// An in-process network hub: several <see cref="InMemoryNode"/>s of one <see cref="PeerNet.NetworkId"/> that
    /// connect, disconnect and reconnect at any time. For tests, demos and simulations of rolling upgrades.
    /// </summary>
    /// <remarks>
    /// Connection changes (connect, reconnect, disconnect) are serialized by the hub. Each connection has, at
    /// each end, a bounded inbound queue (<see cref="InboundQueueCapacity"/>) drained by its own reader task;
    /// when a queue is full a connection-bound send is refused with <see cref="SendFailure.QueueFull"/>. Raw sends go
    /// first into the sending node's bounded per-peer outbound queue (<see cref="OutboundQueueCapacity"/>; full:
    /// <see cref="SendFailure.QueueFull"/>), routed when dequeued to the peer's connection of that moment, as in Aptos.
    /// </remarks>
    public sealed class InMemoryNetwork : IDisposable
    {
        private readonly object _topologyLock = new object();
        private readonly List<InMemoryNode> _nodes = new List<InMemoryNode>();
        private long _pending;

        /// <summary>Creates a hub for <paramref name="networkId"/>.</summary>
        /// <param name="networkId">The network the hub's nodes are on.</param>
        /// <param name="inboundQueueCapacity">The capacity of each connection end's inbound queue.</param>
        /// <param name="outboundQueueCapacity">The capacity of each node's per-peer outbound queue of raw sends (1,024, as Aptos's channels).</param>
        /// <exception cref="ArgumentOutOfRangeException">A capacity is less than 1.</exception>
        public InMemoryNetwork(NetworkId networkId = NetworkId.Validator, int inboundQueueCapacity = 4096, int outboundQueueCapacity = 1024)
        {
            if (inboundQueueCapacity < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(inboundQueueCapacity), inboundQueueCapacity, "The inbound queue capacity must be at least 1.");
            }

            if (outboundQueueCapacity < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(outboundQueueCapacity), outboundQueueCapacity, "The outbound queue capacity must be at least 1.");
            }

            NetworkId = networkId;
            InboundQueueCapacity = inboundQueueCapacity;
            OutboundQueueCapacity = outboundQueueCapacity;
        }

        /// <summary>The network the hub's nodes are on.</summary>
        public NetworkId NetworkId { get; }

        /// <summary>The capacity of each connection end's inbound queue.</summary>
        public int InboundQueueCapacity { get; }

        /// <summary>The capacity of each node's per-peer outbound queue of raw sends.</summary>
        public int OutboundQueueCapacity { get; }

        /// <summary>The hub's nodes.</summary>
        public IReadOnlyList<InMemoryNode> Nodes
        {
            get
            {
                lock (_topologyLock)
                {
                    return _nodes.ToArray();
                }
            }
        }

        /// <summary>
        /// Messages accepted by a sender and not yet dispatched to a handler: queued in a per-peer outbound queue (raw sends)
        /// or on a connection. A raw send dropped when dequeued (<see cref="InMemoryTransportStatistics.OutboundQueueDropped"/>)
        /// leaves this count too.
        /// </summary>
        public long PendingMessages => Interlocked.Read(ref _pending);

        /// <summary>The sum of every node's counters.</summary>
        public InMemoryTransportStatistics Statistics
        {
            get
            {
                var total = default(InMemoryTransportStatistics);
                foreach (var node in Nodes)
                {
                    total += node.Statistics;
                }

                return total;
            }
        }

        /// <summary>Adds a node with its own store (on this hub's network only).</summary>
        /// <param name="peerId">Its id; a random one when null.</param>
        /// <param name="role">The role other nodes record for it.</param>
        /// <exception cref="ArgumentException">A node with that id already exists.</exception>
        public InMemoryNode AddNode(PeerId? peerId = null, PeerRole role = PeerRole.Validator) =>
            AddNode(peerId ?? PeerId.Random(), role, new PeersAndMetadata(NetworkId));

        /// <summary>Adds a node that records its connections in <paramref name="peersAndMetadata"/>.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="peersAndMetadata"/> is null.</exception>
        /// <exception cref="ArgumentException">A node with that id already exists, or the store is not configured for this hub's network.</exception>
        public InMemoryNode AddNode(PeerId peerId, PeerRole role, PeersAndMetadata peersAndMetadata)
        {
            if (peersAndMetadata is null)
            {
                throw new ArgumentNullException(nameof(peersAndMetadata));
            }

            if (!peersAndMetadata.GetSnapshot().IsNetworkConfigured(NetworkId))
            {
                throw new ArgumentException($"The store is not configured for network {NetworkId}.", nameof(peersAndMetadata));
            }

            lock (_topologyLock)
            {
                foreach (var existing in _nodes)
                {
                    if (existing.PeerId == peerId)
                    {
                        throw new ArgumentException($"A node with id {peerId} already exists in this network.", nameof(peerId));
                    }
                }

                var node = new InMemoryNode(this, peerId, role, peersAndMetadata);
                _nodes.Add(node);
                return node;
            }
        }

        /// <summary>Waits until no message is queued in an outbound queue or on a connection (every accepted message was dispatched or counted as dropped).</summary>
        /// <exception cref="TimeoutException">Messages were still queued after <paramref name="timeout"/>.</exception>
        public async Task WaitForIdleAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            var sw = Stopwatch.StartNew();
            while (PendingMessages != 0)
            {
                if (sw.Elapsed > timeout)
                {
                    throw new TimeoutException($"{PendingMessages} message(s) were still queued after {timeout}.");
                }

                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Disposes every node (closing every connection).</summary>
        public void Dispose()
        {
            foreach (var node in Nodes)
            {
                node.Dispose();
            }
        }

        internal void OnEnqueued() => Interlocked.Increment(ref _pending);

        internal void OnDispatched() => Interlocked.Decrement(ref _pending);

        internal ConnectionMetadata Connect(InMemoryNode dialer, InMemoryNode listener)
        {
            if (listener is null)
            {
                throw new ArgumentNullException(nameof(listener));
            }

            if (!ReferenceEquals(listener.Network, this))
            {
                throw new ArgumentException($"Node {listener.PeerId} belongs to another in-memory network.", nameof(listener));
            }

            if (ReferenceEquals(dialer, listener))
            {
                throw new ArgumentException($"Node {dialer.PeerId} cannot connect to itself.", nameof(listener));
            }

            lock (_topologyLock)
            {
                if (dialer.IsDisposed || listener.IsDisposed)
                {
                    var which = dialer.IsDisposed ? dialer : listener;
                    throw new PeerNetException(SendFailure.Closed, which.Id, $"Node {which.PeerId} is disposed.");
                }

                var dialerHandlers = dialer.HandlersSnapshot;
                var listenerHandlers = listener.HandlersSnapshot;
                var dialerAnnounces = InMemoryNode.Announced(dialerHandlers);
                var listenerAnnounces = InMemoryNode.Announced(listenerHandlers);
                var agreed = dialerAnnounces.Intersect(listenerAnnounces);
                if (agreed.IsEmpty)
                {
                    throw new PeerNetException(
                        SendFailure.NoCommonProtocol,
                        listener.Id,
                        $"Handshake failed: {dialer.PeerId} announces {dialerAnnounces}, {listener.PeerId} announces {listenerAnnounces}; no common protocol.");
                }

                dialer.CurrentConnections.TryGetValue(listener.PeerId, out var old);
                var connection = new InMemoryConnection(dialer, dialerHandlers, listener, listenerHandlers, agreed, InboundQueueCapacity);
                connection.Start();
                dialer.OnConnectionOpened();
                listener.OnConnectionOpened();

                // Install the new connection and record it before closing the old one, so that a sender told
                // "replaced" finds the new connection in the store when it retries.
                dialer.CurrentConnections[listener.PeerId] = connection.Dialer;
                listener.CurrentConnections[dialer.PeerId] = connection.Listener;
                dialer.PeersAndMetadata.InsertConnectionMetadata(listener.Id, connection.Dialer.Metadata);
                listener.PeersAndMetadata.InsertConnectionMetadata(dialer.Id, connection.Listener.Metadata);
                old?.Connection.Close(SendFailure.ConnectionReplaced);
                return connection.Dialer.Metadata;
            }
        }

        internal bool Disconnect(InMemoryNode node, PeerId remote)
        {
            lock (_topologyLock)
            {
                if (!node.CurrentConnections.TryGetValue(remote, out var endpoint))
                {
                    return false;
                }

                CloseLocked(endpoint);
                return true;
            }
        }

        internal void DisconnectAll(InMemoryNode node)
        {
            lock (_topologyLock)
            {
                foreach (var endpoint in node.CurrentConnections.Values)
                {
                    CloseLocked(endpoint);
                }
            }
        }

        private static void CloseLocked(Endpoint endpoint)
        {
            var remote = endpoint.Remote;
            endpoint.Connection.Close(SendFailure.Closed);
            RemoveIfCurrent(endpoint);
            RemoveIfCurrent(remote);
        }

        private static void RemoveIfCurrent(Endpoint endpoint)
        {
            var owner = endpoint.Owner;
            ((ICollection<KeyValuePair<PeerId, Endpoint>>)owner.CurrentConnections).Remove(
                new KeyValuePair<PeerId, Endpoint>(endpoint.RemoteNode.PeerId, endpoint));
            owner.PeersAndMetadata.RemovePeerMetadata(new PeerNetworkId(owner.NetworkId, endpoint.RemoteNode.PeerId), endpoint.Id);
        }
    }
}
