using System;
using System.Net;

namespace PeerNet.Transport.Tcp
{
    /// <summary>Settings of a <see cref="TcpNode"/>. Validated when the node is created.</summary>
    public sealed class TcpNodeOptions
    {
        /// <summary>The default maximum frame size: 4 MiB, as in Aptos.</summary>
        public const int DefaultMaxFrameSize = 4 * 1024 * 1024;

        /// <summary>The smallest accepted <see cref="MaxFrameSize"/> (1 KiB): a hello frame must fit.</summary>
        public const int MinimumMaxFrameSize = 1024;

        /// <summary>The default <see cref="MaxInboundConnections"/>.</summary>
        public const int DefaultMaxInboundConnections = 256;

        /// <summary>The default <see cref="MaxInboundConnectionsPerAddress"/>.</summary>
        public const int DefaultMaxInboundConnectionsPerAddress = 16;

        /// <summary>The default <see cref="OutboundQueueMaxBytes"/>: 8 MiB.</summary>
        public const long DefaultOutboundQueueMaxBytes = 8 * 1024 * 1024;

        /// <summary>Default of <see cref="LogLinesPerInterval"/>.</summary>
        public const int DefaultLogLinesPerInterval = 20;

        /// <summary>The network the node is on (announced and checked in the handshake). Default <see cref="NetworkId.Validator"/>.</summary>
        public NetworkId NetworkId { get; set; } = NetworkId.Validator;

        /// <summary>The role other nodes record for this node. Default <see cref="PeerRole.Validator"/>.</summary>
        public PeerRole Role { get; set; } = PeerRole.Validator;

        /// <summary>The address to listen on. Default <see cref="IPAddress.Loopback"/>.</summary>
        public IPAddress ListenAddress { get; set; } = IPAddress.Loopback;

        /// <summary>The port to listen on; 0 (the default) lets the OS choose (see <see cref="TcpNode.LocalEndPoint"/>).</summary>
        public int Port { get; set; }

        /// <summary>
        /// The largest frame body this node accepts, and announces in its handshake (default 4 MiB). A peer sending a
        /// larger frame has its connection closed (<see cref="TcpCloseReason.FrameTooLarge"/>); this node's sender
        /// refuses messages that would exceed the smaller of its own and the peer's limit.
        /// </summary>
        public int MaxFrameSize { get; set; } = DefaultMaxFrameSize;

        /// <summary>The capacity of each connection's outbound queue (default 1,024, as in Aptos); a send to a full queue fails with <see cref="SendFailure.QueueFull"/>.</summary>
        public int OutboundQueueCapacity { get; set; } = 1024;

        /// <summary>How long dialing plus the handshake may take (default 5 s).</summary>
        public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>
        /// How long a closing connection may take to flush its queue and see the peer's end of stream (default 2 s).
        /// After that it is aborted and what is still queued is counted as lost.
        /// </summary>
        public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>
        /// Whether to break simultaneous dials as Aptos does (default false): between an open connection and a new one of
        /// the opposite direction, keep the one dialed by the node with the larger peer id. When false, a new connection
        /// always replaces the current one. See the remarks on <see cref="TcpNode"/>.
        /// </summary>
        public bool SimultaneousDialTieBreak { get; set; }

        /// <summary>
        /// How connections are protected (default <see cref="TcpSecurity.MutualTls"/>). <see cref="TcpSecurity.InsecurePlaintext"/>
        /// is for tests and demos only: it authenticates nothing.
        /// </summary>
        public TcpSecurity Security { get; set; } = TcpSecurity.MutualTls;

        /// <summary>This node's key and certificate under <see cref="TcpSecurity.MutualTls"/>; its <see cref="PeerId"/> is derived
        /// from the key. Null (the default): a new identity per node, disposed with it. Ignored under plaintext.</summary>
        public TcpNodeIdentity? Identity { get; set; }

        /// <summary>
        /// The peers this node connects with, in both directions (for example the validator set), changeable at run time;
        /// null (the default) for any peer that authenticates. Required on <see cref="NetworkId.Validator"/> under
        /// <see cref="TcpSecurity.MutualTls"/>: a validator accepts only the validator set.
        /// </summary>
        public TrustedPeerSet? TrustedPeers { get; set; }

        /// <summary>Inbound connections at once, from the accepted socket (handshake included) until closed (default 256).
        /// Over the cap a socket is closed at once, counted (<see cref="TcpTransportStatistics.InboundConnectionsRefused"/>) and logged.</summary>
        public int MaxInboundConnections { get; set; } = DefaultMaxInboundConnections;

        /// <summary>Inbound connections at once from one remote IP address (default 16).</summary>
        public int MaxInboundConnectionsPerAddress { get; set; } = DefaultMaxInboundConnectionsPerAddress;

        /// <summary>
        /// How long a connection may receive nothing (default 60 s) before it is closed (<see cref="TcpCloseReason.IdleTimeout"/>).
        /// Each side sends a keep-alive frame when it has written nothing for a third of this, so only a dead or stalled
        /// peer hits it. Both sides should use the same value.
        /// </summary>
        public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>How long one frame may take to arrive once its first byte did (default 30 s); a slower one closes the
        /// connection (<see cref="TcpCloseReason.FrameReadTimeout"/>).</summary>
        public TimeSpan FrameReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>RPC requests of one peer connection in progress at once, from arrival until the answer is written
        /// (default 100, as Aptos). One more is answered at once with <see cref="SendFailure.Overloaded"/> and counted.</summary>
        public int MaxConcurrentInboundRpcs { get; set; } = 100;

