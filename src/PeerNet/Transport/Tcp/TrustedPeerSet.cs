using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;

namespace PeerNet.Transport.Tcp
{
    /// <summary>
    /// The peers a <see cref="TcpNode"/> accepts connections with (both directions), for example the current validator
    /// set. Thread-safe; change it at run time as the set changes: a node with this set refuses handshakes with peers
    /// outside it and closes its open connections with peers removed from it (<see cref="TcpCloseReason.NotTrusted"/>).
    /// </summary>
    public sealed class TrustedPeerSet
    {
        private readonly object _lock = new object();
        private ImmutableHashSet<PeerId> _peers;

        /// <summary>A set holding <paramref name="peers"/> (none when null).</summary>
        public TrustedPeerSet(IEnumerable<PeerId>? peers = null)
        {
            _peers = peers is null ? ImmutableHashSet<PeerId>.Empty : ImmutableHashSet.CreateRange(peers);
        }

        /// <summary>Raised after the set changed (on the thread that changed it).</summary>
        public event EventHandler? Changed;

        /// <summary>The peers trusted now.</summary>
        public ImmutableHashSet<PeerId> Current => Volatile.Read(ref _peers);

        /// <summary>Whether <paramref name="peer"/> is trusted now.</summary>
        public bool Contains(PeerId peer) => Current.Contains(peer);

        /// <summary>Trusts <paramref name="peer"/>; false when it already was.</summary>
        public bool Add(PeerId peer) => Update(set => set.Add(peer));

        /// <summary>Stops trusting <paramref name="peer"/>; false when it was not trusted.</summary>
        public bool Remove(PeerId peer) => Update(set => set.Remove(peer));

        /// <summary>Replaces the whole set (a new validator set); false when nothing changed.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="peers"/> is null.</exception>
        public bool Replace(IEnumerable<PeerId> peers)
        {
            if (peers is null)
            {
                throw new ArgumentNullException(nameof(peers));
            }

            var next = ImmutableHashSet.CreateRange(peers);
            return Update(set => set.SetEquals(next) ? set : next);
        }

        private bool Update(Func<ImmutableHashSet<PeerId>, ImmutableHashSet<PeerId>> change)
        {
            lock (_lock)
            {
                var before = _peers;
                var after = change(before);
                if (ReferenceEquals(before, after))
                {
                    return false;
                }

                Volatile.Write(ref _peers, after);
            }

            Changed?.Invoke(this, EventArgs.Empty);
            return true;
        }
    }
}
