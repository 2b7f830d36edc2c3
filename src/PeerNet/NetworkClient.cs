using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Threading;
using System.Threading.Tasks;
using PeerNet.Annotations;

namespace PeerNet
{
    /// <summary>
    /// The application's handle on the network: protocol preferences, one sender per network, and the
    /// peer store. Its sends are atomic: the protocol is chosen from, and the message handed to, one and
    /// the same current connection.
    /// </summary>
    /// <remarks>
    /// <para><b>How a send is atomic.</b> <see cref="TrySendWithCurrentProtocol(PeerNetworkId, IReadOnlyList{ProtocolId}, Message, out SendFailure)"/>,
    /// <see cref="SendToPeer(Message, PeerNetworkId)"/> and <see cref="SendToPeerRpcAsync(Message, TimeSpan, PeerNetworkId, CancellationToken)"/>
    /// read the peer's current metadata, choose the first preferred protocol that connection announced, and call
    /// <see cref="IConnectionBoundSender.TrySendOnConnection"/> with that connection's <see cref="ConnectionId"/>:
    /// the transport checks, where the connection is owned, that it is still current and announced the
    /// protocol. When the connection was replaced (or closed) in between, the send is retried on fresh metadata, at
    /// most <see cref="MaxSendAttempts"/> times in all, then fails with <see cref="SendFailure.ConnectionReplaced"/>.</para>
    /// <para><b>Plain senders.</b> A sender that only implements <see cref="INetworkSender"/> cannot bind a send to a
    /// connection. It is accepted (its raw methods stay usable through <see cref="GetSenderForNetwork"/>), but every
    /// atomic method for its network throws <see cref="NotSupportedException"/> naming the sender's type: no fake
    /// atomicity. <see cref="SupportsAtomicSends"/> tells in advance.</para>
    /// <para><b>Failures.</b> The <c>Try</c> method returns false with the reason; the others throw
    /// <see cref="PeerNetException"/> carrying it. Programming errors throw: null arguments
    /// (<see cref="ArgumentNullException"/>), an empty preference list (<see cref="ArgumentException"/>), a client
    /// configured without protocols of the kind used (<see cref="InvalidOperationException"/>), and any method
    /// called after <see cref="Dispose"/> (<see cref="ObjectDisposedException"/>). Disposing the client does not
    /// dispose its senders or its store, which it does not own.</para>
    /// </remarks>
    public sealed class NetworkClient : IDisposable
    {
        private readonly ReadOnlyCollection<ProtocolId> _directSend;
        private readonly ReadOnlyCollection<ProtocolId> _rpc;
        private readonly Dictionary<NetworkId, INetworkSender> _senders;
        private readonly PeersAndMetadata _peersAndMetadata;
        private int _disposed;

        /// <summary>Creates a client, as in Aptos.</summary>
        /// <exception cref="ArgumentNullException">An argument, or a sender in <paramref name="networkSenders"/>, is null.</exception>
        /// <exception cref="ArgumentException">Both protocol lists are empty, a list has duplicates, or a sender's network is
        /// not configured in <paramref name="peersAndMetadata"/>.</exception>
        public NetworkClient(
            IReadOnlyList<ProtocolId> directSendProtocolsAndPreferences,
            IReadOnlyList<ProtocolId> rpcProtocolsAndPreferences,
            IReadOnlyDictionary<NetworkId, INetworkSender> networkSenders,
            PeersAndMetadata peersAndMetadata)
        {
            if (directSendProtocolsAndPreferences is null)
            {
                throw new ArgumentNullException(nameof(directSendProtocolsAndPreferences));
            }

            if (rpcProtocolsAndPreferences is null)
            {
                throw new ArgumentNullException(nameof(rpcProtocolsAndPreferences));
            }

            if (networkSenders is null)
            {
                throw new ArgumentNullException(nameof(networkSenders));
            }

            if (peersAndMetadata is null)
            {
                throw new ArgumentNullException(nameof(peersAndMetadata));
            }

            if (directSendProtocolsAndPreferences.Count == 0 && rpcProtocolsAndPreferences.Count == 0)
            {
                throw new ArgumentException("A network client needs at least one direct-send or RPC protocol.", nameof(directSendProtocolsAndPreferences));
            }

            _directSend = CopyDistinct(directSendProtocolsAndPreferences, nameof(directSendProtocolsAndPreferences));
            _rpc = CopyDistinct(rpcProtocolsAndPreferences, nameof(rpcProtocolsAndPreferences));
            var configured = peersAndMetadata.GetSnapshot();
            _senders = new Dictionary<NetworkId, INetworkSender>();
            foreach (var entry in networkSenders)
            {
                if (entry.Value is null)
                {
                    throw new ArgumentNullException(nameof(networkSenders), $"The sender for network {entry.Key} is null.");
                }

                if (!configured.IsNetworkConfigured(entry.Key))
                {
                    throw new ArgumentException(
                        $"A sender is given for network {entry.Key}, which the peer store is not configured for (configured: {string.Join(", ", configured.Networks)}).",
                        nameof(networkSenders));
                }

                _senders.Add(entry.Key, entry.Value);
            }

            _peersAndMetadata = peersAndMetadata;
        }

