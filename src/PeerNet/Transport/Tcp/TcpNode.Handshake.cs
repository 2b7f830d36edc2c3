using System;
using System.Collections.Immutable;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace PeerNet.Transport.Tcp
{
    // Accepting, dialing and the handshake: TLS (or the insecure plaintext opt-in), then the hellos, then the
    // connection is installed as the peer's current one.
    public sealed partial class TcpNode
    {
        private const int MaxHelloLength = 4096;
        private static readonly TimeSpan MaxAcceptBackoff = TimeSpan.FromSeconds(1);

        /// <summary>
        /// Dials <paramref name="remote"/>, authenticates it as <paramref name="expectedPeer"/> and performs the handshake;
        /// the new connection replaces any current one with the same peer (see the remarks on <see cref="TcpNode"/>).
        /// </summary>
        /// <param name="remote">The address to dial.</param>
        /// <param name="expectedPeer">The peer that must answer there: any other (including one that cannot prove it holds
        /// <paramref name="expectedPeer"/>'s key) is refused with <see cref="SendFailure.Unauthenticated"/>.</param>
        /// <param name="cancellationToken">Cancels the dial.</param>
        /// <returns>This node's metadata of the new connection.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="remote"/> is null.</exception>
        /// <exception cref="PeerNetException">The node is disposed or the socket failed (<see cref="SendFailure.Closed"/>),
        /// the peer is not <paramref name="expectedPeer"/>, not trusted or failed TLS (<see cref="SendFailure.Unauthenticated"/>),
        /// the handshake found no common protocol (<see cref="SendFailure.NoCommonProtocol"/>), was malformed, for another
        /// network or to this node itself (<see cref="SendFailure.Closed"/>), or did not finish within
        /// <see cref="TcpNodeOptions.HandshakeTimeout"/> (<see cref="SendFailure.Timeout"/>).</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        public async Task<ConnectionMetadata> ConnectAsync(IPEndPoint remote, PeerId expectedPeer, CancellationToken cancellationToken = default)
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
                throw new PeerNetException(failure, new PeerNetworkId(NetworkId, expectedPeer), $"Node {PeerId} could not connect to {remote}: {ex.Message}", ex);
            }

            var connection = await HandshakeAsync(socket, ConnectionOrigin.Outbound, expectedPeer, null, timeout, cancellationToken).ConfigureAwait(false);
            return connection.Metadata;
        }

        private async Task AcceptLoopAsync()
        {
            var token = _shutdown.Token;
            var backoff = TimeSpan.Zero;
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
                    backoff = TimeSpan.Zero;
                }
                catch (Exception ex)
                {
                    if (token.IsCancellationRequested)
                    {
                        return;
                    }

                    // Out of descriptors or memory: the connected peers are still served; wait, then accept again.
                    backoff = backoff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(10) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxAcceptBackoff.Ticks));
                    OnAcceptFailed(ex, backoff);
                    try
                    {
                        await Task.Delay(backoff, token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    continue;
                }

                try
                {
                    AdmitInbound(socket);
                }
                catch (Exception ex) when (!(ex is StackOverflowException))
                {
                    // Even an out-of-memory here only costs this socket.
                    socket.Dispose();
                    OnAcceptFailed(ex, TimeSpan.Zero);
                }
            }
        }

        private void AdmitInbound(Socket socket)
        {
            var address = (socket.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
            var slot = _inbound.TryAcquire(address, out var refusal);
            if (slot is null)
            {
                OnInboundRefused(address, refusal);
                socket.LingerState = new LingerOption(true, 0); // reset: no TIME_WAIT kept for a refused socket
                socket.Dispose();
                return;
            }

            socket.NoDelay = true;
            var task = AcceptOneAsync(socket, slot);
            _handshakes.TryAdd(task, true);
            _ = task.ContinueWith(t => _handshakes.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        private async Task AcceptOneAsync(Socket socket, InboundSlot slot)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
            timeout.CancelAfter(Options.HandshakeTimeout);
            try
            {
                await HandshakeAsync(socket, ConnectionOrigin.Inbound, null, slot, timeout, CancellationToken.None).ConfigureAwait(false);
            }
            catch (PeerNetException)
            {
                // Counted and logged by HandshakeAsync; the dialer is told by the closed socket.
                slot.Release();
            }
            catch (Exception ex)
            {
                // Not expected; logged rather than left as an unobserved task failure.
                slot.Release();
                socket.Dispose();
                Log(LogCategory.Handshake, $"accepted connection failed unexpectedly: {ex}");
            }
        }

        // Authenticates the peer, exchanges hellos on a connected socket, then installs the connection. Disposes the
        // socket on failure. expected: the peer a dialer asked for. slot: an inbound connection's admission, held by the
        // connection once installed.
        private async Task<TcpConnection> HandshakeAsync(Socket socket, ConnectionOrigin origin, PeerId? expected, InboundSlot? slot, CancellationTokenSource timeout, CancellationToken callerToken)
        {
            var remoteAddress = "tcp://?";
            Stream? stream = null;
            PeerId? authenticated = null;
            var handlers = _handlers.Current;
            var announced = ProtocolIdSet.From(handlers.Keys);
            Hello hello;
            try
            {
                remoteAddress = "tcp://" + (socket.RemoteEndPoint?.ToString() ?? "?");
                stream = new NetworkStream(socket, ownsSocket: true);
                using (timeout.Token.Register(() => socket.Dispose()))
                {
                    if (_tls is not null)
                    {
                        var (ssl, peer) = await _tls.AuthenticateAsync(stream, origin == ConnectionOrigin.Outbound, id => CheckPeer(id, expected), timeout.Token).ConfigureAwait(false);
                        stream = ssl;
                        authenticated = peer;
                    }

                    // Only now, to an authenticated and wanted peer (or under the insecure opt-in), say who we are and what we speak.
                    var mine = TcpFrameCodec.EncodeHello(new Hello(NetworkId, PeerId, Options.Role, Options.MaxFrameSize, announced));
                    await stream.WriteAsync(mine, 0, mine.Length, timeout.Token).ConfigureAwait(false);
                    hello = await ReadHelloAsync(stream, remoteAddress, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (TlsRefusedException ex)
            {
                stream?.Dispose();
                socket.Dispose();
                callerToken.ThrowIfCancellationRequested();
                var timedOut = timeout.IsCancellationRequested && !_shutdown.IsCancellationRequested;
                throw HandshakeFailed(timedOut ? SendFailure.Timeout : SendFailure.Unauthenticated, ex.Peer ?? expected ?? default, remoteAddress, timedOut ? $"no TLS handshake within {Options.HandshakeTimeout}" : ex.Message, ex, authentication: true);
            }
            catch (Exception ex) when (ex is not PeerNetException)
            {
                stream?.Dispose();
                socket.Dispose();
                callerToken.ThrowIfCancellationRequested();
                var timedOut = timeout.IsCancellationRequested && !_shutdown.IsCancellationRequested;
                throw HandshakeFailed(timedOut ? SendFailure.Timeout : SendFailure.Closed, expected ?? default, remoteAddress, timedOut ? $"no hello within {Options.HandshakeTimeout}" : $"{ex.GetType().Name}: {ex.Message}", ex);
            }
            catch (PeerNetException)
            {
                stream?.Dispose();
                socket.Dispose();
                throw;
            }

            var (failure, problem) = CheckHello(hello, authenticated, expected, announced);
            if (problem is not null)
            {
                stream.Dispose();
                throw HandshakeFailed(failure, authenticated ?? hello.PeerId, remoteAddress, problem, null, authentication: failure == SendFailure.Unauthenticated);
            }

            var agreed = hello.Protocols.Intersect(announced);
            var id = new ConnectionId((ulong)Interlocked.Increment(ref _lastConnectionId));
            var metadata = new ConnectionMetadata(hello.PeerId, id, remoteAddress, origin, agreed, hello.Role);
            var connection = new TcpConnection(this, socket, stream, metadata, HandlersFor(handlers, agreed), Math.Min(Options.MaxFrameSize, hello.MaxFrameSize), slot);
            Install(connection);
            return connection;
        }

        // Whether this node wants the (authenticated or, under the insecure opt-in, claimed) peer: null when it does.
        private string? CheckPeer(PeerId peer, PeerId? expected)
        {
            if (expected.HasValue && peer != expected.Value)
            {
                return $"the peer is {peer.ToHexString()}, not the expected {expected.Value.ToHexString()}";
            }

            var trusted = Options.TrustedPeers;
            if (trusted is not null && !trusted.Contains(peer) && peer != PeerId)
            {
                return $"peer {peer.ToHexString()} is not in the trusted-peer set";
            }

            return null;
        }

        private (SendFailure Failure, string? Problem) CheckHello(Hello hello, PeerId? authenticated, PeerId? expected, ProtocolIdSet announced)
        {
            if (authenticated.HasValue && hello.PeerId != authenticated.Value)
            {
                return (SendFailure.Unauthenticated, $"the peer authenticated as {authenticated.Value.ToHexString()} but its hello claims {hello.PeerId.ToHexString()}");
            }

            if (!authenticated.HasValue && CheckPeer(hello.PeerId, expected) is string refused)
            {
                return (SendFailure.Unauthenticated, refused + " (claimed in an unauthenticated hello)");
            }

            if (hello.Network != NetworkId)
            {
                return (SendFailure.Closed, $"the peer is on network {hello.Network}, this node on {NetworkId}");
            }

            if (hello.PeerId == PeerId)
            {
                return (SendFailure.Closed, "the peer is this node itself");
            }

            if (hello.Protocols.Intersect(announced).IsEmpty)
            {
                return (SendFailure.NoCommonProtocol, $"no common protocol: this node announces {announced}, the peer {hello.Protocols}");
            }

            return (SendFailure.None, null);
        }

        private async Task<Hello> ReadHelloAsync(Stream stream, string remoteAddress, CancellationToken token)
        {
            var header = new byte[TcpFrameCodec.HeaderLength];
            var got = await TcpConnection.ReadExactAsync(stream, header, header.Length, token).ConfigureAwait(false);
            if (got < header.Length)
            {
                throw HandshakeFailed(SendFailure.Closed, default, remoteAddress, "the peer closed the connection before its hello", null);
            }

            var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(header);
            if (length > MaxHelloLength)
            {
                throw HandshakeFailed(SendFailure.Closed, default, remoteAddress, $"hello frame of {length} bytes is larger than any valid hello", null);
            }

            var body = new byte[length];
            got = await TcpConnection.ReadExactAsync(stream, body, body.Length, token).ConfigureAwait(false);
            if (got < body.Length)
            {
                throw HandshakeFailed(SendFailure.Closed, default, remoteAddress, "the peer closed the connection inside its hello", null);
            }

            var hello = TcpFrameCodec.DecodeHello(body, out var error);
            if (hello is null)
            {
                throw HandshakeFailed(SendFailure.Closed, default, remoteAddress, error, null);
            }

            return hello;
        }

        private PeerNetException HandshakeFailed(SendFailure failure, PeerId remote, string address, string problem, Exception? inner, bool authentication = false)
        {
            Interlocked.Increment(ref _handshakesFailed);
            if (authentication)
            {
                Interlocked.Increment(ref _authenticationFailures);
            }

            TcpTransportMetrics.ProtocolErrorCounter.Add(1, TcpTransportMetrics.Reason(authentication ? "AuthenticationFailed" : "HandshakeFailed"));
            var message = $"Handshake of node {PeerId} with {address} failed: {TcpConnection.Truncate(problem)}.";
            Log(LogCategory.Handshake, message);
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
                    Log(LogCategory.Connection, message);
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

            Log(LogCategory.Connection, $"{connection.Id} with {connection.Remote.PeerId} at {connection.Metadata.Address} open ({connection.Metadata.Origin}, {connection.Metadata.ApplicationProtocols})");
            old?.BeginClose(TcpCloseReason.Replaced, $"replaced by {connection.Id}", abort: false);

            // The trusted set may have changed while this handshake ran: a peer removed meanwhile does not stay connected.
            if (Options.TrustedPeers is TrustedPeerSet trusted && !trusted.Contains(connection.Remote.PeerId))
            {
                connection.BeginClose(TcpCloseReason.NotTrusted, "no longer in the trusted-peer set", abort: false);
            }
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

        // Closes the connections of peers no longer in the trusted-peer set.
        private void OnTrustedPeersChanged(object? sender, EventArgs e)
        {
            var trusted = Options.TrustedPeers;
            if (trusted is null)
            {
                return;
            }

            foreach (var entry in _current)
            {
                if (!trusted.Contains(entry.Key))
                {
                    Log(LogCategory.Connection, $"{entry.Value.Id} with {entry.Key}: the peer left the trusted-peer set; closing");
                    entry.Value.BeginClose(TcpCloseReason.NotTrusted, "removed from the trusted-peer set", abort: false);
                }
            }
        }

        private static ImmutableDictionary<ProtocolId, HandlerEntry> HandlersFor(ImmutableDictionary<ProtocolId, HandlerEntry> all, ProtocolIdSet agreed)
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
    }
}
