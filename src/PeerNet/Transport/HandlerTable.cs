using System;
using System.Collections.Immutable;
using System.Threading;

namespace PeerNet.Transport
{
    internal sealed class HandlerEntry
    {
        public HandlerEntry(DirectSendHandler? directSend, RpcHandler? rpc)
        {
            DirectSend = directSend;
            Rpc = rpc;
        }

        public DirectSendHandler? DirectSend { get; }

        public RpcHandler? Rpc { get; }
    }

    /// <summary>
    /// A node's protocol handlers, shared by the in-memory and TCP nodes: replaced as a whole under a lock,
    /// read without one, so a handshake sees one consistent table (the protocols it announces and their
    /// handlers come from the same snapshot).
    /// </summary>
    internal sealed class HandlerTable
    {
        private readonly object _lock = new object();
        private readonly PeerId _owner;
        private ImmutableDictionary<ProtocolId, HandlerEntry> _entries = ImmutableDictionary<ProtocolId, HandlerEntry>.Empty;

        public HandlerTable(PeerId owner) => _owner = owner;

        /// <summary>The current table.</summary>
        public ImmutableDictionary<ProtocolId, HandlerEntry> Current => Volatile.Read(ref _entries);

        public void AddDirectSend(ProtocolId protocol, DirectSendHandler handler) =>
            Add(protocol, new HandlerEntry(handler ?? throw new ArgumentNullException(nameof(handler)), null));

        public void AddRpc(ProtocolId protocol, RpcHandler handler) =>
            Add(protocol, new HandlerEntry(null, handler ?? throw new ArgumentNullException(nameof(handler))));

        /// <returns>false when the protocol had no handler.</returns>
        public bool Remove(ProtocolId protocol)
        {
            lock (_lock)
            {
                var before = _entries;
                Volatile.Write(ref _entries, before.Remove(protocol));
                return before.ContainsKey(protocol);
            }
        }

        private void Add(ProtocolId protocol, HandlerEntry entry)
        {
            lock (_lock)
            {
                if (_entries.ContainsKey(protocol))
                {
                    throw new ArgumentException($"Node {_owner} already has a handler for {protocol}; remove it first.", nameof(protocol));
                }

                Volatile.Write(ref _entries, _entries.Add(protocol, entry));
            }
        }
    }
}