        /// <summary>How many times an atomic send tries when the peer's connection is replaced in between (3).</summary>
        public int MaxSendAttempts => 3;

        /// <summary>The peer store.</summary>
        public PeersAndMetadata PeersAndMetadata => _peersAndMetadata;

        /// <summary>The direct-send protocols, most preferred first.</summary>
        public IReadOnlyList<ProtocolId> DirectSendProtocolsAndPreferences => _directSend;

        /// <summary>The RPC protocols, most preferred first.</summary>
        public IReadOnlyList<ProtocolId> RpcProtocolsAndPreferences => _rpc;

        /// <summary>The networks this client has a sender for.</summary>
        public IReadOnlyCollection<NetworkId> Networks => _senders.Keys;

        /// <summary>The raw sender of <paramref name="network"/>.</summary>
        /// <exception cref="PeerNetException">No sender is configured for the network (<see cref="SendFailure.NetworkNotConfigured"/>).</exception>
        /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
        public INetworkSender GetSenderForNetwork(NetworkId network)
        {
            ThrowIfDisposed();
            return GetSender(network, default);
        }

        /// <summary>Whether the sender of <paramref name="network"/> can bind sends to a connection (implements <see cref="IConnectionBoundSender"/>).</summary>
        /// <exception cref="PeerNetException">No sender is configured for the network (<see cref="SendFailure.NetworkNotConfigured"/>).</exception>
        /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
        public bool SupportsAtomicSends(NetworkId network)
        {
            ThrowIfDisposed();
            return GetSender(network, default) is IConnectionBoundSender;
        }

        /// <summary>The protocols <paramref name="peer"/> announced, from the cached snapshot.</summary>
        /// <exception cref="PeerNetException">The network is not configured or the peer is not connected.</exception>
        /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
        [CachedSnapshotRead]
        public ProtocolIdSet GetSupportedProtocols(PeerNetworkId peer)
        {
            ThrowIfDisposed();
            return _peersAndMetadata.GetMetadataForPeer(peer).SupportedProtocols;
        }

        /// <summary>The first protocol of <paramref name="preferences"/> that <paramref name="peer"/> announced, from the cached snapshot.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="preferences"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="preferences"/> is empty.</exception>
        /// <exception cref="PeerNetException">The network is not configured, the peer is not connected, or it announced none of
        /// the preferences (<see cref="SendFailure.NoCommonProtocol"/>).</exception>
        /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
        [CachedSnapshotRead]
        public ProtocolId GetPreferredProtocolForPeer(PeerNetworkId peer, IReadOnlyList<ProtocolId> preferences)
        {
            ThrowIfDisposed();
            ValidatePreferences(preferences, nameof(preferences));
            var metadata = _peersAndMetadata.GetMetadataForPeer(peer);
            if (!TryChoose(metadata.SupportedProtocols, preferences, out var protocol))
            {
                throw NoCommonProtocol(peer, metadata, preferences);
            }

            return protocol;
        }

