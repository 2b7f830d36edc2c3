using System;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace PeerNet.Transport.InMemory
{
    // One message (or RPC request) queued on a receiving endpoint.
    internal sealed class Envelope
    {
        public Envelope(ProtocolId protocol, Message message, TaskCompletionSource<Message>? reply, CancellationToken callerToken)
        {
            Protocol = protocol;
            Message = message;
            Reply = reply;
            CallerToken = callerToken;
        }

        public ProtocolId Protocol { get; }

        public Message Message { get; }

        public TaskCompletionSource<Message>? Reply { get; }

        public CancellationToken CallerToken { get; }
    }

    // One in-memory connection between two nodes. Both ends share Gate: every hand-over of a message to the
    // connection and its closing happen under it, so a message is either queued while the connection is
    // open (and then always dispatched, even after a close: the reader drains) or refused.
    internal sealed class InMemoryConnection
    {
        public readonly object Gate = new object();

        public InMemoryConnection(
            InMemoryNode dialer,
            ImmutableDictionary<ProtocolId, HandlerEntry> dialerHandlers,
            InMemoryNode listener,
            ImmutableDictionary<ProtocolId, HandlerEntry> listenerHandlers,
            ProtocolIdSet agreed,
            int queueCapacity)
        {
            Agreed = agreed;
            Dialer = new Endpoint(this, dialer, listener, ConnectionOrigin.Outbound, agreed, InMemoryNode.Filter(dialerHandlers, agreed), queueCapacity);
            Listener = new Endpoint(this, listener, dialer, ConnectionOrigin.Inbound, agreed, InMemoryNode.Filter(listenerHandlers, agreed), queueCapacity);
            Dialer.Remote = Listener;
            Listener.Remote = Dialer;
        }

        public ProtocolIdSet Agreed { get; }

        public Endpoint Dialer { get; }

        public Endpoint Listener { get; }

        // Guarded by Gate.
        public bool IsOpen { get; private set; } = true;

        // Guarded by Gate: ConnectionReplaced or Closed once closed.
        public SendFailure CloseReason { get; private set; }

        public void Start()
        {
            Dialer.StartReader();
            Listener.StartReader();
        }

        // Returns false when already closed.
        public bool Close(SendFailure reason)
        {
            lock (Gate)
            {
                if (!IsOpen)
                {
                    return false;
                }

                IsOpen = false;
                CloseReason = reason;
                Dialer.Inbound.Writer.TryComplete();
                Listener.Inbound.Writer.TryComplete();
            }

            Dialer.Owner.OnConnectionClosed();
            Listener.Owner.OnConnectionClosed();
            return true;
        }
    }

    // One node's end of a connection: its id, its metadata, its handlers (those of the agreed protocols) and
    // the queue of messages it receives, drained by its own reader task.
    internal sealed class Endpoint
    {
        public Endpoint(
            InMemoryConnection connection,
            InMemoryNode owner,
            InMemoryNode remoteNode,
            ConnectionOrigin origin,
            ProtocolIdSet agreed,
            ImmutableDictionary<ProtocolId, HandlerEntry> handlers,
            int queueCapacity)
        {
            Connection = connection;
            Owner = owner;
            RemoteNode = remoteNode;
            Id = owner.NextConnectionId();
            Metadata = new ConnectionMetadata(remoteNode.PeerId, Id, "memory://" + remoteNode.PeerId.ToHexString(), origin, agreed, remoteNode.Role);
            Handlers = handlers;
            Inbound = Channel.CreateBounded<Envelope>(new BoundedChannelOptions(queueCapacity)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = true,
                SingleWriter = false,
                AllowSynchronousContinuations = false,
            });
        }

        public InMemoryConnection Connection { get; }

        public InMemoryNode Owner { get; }

        public InMemoryNode RemoteNode { get; }

        public Endpoint Remote { get; set; } = null!;

        public ConnectionId Id { get; }

        public ConnectionMetadata Metadata { get; }

        public ImmutableDictionary<ProtocolId, HandlerEntry> Handlers { get; }

        public Channel<Envelope> Inbound { get; }

        public Task ReaderTask { get; private set; } = Task.CompletedTask;

        public void StartReader() => ReaderTask = Task.Run(RunReaderAsync);

        private async Task RunReaderAsync()
        {
            var reader = Inbound.Reader;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var envelope))
                {
                    try
                    {
                        Owner.Dispatch(this, envelope);
                    }
                    finally
                    {
                        Owner.Network.OnDispatched();
                    }
                }
            }
        }
    }
}
