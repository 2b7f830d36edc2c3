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

        /// <summary>Receives one line per notable event (connection closed and why, protocol errors, failed handshakes); null for none.</summary>
        public Action<string>? Log { get; set; }

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
            };
        }
    }
}