        /// <summary>Atomic direct send with the client's preferences.</summary>
        /// <exception cref="PeerNetException">The send failed; <see cref="PeerNetException.Failure"/> says why.</exception>
        /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
        /// <exception cref="InvalidOperationException">The client has no direct-send protocols.</exception>
        /// <exception cref="NotSupportedException">The network's sender is not an <see cref="IConnectionBoundSender"/>.</exception>
        /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
        public void SendToPeer(Message message, PeerNetworkId peer) =>
            SendToPeer(message, peer, ClientPreferences(_directSend, "direct-send"));

        /// <summary>Atomic RPC with the client's preferences.</summary>
        /// <exception cref="PeerNetException">The RPC failed; <see cref="PeerNetException.Failure"/> says why
        /// (<see cref="SendFailure.Timeout"/> when no answer came in time, <see cref="SendFailure.UnsupportedProtocol"/> when the
        /// remote has no handler).</exception>
        /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive (and not infinite).</exception>
        /// <exception cref="InvalidOperationException">The client has no RPC protocols.</exception>
        /// <exception cref="NotSupportedException">The network's sender is not an <see cref="IConnectionBoundSender"/>.</exception>
        /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
        public Task<Message> SendToPeerRpcAsync(Message request, TimeSpan timeout, PeerNetworkId peer, CancellationToken cancellationToken = default) =>
            SendToPeerRpcAsync(request, ClientPreferences(_rpc, "RPC"), timeout, peer, cancellationToken);

        /// <summary>Atomic direct send with explicit preferences.</summary>
        /// <exception cref="PeerNetException">The send failed; <see cref="PeerNetException.Failure"/> says why.</exception>
        /// <exception cref="ArgumentNullException"><paramref name="message"/> or <paramref name="preferences"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="preferences"/> is empty.</exception>
        /// <exception cref="NotSupportedException">The network's sender is not an <see cref="IConnectionBoundSender"/>.</exception>
        /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
        public void SendToPeer(Message message, PeerNetworkId peer, IReadOnlyList<ProtocolId> preferences)
        {
            if (!TrySendWithCurrentProtocol(peer, preferences, message, out var failure))
            {
                throw new PeerNetException(failure, peer);
            }
        }

        /// <summary>Atomic RPC with explicit preferences.</summary>
        /// <exception cref="PeerNetException">The RPC failed; <see cref="PeerNetException.Failure"/> says why.</exception>
        /// <exception cref="ArgumentNullException"><paramref name="request"/> or <paramref name="preferences"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="preferences"/> is empty.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive (and not infinite).</exception>
        /// <exception cref="NotSupportedException">The network's sender is not an <see cref="IConnectionBoundSender"/>.</exception>
        /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
        public Task<Message> SendToPeerRpcAsync(Message request, IReadOnlyList<ProtocolId> preferences, TimeSpan timeout, PeerNetworkId peer, CancellationToken cancellationToken = default)
        {
            ThrowIfDisposed();
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            ValidatePreferences(preferences, nameof(preferences));
            if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "An RPC timeout must be positive (or Timeout.InfiniteTimeSpan).");
            }

