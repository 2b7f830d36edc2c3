using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PeerNet.Annotations;

namespace PeerNet.Transport.Tcp
{
    /// <summary>
    /// A PeerNet node over TCP: it listens (by default on 127.0.0.1 with an OS-assigned port, see
    /// <see cref="LocalEndPoint"/>), dials other nodes (<see cref="ConnectAsync"/>), and keeps its own
    /// <see cref="PeersAndMetadata"/> up to date. The same guarantees as the in-memory transport
    /// (<see cref="InMemory.InMemoryNode"/>), over real sockets.
    /// </summary>
    /// <remarks>
    /// <para><b>Security</b> (docs/security.md). By default (<see cref="TcpSecurity.MutualTls"/>) every connection is mutual TLS 1.3:
    /// a node's <see cref="PeerId"/> is the hash of its key (<see cref="TcpNodeIdentity"/>), a dialer names the peer it expects
    /// (<see cref="ConnectAsync"/>), a node with a <see cref="TcpNodeOptions.TrustedPeers"/> set (required on the validator network)
    /// accepts only those peers, and the hello below travels encrypted, after both sides were authenticated. Every resource a peer
    /// can make the node spend is bounded (<see cref="TcpNodeOptions"/>): inbound connections, handshake, idle and frame-read
    /// time, concurrent inbound RPCs, outbound queue bytes, frame buffers.</para>
    /// <para><b>Handshake.</b> Each side sends a hello with its network, <see cref="PeerId"/>, role, maximum frame size
    /// and announced protocols (those it has handlers for, see <see cref="AnnouncedProtocols"/>). The connection's
    /// protocols are the intersection; an empty intersection, a different network, a self-connection or a malformed
    /// hello fails the handshake (the dialer gets a <see cref="PeerNetException"/>). Each side gives the connection its
    /// own <see cref="ConnectionId"/>, unique and increasing per node, and captures the handlers of the agreed
    /// protocols: a message is dispatched to a handler of the connection it arrived on, never another's.</para>
    /// <para><b>Replacement and simultaneous dials.</b> A new connection with a peer replaces the current one, whatever its
    /// direction: the new one is recorded in the store first (<see cref="PeersAndMetadata.InsertConnectionMetadata"/>),
    /// then the old one closes gracefully (its queue is flushed and what it already carries is still delivered to its own
    /// handlers) and removes itself only if still current (<see cref="PeersAndMetadata.RemovePeerMetadata"/>), so a late
    /// removal never removes the new connection. This is what a rolling upgrade needs (a restarted peer's new
    /// handshake always wins, from either side), but if two nodes dial each other at the same moment each may keep a
    /// different connection and then close it when the other side's close arrives, leaving none; the application
    /// redials. With <see cref="TcpNodeOptions.SimultaneousDialTieBreak"/> (off by default) the rule is Aptos's instead:
    /// between connections of opposite directions, both nodes keep the one dialed by the larger peer id and close the
    /// other (the losing dialer's <see cref="ConnectAsync"/> fails); then a peer that redials in the other direction
    /// while its old connection is still open may be refused until that connection closes.</para>
    /// <para><b>Frames.</b> Length-prefixed, at most <see cref="TcpNodeOptions.MaxFrameSize"/>; an oversize or malformed
    /// frame closes that connection with <see cref="TcpCloseReason.FrameTooLarge"/> or <see cref="TcpCloseReason.MalformedFrame"/>,
    /// logged and counted (<see cref="Statistics"/>, <see cref="TcpTransportMetrics.ProtocolErrors"/>); the node goes on.</para>
    /// <para><b>Nothing is lost silently.</b> A message refused by the sender is reported to its caller. The peer acknowledges what
    /// it processed: once a connection closed, every message accepted on it is confirmed
    /// (<see cref="TcpTransportStatistics.MessagesConfirmed"/>), lost (below) or, if the connection was aborted or reset after writing
    /// it and before the acknowledgement, unconfirmed (<see cref="TcpTransportStatistics.MessagesUnconfirmedOnClose"/>). A message queued on a
    /// connection is written to the socket, or, if the connection is aborted first, counted in
    /// <see cref="TcpTransportStatistics.MessagesLostOnClose"/> and <see cref="TcpTransportMetrics.MessagesLostOnClose"/> with the
    /// reason, and reported in <see cref="ConnectionClosed"/>. A graceful close lets RPC handlers already running answer
    /// (their <see cref="System.Threading.CancellationToken"/> is cancelled only when the connection is gone), answers
    /// RPC requests that arrive meanwhile with <see cref="SendFailure.ConnectionReplaced"/> (which
    /// <see cref="NetworkClient"/> retries on the new connection) or <see cref="SendFailure.Closed"/>, and fails this
    /// node's RPCs still unanswered when it finishes with <see cref="SendFailure.Closed"/>. A message with an unknown protocol is dropped and counted by the receiver; an RPC
    /// with an unknown protocol is answered with <see cref="SendFailure.UnsupportedProtocol"/>.</para>
    /// </remarks>
    public sealed partial class TcpNode : IDisposable, IAsyncDisposable
    {
        private readonly object _topologyLock = new object();
        private readonly ConcurrentDictionary<PeerId, TcpConnection> _current = new ConcurrentDictionary<PeerId, TcpConnection>();
        private readonly ConcurrentDictionary<TcpConnection, bool> _live = new ConcurrentDictionary<TcpConnection, bool>();
        private readonly ConcurrentDictionary<Task, bool> _handshakes = new ConcurrentDictionary<Task, bool>();
        private readonly CancellationTokenSource _shutdown = new CancellationTokenSource();
        private readonly TcpListener _listener;
        private readonly Task _acceptLoop;
        private readonly HandlerTable _handlers;
        private long _lastConnectionId;
        private int _disposed;
        private Task? _disposeTask;

