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
    /// <para><b>Nothing is lost silently.</b> A message refused by the sender is reported to its caller. A message queued on a
    /// connection is written to the socket, or, if the connection is aborted first, counted in
    /// <see cref="TcpTransportStatistics.MessagesLostOnClose"/> and <see cref="TcpTransportMetrics.MessagesLostOnClose"/> with the
    /// reason, and reported in <see cref="ConnectionClosed"/>. A graceful close lets RPC handlers already running answer
    /// (their <see cref="System.Threading.CancellationToken"/> is cancelled only when the connection is gone), answers
    /// RPC requests that arrive meanwhile with <see cref="SendFailure.ConnectionReplaced"/> (which
    /// <see cref="NetworkClient"/> retries on the new connection) or <see cref="SendFailure.Closed"/>, and fails this
    /// node's RPCs still unanswered when it finishes with <see cref="SendFailure.Closed"/>. A message with an unknown protocol is dropped and counted by the receiver; an RPC
    /// with an unknown protocol is answered with <see cref="SendFailure.UnsupportedProtocol"/>. One gap remains, inherent to
    /// TCP without acknowledgements: bytes written to a socket that the peer then aborts (not closes) are not counted by either side.</para>
    /// </remarks>
    public sealed class TcpNode : IDisposable, IAsyncDisposable
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

        /// <summary>Creates a node and starts listening.</summary>
        /// <param name="peerId">Its id; a random one when null.</param>
        /// <param name="options">Its settings; defaults when null (loopback, OS-assigned port, 4 MiB frames).</param>
        /// <param name="peersAndMetadata">The store it records its connections in; a new one for <see cref="TcpNodeOptions.NetworkId"/> when null.</param>
        /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
        /// <exception cref="ArgumentException">The store is not configured for the options' network.</exception>
        /// <exception cref="SocketException">The listen address or port cannot be bound.</exception>
        public TcpNode(PeerId? peerId = null, TcpNodeOptions? options = null, PeersAndMetadata? peersAndMetadata = null)
        {
            Options = (options ?? new TcpNodeOptions()).Validate();
            PeerId = peerId ?? PeerId.Random();
            _handlers = new HandlerTable(PeerId);
            PeersAndMetadata = peersAndMetadata ?? new PeersAndMetadata(Options.NetworkId);
            if (!PeersAndMetadata.GetSnapshot().IsNetworkConfigured(Options.NetworkId))
            {
                throw new ArgumentException($"The store is not configured for network {Options.NetworkId}.", nameof(peersAndMetadata));
            }

            Sender = new TcpSender(this);
            _listener = new TcpListener(Options.ListenAddress, Options.Port);
            _listener.Start();
            LocalEndPoint = (IPEndPoint)_listener.LocalEndpoint;
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

        /// <summary>This node's counters.</summary>
        public TcpTransportStatistics Statistics => new TcpTransportStatistics
        {
            SendsAccepted = Interlocked.Read(ref _sendsAccepted),
            SendsRefused = Interlocked.Read(ref _sendsRefused),
            MessagesWritten = Interlocked.Read(ref _messagesWritten),
            MessagesLostOnClose = Interlocked.Read(ref _messagesLost),
            RpcsFailedOnClose = Interlocked.Read(ref _rpcsFailedOnClose),
            RpcRepliesUndeliverable = Interlocked.Read(ref _repliesUndeliverable),
            LateRpcReplies = Interlocked.Read(ref _lateReplies),
            DirectSendDelivered = Interlocked.Read(ref _directDelivered),
            DirectSendUnknownProtocol = Interlocked.Read(ref _directUnknown),
            DirectSendHandlerErrors = Interlocked.Read(ref _directHandlerErrors),
            RpcHandled = Interlocked.Read(ref _rpcHandled),
            RpcUnsupportedProtocol = Interlocked.Read(ref _rpcUnsupported),
            ConnectionsOpened = Interlocked.Read(ref _connectionsOpened),
            ConnectionsClosed = Interlocked.Read(ref _connectionsClosed),
            FramesTooLarge = Interlocked.Read(ref _framesTooLarge),
            MalformedFrames = Interlocked.Read(ref _malformedFrames),
            HandshakesFailed = Interlocked.Read(ref _handshakesFailed),
            CloseTimeouts = Interlocked.Read(ref _closeTimeouts),
            SimultaneousDialsRejected = Interlocked.Read(ref _simultaneousDialsRejected),
            RpcRejectedWhileClosing = Interlocked.Read(ref _rpcRejectedWhileClosing),
        };

        /// <summary>Connections opened and not yet finished closing (current ones plus those still flushing).</summary>
        public int LiveConnectionCount => _live.Count;

        internal TcpNodeOptions Options { get; }

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

        /// <summary>
        /// Dials <paramref name="remote"/> and performs the handshake; the new connection replaces any current one with
        /// the same peer (see the remarks on <see cref="TcpNode"/>).
        /// </summary>
        /// <returns>This node's metadata of the new connection.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="remote"/> is null.</exception>
        /// <exception cref="PeerNetException">The node is disposed or the socket failed (<see cref="SendFailure.Closed"/>),
        /// the handshake found no common protocol (<see cref="SendFailure.NoCommonProtocol"/>), was malformed, for another
        /// network or to this node itself (<see cref="SendFailure.Closed"/>), or did not finish within
        /// <see cref="TcpNodeOptions.HandshakeTimeout"/> (<see cref="SendFailure.Timeout"/>).</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        public async Task<ConnectionMetadata> ConnectAsync(IPEndPoint remote, CancellationToken cancellationToken = default)
        {
            if (remote is null)
            {
                throw new ArgumentNullException(nameof(remote));
            }

            ThrowIfDisposed();
            var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
            timeout.CancelAfter(Options.HandshakeTimeout);
            try
            {
                using (timeout.Token.Register(() => socket.Dispose()))
                {
#if NET
                    await socket.ConnectAsync(remote, timeout.Token).ConfigureAwait(false);
#else
                    await socket.ConnectAsync(remote).ConfigureAwait(false);
#endif
                }
            }
            catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException || ex is OperationCanceledException)
            {
                socket.Dispose();
                Interlocked.Increment(ref _handshakesFailed);
                cancellationToken.ThrowIfCancellationRequested();
                var failure = timeout.IsCancellationRequested && !_shutdown.IsCancellationRequested ? SendFailure.Timeout : SendFailure.Closed;
                throw new PeerNetException(failure, new PeerNetworkId(NetworkId, default), $"Node {PeerId} could not connect to {remote}: {ex.Message}", ex);
            }

            var connection = await HandshakeAsync(socket, ConnectionOrigin.Outbound, timeout, cancellationToken).ConfigureAwait(false);
            return connection.Metadata;
        }

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

        internal void Log(string line)
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

        internal void OnSendAccepted() => Interlocked.Increment(ref _sendsAccepted);

        internal SendFailure OnSendRefused(SendFailure failure)
        {
            Interlocked.Increment(ref _sendsRefused);
            PeerNetMetrics.SendFailureCounter.Add(1, PeerNetMetrics.Reason(failure));
            return failure;
        }

        internal void OnMessagesWritten(int count) => Interlocked.Add(ref _messagesWritten, count);

        internal void OnMessageLost() => Interlocked.Increment(ref _messagesLost);

        internal void OnRpcFailedOnClose()
        {
            Interlocked.Increment(ref _rpcsFailedOnClose);
            TcpTransportMetrics.RpcFailedCounter.Add(1);
        }

        internal void OnReplyUndeliverable() => Interlocked.Increment(ref _repliesUndeliverable);

        internal void OnRpcRejectedWhileClosing() => Interlocked.Increment(ref _rpcRejectedWhileClosing);

        internal void OnLateReply() => Interlocked.Increment(ref _lateReplies);

        internal void OnDirectSendDelivered()
        {
            Interlocked.Increment(ref _directDelivered);
            PeerNetMetrics.DirectSendCounter.Add(1, PeerNetMetrics.StateDelivered);
        }

        internal void OnDirectSendUnknown()
        {
            Interlocked.Increment(ref _directUnknown);
            PeerNetMetrics.DirectSendCounter.Add(1, PeerNetMetrics.StateUnknown);
        }

        internal void OnDirectSendHandlerError() => Interlocked.Increment(ref _directHandlerErrors);

        internal void OnRpcHandled()
        {
            Interlocked.Increment(ref _rpcHandled);
            PeerNetMetrics.RpcCounter.Add(1, PeerNetMetrics.StateHandled);
        }

        internal void OnRpcUnsupported()
        {
            Interlocked.Increment(ref _rpcUnsupported);
            PeerNetMetrics.RpcCounter.Add(1, PeerNetMetrics.StateUnsupported);
        }

        internal void OnIoError() => TcpTransportMetrics.ProtocolErrorCounter.Add(1, TcpTransportMetrics.Reason(nameof(TcpCloseReason.IoError)));

        internal void OnProtocolError(TcpCloseReason reason, TcpConnection connection, string detail)
        {
            Interlocked.Increment(ref reason == TcpCloseReason.FrameTooLarge ? ref _framesTooLarge : ref _malformedFrames);
            TcpTransportMetrics.ProtocolErrorCounter.Add(1, TcpTransportMetrics.Reason(reason.ToString()));
            Log($"{connection.Id} with {connection.Remote.PeerId}: protocol error {reason}: {detail}; closing the connection");
        }

        // The connection stopped accepting sends: forget it as current and remove it from the store if still current.
        internal void OnConnectionClosing(TcpConnection connection)
        {
            lock (_topologyLock)
            {
                ((ICollection<KeyValuePair<PeerId, TcpConnection>>)_current).Remove(new KeyValuePair<PeerId, TcpConnection>(connection.Remote.PeerId, connection));
                PeersAndMetadata.RemovePeerMetadata(connection.Remote, connection.Id);
            }
        }

        internal void OnConnectionClosed(TcpConnection connection, TcpConnectionClosedEventArgs args)
        {
            Interlocked.Increment(ref _connectionsClosed);
            if (args.TimedOut)
            {
                Interlocked.Increment(ref _closeTimeouts);
            }

            _live.TryRemove(connection, out _);
            Log(args.ToString());
            try
            {
                ConnectionClosed?.Invoke(this, args);
            }
            catch (Exception ex)
            {
                Log($"a ConnectionClosed handler threw: {ex.Message}");
            }
        }


        private ImmutableDictionary<ProtocolId, HandlerEntry> HandlersFor(ImmutableDictionary<ProtocolId, HandlerEntry> all, ProtocolIdSet agreed)
        {
            var builder = ImmutableDictionary.CreateBuilder<ProtocolId, HandlerEntry>();
            foreach (var entry in all)
            {
                if (agreed.Contains(entry.Key))
                {
                    builder.Add(entry.Key, entry.Value);
                }
            }

            return builder.ToImmutable();
        }

        private void ThrowIfDisposed()
        {
            if (IsDisposed)
            {
                throw new PeerNetException(SendFailure.Closed, Id, $"Node {PeerId} is disposed.");
            }
        }

        private async Task AcceptLoopAsync()
        {
            var token = _shutdown.Token;
            while (!token.IsCancellationRequested)
            {
                Socket socket;
                try
                {
#if NET
                    socket = await _listener.AcceptSocketAsync(token).ConfigureAwait(false);
#else
                    socket = await _listener.AcceptSocketAsync().ConfigureAwait(false);
#endif
                }
                catch (Exception ex)
                {
                    if (token.IsCancellationRequested)
                    {
                        return;
                    }

                    Log($"accept failed: {ex.GetType().Name}: {ex.Message}");
                    await Task.Delay(10).ConfigureAwait(false);
                    continue;
                }

                socket.NoDelay = true;
                var task = AcceptOneAsync(socket);
                _handshakes.TryAdd(task, true);
                _ = task.ContinueWith(t => _handshakes.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        private async Task AcceptOneAsync(Socket socket)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
            timeout.CancelAfter(Options.HandshakeTimeout);
            try
            {
                await HandshakeAsync(socket, ConnectionOrigin.Inbound, timeout, CancellationToken.None).ConfigureAwait(false);
            }
            catch (PeerNetException)
            {
                // Counted and logged by HandshakeAsync; the dialer is told by the closed socket.
            }
            catch (Exception ex)
            {
                // Not expected; logged rather than left as an unobserved task failure.
                socket.Dispose();
                Log($"accepted connection failed unexpectedly: {ex}");
            }
        }

        // Exchanges hellos on a connected socket, then installs the connection. Disposes the socket on failure.
        private async Task<TcpConnection> HandshakeAsync(Socket socket, ConnectionOrigin origin, CancellationTokenSource timeout, CancellationToken callerToken)
        {
            var remoteAddress = "tcp://?";
            NetworkStream? stream = null;
            var handlers = _handlers.Current;
            var announced = ProtocolIdSet.From(handlers.Keys);
            Hello? hello;
            try
            {
                remoteAddress = "tcp://" + (socket.RemoteEndPoint?.ToString() ?? "?");
                stream = new NetworkStream(socket, ownsSocket: true);
                using (timeout.Token.Register(() => socket.Dispose()))
                {
                    var mine = TcpFrameCodec.EncodeHello(new Hello(NetworkId, PeerId, Options.Role, Options.MaxFrameSize, announced));
                    await stream.WriteAsync(mine, 0, mine.Length, timeout.Token).ConfigureAwait(false);
                    hello = await ReadHelloAsync(stream, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not PeerNetException)
            {
                stream?.Dispose();
                socket.Dispose();
                callerToken.ThrowIfCancellationRequested();
                var timedOut = timeout.IsCancellationRequested && !_shutdown.IsCancellationRequested;
                throw HandshakeFailed(timedOut ? SendFailure.Timeout : SendFailure.Closed, default, remoteAddress, timedOut ? $"no hello within {Options.HandshakeTimeout}" : $"{ex.GetType().Name}: {ex.Message}", ex);
            }
            catch (PeerNetException)
            {
                stream?.Dispose();
                socket.Dispose();
                throw;
            }

            string? problem = null;
            var failure = SendFailure.Closed;
            if (hello.Network != NetworkId)
            {
                problem = $"the peer is on network {hello.Network}, this node on {NetworkId}";
            }
            else if (hello.PeerId == PeerId)
            {
                problem = "the peer is this node itself";
            }
            else if (hello.Protocols.Intersect(announced).IsEmpty)
            {
                failure = SendFailure.NoCommonProtocol;
                problem = $"no common protocol: this node announces {announced}, the peer {hello.Protocols}";
            }

            if (problem is not null)
            {
                stream.Dispose();
                throw HandshakeFailed(failure, hello.PeerId, remoteAddress, problem, null);
            }

            var agreed = hello.Protocols.Intersect(announced);
            var id = new ConnectionId((ulong)Interlocked.Increment(ref _lastConnectionId));
            var metadata = new ConnectionMetadata(hello.PeerId, id, remoteAddress, origin, agreed, hello.Role);
            var connection = new TcpConnection(this, socket, stream, metadata, HandlersFor(handlers, agreed), Math.Min(Options.MaxFrameSize, hello.MaxFrameSize));
            Install(connection);
            return connection;
        }

        private async Task<Hello> ReadHelloAsync(NetworkStream stream, CancellationToken token)
        {
            var header = new byte[TcpFrameCodec.HeaderLength];
            var got = await TcpConnection.ReadExactAsync(stream, header, header.Length, token).ConfigureAwait(false);
            if (got < header.Length)
            {
                throw HandshakeFailed(SendFailure.Closed, default, "?", "the peer closed the connection before its hello", null);
            }

            var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(header);
            if (length > 4096)
            {
                throw HandshakeFailed(SendFailure.Closed, default, "?", $"hello frame of {length} bytes is larger than any valid hello", null);
            }

            var body = new byte[length];
            got = await TcpConnection.ReadExactAsync(stream, body, body.Length, token).ConfigureAwait(false);
            if (got < body.Length)
            {
                throw HandshakeFailed(SendFailure.Closed, default, "?", "the peer closed the connection inside its hello", null);
            }

            var hello = TcpFrameCodec.DecodeHello(body, out var error);
            if (hello is null)
            {
                throw HandshakeFailed(SendFailure.Closed, default, "?", error, null);
            }

            return hello;
        }

        private PeerNetException HandshakeFailed(SendFailure failure, PeerId remote, string address, string problem, Exception? inner)
        {
            Interlocked.Increment(ref _handshakesFailed);
            TcpTransportMetrics.ProtocolErrorCounter.Add(1, TcpTransportMetrics.Reason("HandshakeFailed"));
            var message = $"Handshake of node {PeerId} with {address} failed: {problem}.";
            Log(message);
            return new PeerNetException(failure, new PeerNetworkId(NetworkId, remote), message, inner);
        }

        private void Install(TcpConnection connection)
        {
            TcpConnection? old;
            lock (_topologyLock)
            {
                if (IsDisposed)
                {
                    connection.BeginClose(TcpCloseReason.NodeDisposed, $"node {PeerId} is disposed", abort: true);
                    throw new PeerNetException(SendFailure.Closed, connection.Remote, $"Node {PeerId} is disposed.");
                }

                _current.TryGetValue(connection.Remote.PeerId, out old);
                if (old is not null && Options.SimultaneousDialTieBreak && old.Metadata.Origin != connection.Metadata.Origin && !KeepsNewConnection(connection))
                {
                    Interlocked.Increment(ref _simultaneousDialsRejected);
                    connection.BeginClose(TcpCloseReason.SimultaneousDialLost, $"kept {old.Id}, dialed by the larger peer id", abort: true);
                    var message = $"Node {PeerId} already has {old.Id} with {connection.Remote.PeerId}, dialed by the larger peer id; " +
                        $"the new {connection.Metadata.Origin} connection {connection.Id} was closed (simultaneous-dial tie-break).";
                    Log(message);
                    throw new PeerNetException(SendFailure.Closed, connection.Remote, message);
                }

                // Record the new connection before closing the old one, so that a sender told "replaced" finds the
                // new connection in the store when it retries, and the old one's removal (only if current) is a no-op.
                _current[connection.Remote.PeerId] = connection;
                _live[connection] = true;
                PeersAndMetadata.InsertConnectionMetadata(connection.Remote, connection.Metadata);
                Interlocked.Increment(ref _connectionsOpened);
                connection.Start();
            }

            Log($"{connection.Id} with {connection.Remote.PeerId} open ({connection.Metadata.Origin}, {connection.Metadata.ApplicationProtocols})");
            old?.BeginClose(TcpCloseReason.Replaced, $"replaced by {connection.Id}", abort: false);
        }

        // Simultaneous-dial tie-break (as in Aptos): of two connections in opposite directions, both nodes keep the one
        // dialed by the node with the larger peer id.
        private bool KeepsNewConnection(TcpConnection connection)
        {
            var remote = connection.Remote.PeerId;
            var newDialer = connection.Metadata.Origin == ConnectionOrigin.Outbound ? PeerId : remote;
            var larger = PeerId.CompareTo(remote) > 0 ? PeerId : remote;
            return newDialer == larger;
        }

        private async Task DisposeCoreAsync()
        {
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

            // _shutdown is not disposed: a ConnectAsync racing with the dispose may still read its token (it has no timer to free).
        }
    }
}