            var sender = GetBoundSender(peer);
            return SendRpcBoundAsync(sender, request, preferences, timeout, peer, cancellationToken);
        }

        /// <summary>Atomic direct send with the client's preferences.</summary>
        /// <returns>true when the message was handed to the peer's current connection with a protocol that connection
        /// announced; false otherwise, with <paramref name="failure"/> saying why (the message was not sent).</returns>
        /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
        /// <exception cref="InvalidOperationException">The client has no direct-send protocols.</exception>
        /// <exception cref="NotSupportedException">The network's sender is not an <see cref="IConnectionBoundSender"/>.</exception>
        /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
        public bool TrySendWithCurrentProtocol(PeerNetworkId peer, Message message, out SendFailure failure) =>
            TrySendWithCurrentProtocol(peer, ClientPreferences(_directSend, "direct-send"), message, out failure);

        /// <summary>Atomic direct send with explicit preferences.</summary>
        /// <returns>true when the message was handed to the peer's current connection with a protocol that connection
        /// announced; false otherwise, with <paramref name="failure"/> saying why (the message was not sent).</returns>
        /// <exception cref="ArgumentNullException"><paramref name="message"/> or <paramref name="preferences"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="preferences"/> is empty.</exception>
        /// <exception cref="NotSupportedException">The network's sender is not an <see cref="IConnectionBoundSender"/>.</exception>
        /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
        public bool TrySendWithCurrentProtocol(PeerNetworkId peer, IReadOnlyList<ProtocolId> preferences, Message message, out SendFailure failure)
        {
            ThrowIfDisposed();
            if (message is null)
            {
                throw new ArgumentNullException(nameof(message));
            }

            ValidatePreferences(preferences, nameof(preferences));
            if (!_senders.TryGetValue(peer.NetworkId, out var sender))
            {
                failure = SendFailure.NetworkNotConfigured;
                return false;
            }

            failure = SendBound(AsBound(sender, peer.NetworkId), peer, preferences, message);
            return failure == SendFailure.None;
        }

        /// <summary>Marks the client disposed: later calls throw <see cref="ObjectDisposedException"/>. Does not dispose senders or the store.</summary>
        public void Dispose() => Interlocked.Exchange(ref _disposed, 1);

        // Reads the current metadata, chooses the protocol that connection announced, and hands the message to
        // that very connection; the transport refuses if it was replaced in between, and then we retry.
        private SendFailure SendBound(IConnectionBoundSender sender, PeerNetworkId peer, IReadOnlyList<ProtocolId> preferences, Message message)
        {
            var last = SendFailure.ConnectionReplaced;
            var backoff = default(SpinWait);
            for (var attempt = 0; attempt < MaxSendAttempts; attempt++)
            {
                if (attempt > 0)
                {
                    // The transport installs a new connection just before the store publishes it: give the
                    // writer a moment. SpinWait spins briefly first; Thread.Yield here would give the core
                    // away for a whole time slice (measured: 187 ns instead of 46 ns per send under a
                    // saturating writer, docs/performance.md).
#if NETSTANDARD2_0
                    backoff.SpinOnce();
#else
                    backoff.SpinOnce(sleep1Threshold: -1);
#endif
                }

                var snapshot = _peersAndMetadata.GetSnapshot();
                if (!snapshot.TryGetMetadataForPeer(peer, out var metadata))
                {
                    return snapshot.IsNetworkConfigured(peer.NetworkId) ? SendFailure.PeerNotConnected : SendFailure.NetworkNotConfigured;
                }

                if (!metadata.IsConnected)
                {
                    last = SendFailure.Closed;
                    continue;
                }

                if (!TryChoose(metadata.SupportedProtocols, preferences, out var protocol))
                {
                    return SendFailure.NoCommonProtocol;
                }

                var result = sender.TrySendOnConnection(peer.PeerId, metadata.ConnectionMetadata.ConnectionId, protocol, message);
                if (result != SendFailure.ConnectionReplaced && result != SendFailure.Closed)
                {
                    return result;
                }

                last = result;
            }

            return last;
        }

        private async Task<Message> SendRpcBoundAsync(IConnectionBoundSender sender, Message request, IReadOnlyList<ProtocolId> preferences, TimeSpan timeout, PeerNetworkId peer, CancellationToken cancellationToken)
        {
            for (var attempt = 1; ; attempt++)
            {
                var metadata = _peersAndMetadata.GetMetadataForPeer(peer);
                if (!TryChoose(metadata.SupportedProtocols, preferences, out var protocol))
                {
                    throw NoCommonProtocol(peer, metadata, preferences);
                }

                try
                {
                    return await sender.SendRpcOnConnectionAsync(peer.PeerId, metadata.ConnectionMetadata.ConnectionId, protocol, request, timeout, cancellationToken).ConfigureAwait(false);
                }
                catch (PeerNetException ex) when (ex.Failure == SendFailure.ConnectionReplaced)
                {
                    // Replaced before the request was handed over: nothing was sent, so retrying cannot duplicate it.
                    if (attempt >= MaxSendAttempts)
                    {
                        throw new PeerNetException(
                            SendFailure.ConnectionReplaced,
                            peer,
                            $"Peer {peer} replaced its connection on each of {MaxSendAttempts} attempts; the RPC was not sent.",
                            ex);
                    }
                }

                await Task.Yield();
            }
        }

        private IConnectionBoundSender GetBoundSender(PeerNetworkId peer) => AsBound(GetSender(peer.NetworkId, peer.PeerId), peer.NetworkId);

        private INetworkSender GetSender(NetworkId network, PeerId peerForError)
        {
            if (!_senders.TryGetValue(network, out var sender))
            {
                throw new PeerNetException(
                    SendFailure.NetworkNotConfigured,
                    new PeerNetworkId(network, peerForError),
                    $"This client has no sender for network {network} (configured: {string.Join(", ", _senders.Keys)}).");
            }

            return sender;
        }

        private static IConnectionBoundSender AsBound(INetworkSender sender, NetworkId network) =>
            sender as IConnectionBoundSender ?? throw new NotSupportedException(
                $"The sender for network {network} ({sender.GetType().FullName}) only implements INetworkSender: it cannot bind a send " +
                "to a connection, so this client cannot send atomically. Use a transport that implements IConnectionBoundSender, " +
                "or send through GetSenderForNetwork(...) explicitly (not atomic).");

        private static bool TryChoose(ProtocolIdSet announced, IReadOnlyList<ProtocolId> preferences, out ProtocolId protocol)
        {
            for (var i = 0; i < preferences.Count; i++)
            {
                if (announced.Contains(preferences[i]))
                {
                    protocol = preferences[i];
                    return true;
                }
            }

            protocol = default;
            return false;
        }

        private static PeerNetException NoCommonProtocol(PeerNetworkId peer, PeerMetadata metadata, IReadOnlyList<ProtocolId> preferences) =>
            new PeerNetException(
                SendFailure.NoCommonProtocol,
                peer,
                $"Peer {peer} announced {metadata.SupportedProtocols} on {metadata.ConnectionMetadata.ConnectionId}, none of the preferred [{string.Join(", ", preferences)}].");

        private static void ValidatePreferences(IReadOnlyList<ProtocolId> preferences, string parameterName)
        {
            if (preferences is null)
            {
                throw new ArgumentNullException(parameterName);
            }

            if (preferences.Count == 0)
            {
                throw new ArgumentException("The preference list is empty: give at least one protocol, most preferred first.", parameterName);
            }
        }

        private IReadOnlyList<ProtocolId> ClientPreferences(ReadOnlyCollection<ProtocolId> list, string kind)
        {
            ThrowIfDisposed();
            if (list.Count == 0)
            {
                throw new InvalidOperationException($"This client was created without {kind} protocols; pass preferences explicitly.");
            }

            return list;
        }

        private static ReadOnlyCollection<ProtocolId> CopyDistinct(IReadOnlyList<ProtocolId> list, string parameterName)
        {
            var copy = new ProtocolId[list.Count];
            var seen = ProtocolIdSet.Empty;
            for (var i = 0; i < copy.Length; i++)
            {
                if (seen.Contains(list[i]))
                {
                    throw new ArgumentException($"Protocol {list[i]} is listed more than once.", parameterName);
                }

                seen = seen.Add(list[i]);
                copy[i] = list[i];
            }

            return new ReadOnlyCollection<ProtocolId>(copy);
        }

        private void ThrowIfDisposed()
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                throw new ObjectDisposedException(nameof(NetworkClient));
            }
        }
    }
}
