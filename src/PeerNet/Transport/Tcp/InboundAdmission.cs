using System.Collections.Generic;
using System.Net;
using System.Threading;

namespace PeerNet.Transport.Tcp
{
    // Counts inbound connections (from accept, through the handshake, until the connection finished closing) in total
    // and per remote address, and refuses a socket over either cap before any byte is read from it.
    internal sealed class InboundAdmission
    {
        private readonly object _lock = new object();
        private readonly Dictionary<IPAddress, int> _perAddress = new Dictionary<IPAddress, int>();
        private readonly int _maxTotal;
        private readonly int _maxPerAddress;
        private int _total;

        public InboundAdmission(int maxTotal, int maxPerAddress)
        {
            _maxTotal = maxTotal;
            _maxPerAddress = maxPerAddress;
        }

        public int Count => Volatile.Read(ref _total);

        // A slot, or null with the reason.
        public InboundSlot? TryAcquire(IPAddress address, out string refusal)
        {
            lock (_lock)
            {
                if (_total >= _maxTotal)
                {
                    refusal = $"{_total} inbound connections, the maximum (MaxInboundConnections)";
                    return null;
                }

                _perAddress.TryGetValue(address, out var count);
                if (count >= _maxPerAddress)
                {
                    refusal = $"{count} inbound connections from {address}, the maximum per address (MaxInboundConnectionsPerAddress)";
                    return null;
                }

                _perAddress[address] = count + 1;
                _total++;
            }

            refusal = string.Empty;
            return new InboundSlot(this, address);
        }

        public void Release(IPAddress address)
        {
            lock (_lock)
            {
                _total--;
                if (_perAddress.TryGetValue(address, out var count))
                {
                    if (count <= 1)
                    {
                        _perAddress.Remove(address);
                    }
                    else
                    {
                        _perAddress[address] = count - 1;
                    }
                }
            }
        }
    }

    // One admitted inbound connection; released exactly once (when its handshake failed or the connection finished closing).
    internal sealed class InboundSlot
    {
        private readonly InboundAdmission _owner;
        private readonly IPAddress _address;
        private int _released;

        public InboundSlot(InboundAdmission owner, IPAddress address)
        {
            _owner = owner;
            _address = address;
        }

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _owner.Release(_address);
            }
        }
    }
}
