using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using PeerNet;

namespace PeerNet.Benchmarks;

/// <summary>
/// A transport that does nothing but what a connection-bound transport must do before it hands a
/// message over, modelled on src/PeerNet/Transport/InMemory/InMemorySender.HandOver: find the peer's
/// current connection, check that it is the one the caller named, then under the connection's gate
/// check that it is open, still current, and that its own handshake announced the protocol. The
/// "enqueue" is a counter: no queue, no serialization, no I/O. The raw SendTo does what the in-memory
/// transport's per-peer outbox (PeerOutbox) does when it routes a queued message: hand it to whatever
/// connection is current (gate, open check), no protocol check; the queue itself is left out. Whatever the benchmarks measure on top of this is the cost of PeerNet (or of the
/// baseline) itself.
/// The connection table is owned here, as in a real transport; the benchmark's writer installs a new
/// connection here (closing the old one) and then publishes it to the store, as a peer manager does.
/// </summary>
public sealed class NoOpConnectionBoundSender : IConnectionBoundSender
{
    /// <summary>One live connection: its id, the protocols its handshake agreed on, its gate.</summary>
    public sealed class Connection
    {
        public Connection(ConnectionId id, ProtocolIdSet protocols)
        {
            Id = id;
            Protocols = protocols;
        }

        public ConnectionId Id { get; }
        public ProtocolIdSet Protocols { get; }
        public object Gate { get; } = new();
        public bool IsOpen { get; set; } = true;
    }

    private readonly ConcurrentDictionary<PeerId, Connection> _current = new();

    /// <summary>Messages "handed over" (read so the JIT cannot drop the sends).</summary>
    public long Delivered;

    /// <summary>Sends refused by the connection check (replaced/closed connection or protocol not announced).</summary>
    public long Refused;

    /// <summary>
    /// Installs <paramref name="connection"/> as the current connection of <paramref name="peer"/>, then
    /// closes the old one (the order InMemoryNetwork uses).
    /// </summary>
    public void Replace(PeerId peer, Connection connection)
    {
        _current.TryGetValue(peer, out var old);
        _current[peer] = connection;
        if (old is not null)
        {
            lock (old.Gate)
            {
                old.IsOpen = false;
            }
        }
    }

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
            return connectionId.Value < connection.Id.Value ? SendFailure.ConnectionReplaced : SendFailure.Closed;
        }

        lock (connection.Gate)
        {
            if (!connection.IsOpen)
            {
                Refused++;
                return SendFailure.ConnectionReplaced;
            }

            if (!_current.TryGetValue(peer, out var current) || !ReferenceEquals(current, connection))
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
    }

    /// <summary>Raw send: routes to whatever connection is current, trusting the protocol (as Aptos does).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void SendTo(PeerId peer, ProtocolId protocol, Message message)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (!_current.TryGetValue(peer, out var connection))
            {
                break;
            }

            lock (connection.Gate)
            {
                if (connection.IsOpen)
                {
                    Delivered++;
                    return;
                }
            }
        }

        throw new PeerNetException(SendFailure.PeerNotConnected, new PeerNetworkId(NetworkId.Validator, peer));
    }

    /// <inheritdoc/>
    public Task<Message> SendRpcAsync(PeerId peer, ProtocolId protocol, Message request, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The benchmarks measure direct sends only.");

    /// <inheritdoc/>
    public Task<Message> SendRpcOnConnectionAsync(PeerId peer, ConnectionId connectionId, ProtocolId protocol, Message request, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The benchmarks measure direct sends only.");
}
