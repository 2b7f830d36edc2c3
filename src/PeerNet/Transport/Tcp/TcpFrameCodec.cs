using System;
using System.Buffers.Binary;
using System.Text;

namespace PeerNet.Transport.Tcp
{
    // The wire format. Every frame is a 4-byte little-endian body length followed by the body; the body's
    // first byte is its kind. A body longer than the receiver's maximum frame size, an empty body, an
    // unknown kind or a body too short for its kind is a protocol error that closes the connection.
    //
    //   Hello        : kind, magic "PNT1" (4), version (1), network (1), peer id (32), role (1),
    //                  max frame size (4, LE), protocol count (2, LE), protocols (1 each)
    //   DirectSend   : kind, protocol (1), payload
    //   RpcRequest   : kind, request id (8, LE), protocol (1), payload
    //   RpcResponse  : kind, request id (8, LE), payload
    //   RpcError     : kind, request id (8, LE), failure (1, a SendFailure value), UTF-8 reason
    //   KeepAlive    : kind (sent when a side has written nothing for a third of the idle timeout)
    //   Ack          : kind, application frames (direct sends, RPC requests) processed so far on this connection (8, LE)
    //   GoAway       : kind; the last application frame this side sends on the connection came before it. A closing
    //                  side sends it after draining its queue, waits for the peer's, sends a final Ack, then half-closes:
    //                  so the final Acks cover every application frame of both sides.
    //
    // Under mutual TLS all of this, the hello included, travels inside the TLS session, after both sides were authenticated.
    internal enum FrameKind : byte
    {
        Hello = 1,
        DirectSend = 2,
        RpcRequest = 3,
        RpcResponse = 4,
        RpcError = 5,
        KeepAlive = 6,
        Ack = 7,
        GoAway = 8,
    }

    internal static class TcpFrameCodec
    {
        public const int HeaderLength = 4;
        public const byte Version = 2;
        public const int DirectSendOverhead = 2;
        public const int RpcRequestOverhead = 10;
        public const int RpcResponseOverhead = 9;
        public const int RpcErrorOverhead = 10;
        public const int AckLength = 9;
        private const int HelloFixedLength = 1 + 4 + 1 + 1 + PeerId.Length + 1 + 4 + 2;
        private static readonly byte[] Magic = { (byte)'P', (byte)'N', (byte)'T', (byte)'1' };

        public static int BodyLength(OutboundFrame frame)
        {
            switch (frame.Kind)
            {
                case FrameKind.DirectSend: return DirectSendOverhead + frame.Payload.Length;
                case FrameKind.RpcRequest: return RpcRequestOverhead + frame.Payload.Length;
                case FrameKind.RpcResponse: return RpcResponseOverhead + frame.Payload.Length;
                case FrameKind.RpcError: return RpcErrorOverhead + Encoding.UTF8.GetByteCount(frame.Reason ?? string.Empty);
                case FrameKind.KeepAlive: return 1;
                case FrameKind.GoAway: return 1;
                case FrameKind.Ack: return AckLength;
                default: throw new InvalidOperationException($"Frame kind {frame.Kind} is not an outbound message.");
            }
        }

        // Writes header and body of an already size-checked frame into destination; returns the bytes written.
        public static int Write(OutboundFrame frame, Span<byte> destination)
        {
            var body = BodyLength(frame);
            BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)body);
            var span = destination.Slice(HeaderLength, body);
            span[0] = (byte)frame.Kind;
            switch (frame.Kind)
            {
                case FrameKind.DirectSend:
                    span[1] = (byte)frame.Protocol;
                    frame.Payload.Span.CopyTo(span.Slice(DirectSendOverhead));
                    break;
                case FrameKind.RpcRequest:
                    BinaryPrimitives.WriteUInt64LittleEndian(span.Slice(1), frame.RpcId);
                    span[9] = (byte)frame.Protocol;
                    frame.Payload.Span.CopyTo(span.Slice(RpcRequestOverhead));
                    break;
                case FrameKind.RpcResponse:
                    BinaryPrimitives.WriteUInt64LittleEndian(span.Slice(1), frame.RpcId);
                    frame.Payload.Span.CopyTo(span.Slice(RpcResponseOverhead));
                    break;
                case FrameKind.Ack:
                    BinaryPrimitives.WriteUInt64LittleEndian(span.Slice(1), frame.RpcId);
                    break;
                case FrameKind.RpcError:
                    BinaryPrimitives.WriteUInt64LittleEndian(span.Slice(1), frame.RpcId);
                    span[9] = (byte)frame.Failure;
                    var reason = Encoding.UTF8.GetBytes(frame.Reason ?? string.Empty);
                    reason.CopyTo(span.Slice(RpcErrorOverhead));
                    break;
            }