        private long _sendsAccepted;
        private long _sendsRefused;
        private long _messagesWritten;
        private long _messagesLost;
        private long _rpcsFailedOnClose;
        private long _repliesUndeliverable;
        private long _lateReplies;
        private long _directDelivered;
        private long _directUnknown;
        private long _directHandlerErrors;
        private long _rpcHandled;
        private long _rpcUnsupported;
        private long _connectionsOpened;
        private long _connectionsClosed;
        private long _framesTooLarge;
        private long _malformedFrames;
        private long _handshakesFailed;
        private long _closeTimeouts;
        private long _simultaneousDialsRejected;
        private long _rpcRejectedWhileClosing;
        private long _authenticationFailures;
        private long _acceptFailures;
        private long _inboundRefused;
        private long _rpcsRefusedOverloaded;
        private long _idleTimeouts;
        private long _readTimeouts;
        private long _peakReadBuffer;
        private long _rentedBufferBytes;
        private long _messagesConfirmed;
        private long _messagesUnconfirmed;
        private readonly TcpTls? _tls;
        private readonly TcpNodeIdentity? _ownedIdentity;
        private readonly InboundAdmission _inbound;
        private readonly LogRateLimiter? _log;

        /// <summary>Creates a node and starts listening.</summary>
        /// <param name="peerId">Its id. Under <see cref="TcpSecurity.MutualTls"/> (the default) the id is the identity's
        /// (<see cref="TcpNodeOptions.Identity"/>, a new one when null): null or that id. Under
        /// <see cref="TcpSecurity.InsecurePlaintext"/>, any id; a random one when null.</param>
        /// <param name="options">Its settings; defaults when null (loopback, OS-assigned port, 4 MiB frames, mutual TLS).</param>
        /// <param name="peersAndMetadata">The store it records its connections in; a new one for <see cref="TcpNodeOptions.NetworkId"/> when null.</param>
        /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
        /// <exception cref="ArgumentException">The store is not configured for the options' network; <paramref name="peerId"/>
        /// is not the identity's; or a validator-network node under mutual TLS has no <see cref="TcpNodeOptions.TrustedPeers"/>.</exception>
        /// <exception cref="SocketException">The listen address or port cannot be bound.</exception>
        public TcpNode(PeerId? peerId = null, TcpNodeOptions? options = null, PeersAndMetadata? peersAndMetadata = null)
        {
            Options = (options ?? new TcpNodeOptions()).Validate();
            if (Options.Security == TcpSecurity.MutualTls)
            {
                var identity = Options.Identity;
                if (identity is null)
                {
                    identity = _ownedIdentity = TcpNodeIdentity.Create();
                }

                if (peerId.HasValue && peerId.Value != identity.PeerId)
                {
                    _ownedIdentity?.Dispose();
                    throw new ArgumentException($"Under mutual TLS a node's id is its identity's ({identity.PeerId.ToHexString()}), not {peerId.Value.ToHexString()}: pass null or that id.", nameof(peerId));
                }

                PeerId = identity.PeerId;
                Identity = identity;
                _tls = new TcpTls(identity);
            }
            else
            {
                PeerId = peerId ?? PeerId.Random();
            }

            _handlers = new HandlerTable(PeerId);
            _log = Options.Log is null ? null : new LogRateLimiter(WriteLogLine, Options.LogLinesPerInterval, Options.LogInterval);
            _inbound = new InboundAdmission(DescriptorBudget.CapInbound(Options.MaxInboundConnections), Options.MaxInboundConnectionsPerAddress);
            PeersAndMetadata = peersAndMetadata ?? new PeersAndMetadata(Options.NetworkId);
            if (!PeersAndMetadata.GetSnapshot().IsNetworkConfigured(Options.NetworkId))
            {
                _ownedIdentity?.Dispose();
                throw new ArgumentException($"The store is not configured for network {Options.NetworkId}.", nameof(peersAndMetadata));
            }

            Sender = new TcpSender(this);
            _listener = new TcpListener(Options.ListenAddress, Options.Port);
            try
            {
                _listener.Start();
            }
            catch
            {
                _ownedIdentity?.Dispose();
                throw;
            }

            LocalEndPoint = (IPEndPoint)_listener.LocalEndpoint;
            if (Options.TrustedPeers is TrustedPeerSet trusted)
            {
                trusted.Changed += OnTrustedPeersChanged;
            }

            _acceptLoop = Task.Run(AcceptLoopAsync);
        }

