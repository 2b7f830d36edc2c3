using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using PeerNet;

namespace PeerNet.Benchmarks;

/// <summary>
/// A transport that does nothing but what a connection-bound transport must do before it hands a
/// message over: find the peer's current connection, check that it is the one the caller named and
/// that its own handshake announced the protocol. No queue, no serialization, no I/O: whatever the
/// benchmarks measure on top of this is the cost of PeerNet (or of the baseline) itself.
/// The connection table is owned here, as in a real transport; the benchmark's writer registers a
/// new connection here first and then publishes it to the store, in that order, as a peer manager does.
/// </summary>
public sealed class NoOpConnectionBoundSender : IConnectionBoundSender
{
    /// <summary>One live connection: its id and the protocols its handshake agreed on.</summary>
    public sealed class Connection
    {
        public Connection(ConnectionId id, ProtocolIdSet protocols)
        {
            Id = id;
            Protocols = protocols;
        }

        public ConnectionId Id { get; }
        public ProtocolIdSet Protocols { get; }
    }

    private readonly ConcurrentDictionary<PeerId, Connection> _current = new();

    /// <summary>Messages "handed over" (read so the JIT cannot drop the sends).</summary>
    public long Delivered;

    /// <summary>Sends refused by the connection check (replaced connection or protocol not announced).</summary>
    public long Refused;

    /// <summary>Installs <paramref name="connection"/> as the current connection of <paramref name="peer"/>.</summary>
    public void SetCurrent(PeerId peer, Connection connection) => _current[peer] = connection;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public SendFailure TrySendOnConnection(PeerId peer, ConnectionId connectionId, ProtocolId protocol, Message message)
    {
        if (!_current.TryGetValue(peer, out var connection))
        {
            Refused++;
            return SendFailure.PeerNotConnected;
        }

        if (connection.Id != connectionId)
        {
            Refused++;
            return SendFailure.ConnectionReplaced;
        }

        if (!connection.Protocols.Contains(protocol))
        {
            Refused++;
            return SendFailure.NoCommonProtocol;
        }

        Delivered++;
        return SendFailure.None;
    }

    /// <summary>Raw send: routes to whatever connection is current, trusting the protocol (as Aptos does).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void SendTo(PeerId peer, ProtocolId protocol, Message message)
    {
        if (!_current.TryGetValue(peer, out _))
        {
            throw new PeerNetException(SendFailure.PeerNotConnected, new PeerNetworkId(NetworkId.Validator, peer));
        }

        Delivered++;
    }

    /// <inheritdoc/>
    public Task<Message> SendRpcAsync(PeerId peer, ProtocolId protocol, Message request, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The benchmarks measure direct sends only.");

    /// <inheritdoc/>
    public Task<Message> SendRpcOnConnectionAsync(PeerId peer, ConnectionId connectionId, ProtocolId protocol, Message request, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The benchmarks measure direct sends only.");
}