            return HeaderLength + body;
        }

        public static byte[] EncodeHello(Hello hello)
        {
            var protocols = hello.Protocols;
            var body = HelloFixedLength + protocols.Count;
            var buffer = new byte[HeaderLength + body];
            var span = buffer.AsSpan();
            BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)body);
            span = span.Slice(HeaderLength);
            span[0] = (byte)FrameKind.Hello;
            Magic.CopyTo(span.Slice(1));
            span[5] = Version;
            span[6] = (byte)hello.Network;
            hello.PeerId.ToByteArray().CopyTo(span.Slice(7));
            span[7 + PeerId.Length] = (byte)hello.Role;
            BinaryPrimitives.WriteUInt32LittleEndian(span.Slice(8 + PeerId.Length), (uint)hello.MaxFrameSize);
            BinaryPrimitives.WriteUInt16LittleEndian(span.Slice(12 + PeerId.Length), (ushort)protocols.Count);
            var i = HelloFixedLength;
            foreach (var protocol in protocols)
            {
                span[i++] = (byte)protocol;
            }

            return buffer;
        }

        // Parses a hello body (kind byte included). Returns null and sets error when it is not a valid hello.
        public static Hello? DecodeHello(ReadOnlySpan<byte> body, out string error)
        {
            if (body.Length < HelloFixedLength || body[0] != (byte)FrameKind.Hello)
            {
                error = $"expected a hello frame of at least {HelloFixedLength} bytes, got kind {(body.Length > 0 ? body[0] : -1)} and {body.Length} bytes";
                return null;
            }

            if (!body.Slice(1, 4).SequenceEqual(Magic))
            {
                error = "bad magic (not a PeerNet TCP peer)";
                return null;
            }

            if (body[5] != Version)
            {
                error = $"unsupported wire version {body[5]} (this node speaks {Version})";
                return null;
            }

            var count = BinaryPrimitives.ReadUInt16LittleEndian(body.Slice(12 + PeerId.Length));
            if (body.Length != HelloFixedLength + count)
            {
                error = $"hello announces {count} protocols but has {body.Length - HelloFixedLength} protocol bytes";
                return null;
            }

            var maxFrame = BinaryPrimitives.ReadUInt32LittleEndian(body.Slice(8 + PeerId.Length));
            if (maxFrame < TcpNodeOptions.MinimumMaxFrameSize || maxFrame > int.MaxValue)
            {
                error = $"announced max frame size {maxFrame} is out of range";
                return null;
            }

            if (!Enum.IsDefined(typeof(NetworkId), (NetworkId)body[6]))
            {
                error = $"unknown network {body[6]}";
                return null;
            }

            if (!Enum.IsDefined(typeof(PeerRole), (PeerRole)body[7 + PeerId.Length]))
            {
                error = $"unknown role {body[7 + PeerId.Length]}";
                return null;
            }

            var protocols = ProtocolIdSet.Empty;
            for (var i = 0; i < count; i++)
            {
                protocols = protocols.Add((ProtocolId)body[HelloFixedLength + i]);
            }

            error = string.Empty;
            return new Hello(
                (NetworkId)body[6],
                new PeerId(body.Slice(7, PeerId.Length)),
                (PeerRole)body[7 + PeerId.Length],
                (int)maxFrame,
                protocols);
        }
    }

    internal sealed class Hello
    {
        public Hello(NetworkId network, PeerId peerId, PeerRole role, int maxFrameSize, ProtocolIdSet protocols)
        {
            Network = network;
            PeerId = peerId;
            Role = role;
            MaxFrameSize = maxFrameSize;
            Protocols = protocols;
        }

        public NetworkId Network { get; }

        public PeerId PeerId { get; }

        public PeerRole Role { get; }

        public int MaxFrameSize { get; }

        public ProtocolIdSet Protocols { get; }
    }

    // One frame waiting in a connection's outbound queue.
    internal sealed class OutboundFrame
    {
        public static readonly OutboundFrame KeepAlive = new OutboundFrame(FrameKind.KeepAlive, default, 0, ReadOnlyMemory<byte>.Empty, SendFailure.None, null);

        public static readonly OutboundFrame GoAway = new OutboundFrame(FrameKind.GoAway, default, 0, ReadOnlyMemory<byte>.Empty, SendFailure.None, null);

        // The count travels in RpcId.
        public static OutboundFrame Ack(long processed) =>
            new OutboundFrame(FrameKind.Ack, default, (ulong)processed, ReadOnlyMemory<byte>.Empty, SendFailure.None, null);

        private OutboundFrame(FrameKind kind, ProtocolId protocol, ulong rpcId, ReadOnlyMemory<byte> payload, SendFailure failure, string? reason, bool holdsRpcSlot = false)
        {
            HoldsRpcSlot = holdsRpcSlot;
            Kind = kind;
            Protocol = protocol;
            RpcId = rpcId;
            Payload = payload;
            Failure = failure;
            Reason = reason;
        }

        public FrameKind Kind { get; }

        public ProtocolId Protocol { get; }

        public ulong RpcId { get; }

        public ReadOnlyMemory<byte> Payload { get; }

        public SendFailure Failure { get; }

        public string? Reason { get; }

        // An answer to one of the peer's RPCs: writing (or dropping) it frees one of the peer's inbound RPC slots.
        public bool HoldsRpcSlot { get; }

        // Application messages (direct sends and RPC requests) as opposed to replies.
        public bool IsApplicationMessage => Kind == FrameKind.DirectSend || Kind == FrameKind.RpcRequest;

        public static OutboundFrame DirectSend(ProtocolId protocol, Message message) =>
            new OutboundFrame(FrameKind.DirectSend, protocol, 0, message.Payload, SendFailure.None, null);

        public static OutboundFrame RpcRequest(ulong id, ProtocolId protocol, Message message) =>
            new OutboundFrame(FrameKind.RpcRequest, protocol, id, message.Payload, SendFailure.None, null);

        public static OutboundFrame RpcResponse(ulong id, Message message) =>
            new OutboundFrame(FrameKind.RpcResponse, default, id, message.Payload, SendFailure.None, null, holdsRpcSlot: true);

        public static OutboundFrame RpcError(ulong id, SendFailure failure, string reason, bool holdsRpcSlot = false) =>
            new OutboundFrame(FrameKind.RpcError, default, id, ReadOnlyMemory<byte>.Empty, failure, reason, holdsRpcSlot);
    }
}