        /// <summary>
        /// Bytes of application messages one connection's outbound queue may hold (default 8 MiB; at least
        /// <see cref="MaxFrameSize"/>). A send beyond it fails with <see cref="SendFailure.QueueFull"/>.
        /// </summary>
        public long OutboundQueueMaxBytes { get; set; } = DefaultOutboundQueueMaxBytes;

        /// <summary>Receives one line per notable event (connection closed and why, protocol errors, failed handshakes); null for none.
        /// Rate-limited, so a hostile peer cannot flood it: see <see cref="LogLinesPerInterval"/>.</summary>
        public Action<string>? Log { get; set; }

        /// <summary>
        /// Lines of one kind (failed handshakes, refused connections, failed accepts, protocol errors and timeouts, connection
        /// opened or closed) written to <see cref="Log"/> per <see cref="LogInterval"/> (default 20); the others of that
        /// interval are counted (<see cref="TcpTransportStatistics.LogLinesSuppressed"/>) and reported by one line
        /// "suppressed K similar messages" when it ends. The counters and metrics count every event.
        /// </summary>
        public int LogLinesPerInterval { get; set; } = DefaultLogLinesPerInterval;

        /// <summary>The interval of <see cref="LogLinesPerInterval"/> (default 10 s).</summary>
        public TimeSpan LogInterval { get; set; } = TimeSpan.FromSeconds(10);

        internal TcpNodeOptions Validate()
        {
            if (MaxFrameSize < MinimumMaxFrameSize)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxFrameSize), MaxFrameSize, $"The maximum frame size must be at least {MinimumMaxFrameSize} bytes.");
            }

            if (OutboundQueueCapacity < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(OutboundQueueCapacity), OutboundQueueCapacity, "The outbound queue capacity must be at least 1.");
            }

            if (HandshakeTimeout <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(HandshakeTimeout), HandshakeTimeout, "The handshake timeout must be positive.");
            }

            if (CloseTimeout <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(CloseTimeout), CloseTimeout, "The close timeout must be positive.");
            }

            if (Port < 0 || Port > 65535)
            {
                throw new ArgumentOutOfRangeException(nameof(Port), Port, "The port must be between 0 and 65535.");
            }

            if (ListenAddress is null)
            {
                throw new ArgumentNullException(nameof(ListenAddress));
            }

            if (!Enum.IsDefined(typeof(NetworkId), NetworkId))
            {
                throw new ArgumentOutOfRangeException(nameof(NetworkId), NetworkId, "Not a defined NetworkId.");
            }

            if (!Enum.IsDefined(typeof(PeerRole), Role))
            {
                throw new ArgumentOutOfRangeException(nameof(Role), Role, "Not a defined PeerRole.");
            }

            if (!Enum.IsDefined(typeof(TcpSecurity), Security))
            {
                throw new ArgumentOutOfRangeException(nameof(Security), Security, "Not a defined TcpSecurity.");
            }

            if (Security == TcpSecurity.MutualTls && NetworkId == NetworkId.Validator && TrustedPeers is null)
            {
                throw new ArgumentException(
                    "A validator-network node under mutual TLS accepts only the validator set: give TrustedPeers (a TrustedPeerSet, " +
                    "updatable at run time), or use another network.",
                    nameof(TrustedPeers));
            }

            Positive(MaxInboundConnections, nameof(MaxInboundConnections));
            Positive(MaxInboundConnectionsPerAddress, nameof(MaxInboundConnectionsPerAddress));
            Positive(MaxConcurrentInboundRpcs, nameof(MaxConcurrentInboundRpcs));
            Positive(IdleTimeout, nameof(IdleTimeout));
            Positive(FrameReadTimeout, nameof(FrameReadTimeout));
            Positive(LogLinesPerInterval, nameof(LogLinesPerInterval));
            Positive(LogInterval, nameof(LogInterval));
            if (OutboundQueueMaxBytes < MaxFrameSize + 4L)
            {
                throw new ArgumentOutOfRangeException(nameof(OutboundQueueMaxBytes), OutboundQueueMaxBytes, $"The outbound queue must hold at least one largest frame ({MaxFrameSize + 4L} bytes).");
            }

            return new TcpNodeOptions
            {
                NetworkId = NetworkId,
                Role = Role,
                ListenAddress = ListenAddress,
                Port = Port,
                MaxFrameSize = MaxFrameSize,
                OutboundQueueCapacity = OutboundQueueCapacity,
                HandshakeTimeout = HandshakeTimeout,
                CloseTimeout = CloseTimeout,
                Log = Log,
                SimultaneousDialTieBreak = SimultaneousDialTieBreak,
                Security = Security,
                Identity = Identity,
                TrustedPeers = TrustedPeers,
                MaxInboundConnections = MaxInboundConnections,
                MaxInboundConnectionsPerAddress = MaxInboundConnectionsPerAddress,
                IdleTimeout = IdleTimeout,
                FrameReadTimeout = FrameReadTimeout,
                MaxConcurrentInboundRpcs = MaxConcurrentInboundRpcs,
                OutboundQueueMaxBytes = OutboundQueueMaxBytes,
                LogLinesPerInterval = LogLinesPerInterval,
                LogInterval = LogInterval,
            };
        }

        private static void Positive(int value, string name)
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");
            }
        }

        private static void Positive(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
            }
        }
    }
}
