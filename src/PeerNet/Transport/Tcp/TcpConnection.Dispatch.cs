using System;
using System.Buffers.Binary;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PeerNet.Transport.Tcp
{
    // Dispatching received frames to this connection's handlers, and running RPC handlers.
    internal sealed partial class TcpConnection
    {
        // Returns null when the frame was handled, or what is wrong with it.
        private string? Dispatch(byte[] buffer, int length)
        {
            var span = new ReadOnlySpan<byte>(buffer, 0, length);
            switch ((FrameKind)span[0])
            {
                case FrameKind.DirectSend:
                {
                    if (length < TcpFrameCodec.DirectSendOverhead)
                    {
                        return $"direct-send frame of {length} bytes is too short";
                    }

                    if (PeerWentAway)
                    {
                        return "direct-send frame after the peer's go-away";
                    }

                    CountProcessed();
                    var protocol = (ProtocolId)span[1];
                    Handlers.TryGetValue(protocol, out var entry);
                    if (entry?.DirectSend is null)
                    {
                        _node.OnDirectSendUnknown();
                        return null;
                    }

                    _node.OnDirectSendDelivered();
                    var message = new Message(new ReadOnlyMemory<byte>(buffer, TcpFrameCodec.DirectSendOverhead, length - TcpFrameCodec.DirectSendOverhead));
                    try
                    {
                        entry.DirectSend(new InboundMessage(Remote, Id, protocol, message));
                    }
                    catch (Exception)
                    {
                        // The message reached its handler; the handler's failure is the application's, counted here.
                        _node.OnDirectSendHandlerError();
                    }

                    return null;
                }

                case FrameKind.RpcRequest:
                {
                    if (length < TcpFrameCodec.RpcRequestOverhead)
                    {
                        return $"RPC request frame of {length} bytes is too short";
                    }

                    if (PeerWentAway)
                    {
                        return "RPC request frame after the peer's go-away";
                    }

                    CountProcessed();
                    var id = BinaryPrimitives.ReadUInt64LittleEndian(span.Slice(1));
                    var protocol = (ProtocolId)span[9];
                    Handlers.TryGetValue(protocol, out var entry);
                    if (entry?.Rpc is null)
                    {
                        _node.OnRpcUnsupported();
                        var reason = $"Peer {_node.PeerId} has no RPC handler for protocol {protocol} on connection {Id} (unsupported protocol; it announced {Metadata.ApplicationProtocols}).";
                        if (!_outbound.Writer.TryWrite(OutboundFrame.RpcError(id, SendFailure.UnsupportedProtocol, reason)))
                        {
                            _node.OnReplyUndeliverable();
                        }

                        return null;
                    }

                    // At most MaxConcurrentInboundRpcs of the peer's requests from arrival until their answer is written: a
                    // peer that floods requests and never reads the answers holds that many, no more.
                    if (Interlocked.Increment(ref _inboundRpcs) > _node.Options.MaxConcurrentInboundRpcs)
                    {
                        Interlocked.Decrement(ref _inboundRpcs);
                        _node.OnRpcRefusedOverloaded();
                        var why = $"Peer {_node.PeerId} already handles {_node.Options.MaxConcurrentInboundRpcs} RPC requests of yours on {Id}; the {protocol} request was refused.";
                        if (!_outbound.Writer.TryWrite(OutboundFrame.RpcError(id, SendFailure.Overloaded, why)))
                        {
                            _node.OnReplyUndeliverable();
                        }

                        return null;
                    }

                    // Count the handler before checking for a close (BeginClose sets the flag before checking the count):
                    // either this request is refused, or the close waits for its answer.
                    Interlocked.Increment(ref _runningHandlers);
                    if (Volatile.Read(ref _closing) != 0)
                    {
                        Interlocked.Decrement(ref _runningHandlers);
                        Interlocked.Decrement(ref _inboundRpcs);
                        // Not handled: the caller may safely retry elsewhere (ConnectionReplaced is retried by NetworkClient).
                        _node.OnRpcRejectedWhileClosing();
                        var failure = _reason == TcpCloseReason.Replaced ? SendFailure.ConnectionReplaced : SendFailure.Closed;
                        var why = $"Connection {Id} of peer {_node.PeerId} is closing ({_reason}); the {protocol} request was not handled.";
                        if (!_outbound.Writer.TryWrite(OutboundFrame.RpcError(id, failure, why)))
                        {
                            _node.OnReplyUndeliverable();
                        }

                        CompleteOutboundIfIdle();
                        return null;
                    }

                    _node.OnRpcHandled();
                    var request = new Message(new ReadOnlyMemory<byte>(buffer, TcpFrameCodec.RpcRequestOverhead, length - TcpFrameCodec.RpcRequestOverhead));
                    _ = RunRpcHandlerAsync(entry.Rpc, new InboundMessage(Remote, Id, protocol, request), id);
                    return null;
                }

                case FrameKind.RpcResponse:
                {
                    if (length < TcpFrameCodec.RpcResponseOverhead)
                    {
                        return $"RPC response frame of {length} bytes is too short";
                    }

                    var id = BinaryPrimitives.ReadUInt64LittleEndian(span.Slice(1));
                    if (_pending.TryRemove(id, out var reply))
                    {
                        reply.TrySetResult(new Message(new ReadOnlyMemory<byte>(buffer, TcpFrameCodec.RpcResponseOverhead, length - TcpFrameCodec.RpcResponseOverhead)));
                    }
                    else
                    {
                        _node.OnLateReply();
                    }

                    return null;
                }

                case FrameKind.RpcError:
                {
                    if (length < TcpFrameCodec.RpcErrorOverhead)
                    {
                        return $"RPC error frame of {length} bytes is too short";
                    }

                    var id = BinaryPrimitives.ReadUInt64LittleEndian(span.Slice(1));
                    var failure = (SendFailure)span[9];
                    if (!Enum.IsDefined(typeof(SendFailure), failure) || failure == SendFailure.None)
                    {
                        failure = SendFailure.RemoteError;
                    }

                    // The peer's text, bounded: at most MaxReasonBytes of it reach an exception message.
                    var reason = Encoding.UTF8.GetString(buffer, TcpFrameCodec.RpcErrorOverhead, Math.Min(MaxReasonBytes, length - TcpFrameCodec.RpcErrorOverhead));
                    if (length - TcpFrameCodec.RpcErrorOverhead > MaxReasonBytes)
                    {
                        reason += $"... ({length - TcpFrameCodec.RpcErrorOverhead} bytes, truncated)";
                    }

                    if (_pending.TryRemove(id, out var reply))
                    {
                        reply.TrySetException(new PeerNetException(failure, Remote, $"Peer {Remote} answered the RPC on {Id} with {failure}: {reason}"));
                    }
                    else
                    {
                        _node.OnLateReply();
                    }

                    return null;
                }

                case FrameKind.KeepAlive:
                    return length == 1 ? null : $"keep-alive frame of {length} bytes";

                case FrameKind.Ack:
                {
                    if (length != TcpFrameCodec.AckLength)
                    {
                        return $"ack frame of {length} bytes";
                    }

                    return OnAck(BinaryPrimitives.ReadInt64LittleEndian(span.Slice(1)));
                }

                case FrameKind.GoAway:
                {
                    if (length != 1)
                    {
                        return $"go-away frame of {length} bytes";
                    }

                    OnPeerGoAway();
                    return null;
                }

                default:
                    return $"unknown frame kind {span[0]}";
            }
        }

        private async Task RunRpcHandlerAsync(RpcHandler handler, InboundMessage request, ulong id)
        {
            try
            {
                OutboundFrame reply;
                try
                {
                    var response = await handler(request, _handlersCts.Token).ConfigureAwait(false);
                    reply = response is null
                        ? OutboundFrame.RpcError(id, SendFailure.RemoteError, $"The RPC handler of {_node.PeerId} for {request.Protocol} returned no response.", holdsRpcSlot: true)
                        : OutboundFrame.RpcResponse(id, response);
                }
                catch (Exception ex)
                {
                    reply = OutboundFrame.RpcError(id, SendFailure.RemoteError, Truncate($"The RPC handler of {_node.PeerId} for {request.Protocol} failed: {ex.GetType().Name}: {ex.Message}"), holdsRpcSlot: true);
                }

                if (TcpFrameCodec.BodyLength(reply) > SendLimit)
                {
                    reply = OutboundFrame.RpcError(id, SendFailure.RemoteError, $"The RPC response of {_node.PeerId} for {request.Protocol} ({reply.Payload.Length} bytes) exceeds the frame limit of {SendLimit} bytes.", holdsRpcSlot: true);
                }

                // The answer counts against the outbound queue's bytes like this node's own sends: a peer that asks for large
                // answers and never reads them holds at most OutboundQueueMaxBytes. Beyond it, the caller is told Overloaded
                // (a few bytes) and the answer is counted undeliverable.
                long reserved = 0;
                if (reply.Kind == FrameKind.RpcResponse)
                {
                    var size = TcpFrameCodec.HeaderLength + (long)TcpFrameCodec.BodyLength(reply);
                    if (Interlocked.Add(ref _queuedBytes, size) > _node.Options.OutboundQueueMaxBytes)
                    {
                        Interlocked.Add(ref _queuedBytes, -size);
                        _node.OnReplyUndeliverable();
                        reply = OutboundFrame.RpcError(id, SendFailure.Overloaded, $"The RPC answer of {_node.PeerId} for {request.Protocol} ({size} bytes) does not fit in the outbound queue of {Id} ({_node.Options.OutboundQueueMaxBytes} bytes); the peer is not reading.", holdsRpcSlot: true);
                    }
                    else
                    {
                        reserved = size;
                    }
                }

                try
                {
                    await _outbound.Writer.WriteAsync(reply, _abortCts.Token).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // The connection closed (or aborted) before the answer could be queued; the caller was failed with Closed.
                    Interlocked.Add(ref _queuedBytes, -reserved);
                    Interlocked.Decrement(ref _inboundRpcs);
                    _node.OnReplyUndeliverable();
                }
            }
            finally
            {
                Interlocked.Decrement(ref _runningHandlers);
                CompleteOutboundIfIdle();
            }
        }

        internal static string Truncate(string text) => text.Length <= MaxReasonBytes ? text : text.Substring(0, MaxReasonBytes) + "...";
    }
}