        /// <summary>Raised when a connection finished closing (on a pool thread), with the reason and what was lost.</summary>
        public event EventHandler<TcpConnectionClosedEventArgs>? ConnectionClosed;

        /// <summary>This node's peer id.</summary>
        public PeerId PeerId { get; }

        /// <summary>The network this node is on.</summary>
        public NetworkId NetworkId => Options.NetworkId;

        /// <summary>This node as a peer of its network.</summary>
        public PeerNetworkId Id => new PeerNetworkId(NetworkId, PeerId);

        /// <summary>The address and port the node listens on (the OS-assigned port when <see cref="TcpNodeOptions.Port"/> was 0).</summary>
        public IPEndPoint LocalEndPoint { get; }

        /// <summary>This node's peer store, updated on every connect and disconnect.</summary>
        public PeersAndMetadata PeersAndMetadata { get; }

        /// <summary>This node's sender for its network: raw sends plus connection-bound, checked sends.</summary>
        public IConnectionBoundSender Sender { get; }

        /// <summary>The protocols this node announces in its next handshakes: those it has handlers for.</summary>
        public ProtocolIdSet AnnouncedProtocols => ProtocolIdSet.From(_handlers.Current.Keys);

        /// <summary>Whether the node was disposed.</summary>
        public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

        /// <summary>The peers this node currently has a connection with.</summary>
        public IReadOnlyCollection<PeerId> ConnectedPeers => (IReadOnlyCollection<PeerId>)_current.Keys;

        /// <summary>Connections opened and not yet finished closing (current ones plus those still flushing).</summary>
        public int LiveConnectionCount => _live.Count;

        internal TcpNodeOptions Options { get; }

        // The identity in use under mutual TLS.
        internal TcpNodeIdentity? Identity { get; }

        // Accepted sockets whose handshake is still running.
        internal int PendingInboundHandshakes => _handshakes.Count;

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

        /// <summary>Closes the connection with <paramref name="remote"/> gracefully; it is removed from the store at once.</summary>
        /// <returns>false when there was no connection with that peer.</returns>
        public bool Disconnect(PeerId remote)
        {
            if (!_current.TryGetValue(remote, out var connection))
            {
                return false;
            }

            return connection.BeginClose(TcpCloseReason.Disconnected, $"node {PeerId} disconnected", abort: false);
        }

        /// <summary>This node's metadata of its current connection with <paramref name="remote"/>, if any; may be stale as soon as it returns.</summary>
        [CachedSnapshotRead]
        public bool TryGetCurrentConnection(PeerId remote, out ConnectionMetadata metadata)
        {
            if (_current.TryGetValue(remote, out var connection))
            {
                metadata = connection.Metadata;
                return true;
            }

            metadata = null!;
            return false;
        }

        /// <summary>Creates a <see cref="NetworkClient"/> over this node's sender and store.</summary>
        public NetworkClient CreateClient(IReadOnlyList<ProtocolId> directSendProtocolsAndPreferences, IReadOnlyList<ProtocolId> rpcProtocolsAndPreferences) =>
            new NetworkClient(
                directSendProtocolsAndPreferences,
                rpcProtocolsAndPreferences,
                new Dictionary<NetworkId, INetworkSender> { [NetworkId] = Sender },
                PeersAndMetadata);

        /// <summary>
        /// Stops listening and closes every connection gracefully, waiting (at most about
        /// <see cref="TcpNodeOptions.CloseTimeout"/> plus the handshake timeout) until every task of the node ended.
        /// Later sends fail with <see cref="SendFailure.Closed"/>.
        /// </summary>
        public ValueTask DisposeAsync()
        {
            lock (_topologyLock)
            {
                if (_disposeTask is null)
                {
                    Volatile.Write(ref _disposed, 1);
                    _disposeTask = Task.Run(DisposeCoreAsync);
                }

                return new ValueTask(_disposeTask);
            }
        }

        /// <summary>Blocking <see cref="DisposeAsync"/>.</summary>
        public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

        // Every line goes through the rate limiter (TcpNodeOptions.LogLinesPerInterval): a hostile peer cannot flood the log.
        internal void Log(LogCategory category, string line) => _log?.Write(category, line);

        private void WriteLogLine(string line)
        {
            try
            {
                Options.Log?.Invoke($"[tcp {PeerId}] {line}");
            }
            catch (Exception)
            {
                // A failing log sink must not break the transport.
            }
        }

        internal ConnectionId LastIssuedConnectionId => new ConnectionId((ulong)Interlocked.Read(ref _lastConnectionId));

        internal ConcurrentDictionary<PeerId, TcpConnection> CurrentConnections => _current;

        private void ThrowIfDisposed()
        {
            if (IsDisposed)
            {
                throw new PeerNetException(SendFailure.Closed, Id, $"Node {PeerId} is disposed.");
            }
        }

        private async Task DisposeCoreAsync()
        {
            if (Options.TrustedPeers is TrustedPeerSet trusted)
            {
                trusted.Changed -= OnTrustedPeersChanged;
            }

            _shutdown.Cancel();
            _listener.Stop();
            await _acceptLoop.ConfigureAwait(false);
            await Task.WhenAll(_handshakes.Keys).ConfigureAwait(false);
            var live = new List<TcpConnection>(_live.Keys);
            foreach (var connection in live)
            {
                connection.BeginClose(TcpCloseReason.NodeDisposed, $"node {PeerId} is disposed", abort: false);
            }

            var tasks = new List<Task>();
            foreach (var connection in live)
            {
                tasks.Add(connection.Completion);
            }

            await Task.WhenAll(tasks).ConfigureAwait(false);
            _ownedIdentity?.Dispose();
            _log?.Dispose(); // reports what is still suppressed

            // _shutdown is not disposed: a ConnectAsync racing with the dispose may still read its token (it has no timer to free).
        }
    }
}
