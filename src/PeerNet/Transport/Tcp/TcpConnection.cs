using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace PeerNet.Transport.Tcp
{
    // One node's end of a TCP connection, after its handshake. Owns the socket, a bounded outbound queue drained by
    // a writer task, a reader task that dispatches to this connection's handlers (captured at the handshake), and the
    // RPCs it sent that wait for an answer.
    //
    // Gate: every hand-over of an application message to the outbound queue happens under it while the connection is
    // open, and closing flips it to closed (and completes the queue) under it. So a message is either refused or
    // queued on an open connection, and then it is either written to the socket or counted as lost.
    //
    // Close: graceful (replaced, disconnected, remote closed, node disposed) refuses new sends at once, lets RPC handlers
    // already running queue their answers, then flushes the queue, half-closes the socket and keeps reading until the
    // peer's end of stream, so messages already in flight in either direction are still dispatched to this connection's
    // handlers and answers still reach their callers. RPC requests arriving meanwhile are not handled: they are answered
    // ConnectionReplaced (retried by NetworkClient) or Closed. Our own RPCs still unanswered when the close finishes fail
    // with Closed. Bounded by CloseTimeout, after which it aborts. Abort (protocol or socket error, timeout) stops at
    // once: pending RPCs fail with Closed, handlers are cancelled, and what is still queued is counted as lost.
    internal sealed class TcpConnection
    {
        public readonly object Gate = new object();

        private const int BatchBytes = 64 * 1024;
        private readonly TcpNode _node;
        private readonly Socket _socket;
        private readonly NetworkStream _stream;
        private readonly Channel<OutboundFrame> _outbound;
        private readonly ConcurrentDictionary<ulong, TaskCompletionSource<Message>> _pending = new ConcurrentDictionary<ulong, TaskCompletionSource<Message>>();
        private readonly CancellationTokenSource _abortCts = new CancellationTokenSource();
        private readonly CancellationTokenSource _handlersCts = new CancellationTokenSource();
        private readonly TaskCompletionSource<bool> _closeRequested = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _open = true; // guarded by Gate
        private int _closing; // 1 once _open is false (read without the gate by the reader and the handlers)
        private TcpCloseReason _reason; // set once, under Gate
        private string _detail = string.Empty;
        private int _abortRequested;
        private long _nextRpcId;
        private long _lostInWriter;
        private int _runningHandlers;
        private Task _reader = Task.CompletedTask;
        private Task _writer = Task.CompletedTask;

        public TcpConnection(TcpNode node, Socket socket, NetworkStream stream, ConnectionMetadata metadata, ImmutableDictionary<ProtocolId, HandlerEntry> handlers, int sendLimit)
        {
            _node = node;
            _socket = socket;
            _stream = stream;
            Metadata = metadata;
            Handlers = handlers;
            SendLimit = sendLimit;
            Remote = new PeerNetworkId(node.NetworkId, metadata.RemotePeerId);
            _outbound = Channel.CreateBounded<OutboundFrame>(new BoundedChannelOptions(node.Options.OutboundQueueCapacity)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = true,
                SingleWriter = false,
                AllowSynchronousContinuations = false,
            });
        }

        public ConnectionMetadata Metadata { get; }

        public ConnectionId Id => Metadata.ConnectionId;

        public PeerNetworkId Remote { get; }

        public ImmutableDictionary<ProtocolId, HandlerEntry> Handlers { get; }

        // The largest frame body this connection may send: the smaller of both sides' limits.
        public int SendLimit { get; }

        public Task Completion { get; private set; } = Task.CompletedTask;

        // Under Gate.
        public bool IsOpenLocked => _open;

        // Under Gate, once closed.
        public SendFailure ClosedFailureLocked => _reason == TcpCloseReason.Replaced ? SendFailure.ConnectionReplaced : SendFailure.Closed;

        public void Start()
        {
            _reader = Task.Run(ReadLoopAsync);
            _writer = Task.Run(WriteLoopAsync);
            Completion = Task.Run(LifecycleAsync);
        }

        // Under Gate, open: queue an application message (false when the queue is full).
        public bool TryEnqueueLocked(OutboundFrame frame) => _outbound.Writer.TryWrite(frame);

        // Under Gate, open: register an RPC awaiting its answer.
        public ulong RegisterRpcLocked(TaskCompletionSource<Message> reply)
        {
            var id = (ulong)Interlocked.Increment(ref _nextRpcId);
            _pending[id] = reply;
            return id;
        }

        public bool ForgetRpc(ulong id) => _pending.TryRemove(id, out _);

        // Starts closing; true for the call that actually closed it. Never throws.
        public bool BeginClose(TcpCloseReason reason, string detail, bool abort)
        {
            bool first;
            lock (Gate)
            {
                first = _open;
                if (first)
                {
                    _open = false;
                    _reason = reason;
                    _detail = detail;
                    Interlocked.Exchange(ref _closing, 1); // a full fence: see the RPC request dispatch
                }
            }

            if (first)
            {
                _node.OnConnectionClosing(this);
                CompleteOutboundIfIdle();
            }

            if (abort && Interlocked.Exchange(ref _abortRequested, 1) == 0)
            {
                if (!first)
                {
                    _node.Log($"{Id} with {Remote.PeerId} aborted while closing: {reason} ({detail})");
                }

                _outbound.Writer.TryComplete();
                FailPendingRpcs();
                TryCancel(_handlersCts);
                Abort();
            }

            _closeRequested.TrySetResult(true);
            return first;
        }

        // Graceful close: RPC handlers already running may still queue their answers; once none runs, the queue is
        // completed, so the writer flushes it and half-closes the socket.
        private void CompleteOutboundIfIdle()
        {
            if (Volatile.Read(ref _closing) != 0 && Volatile.Read(ref _runningHandlers) == 0)
            {
                _outbound.Writer.TryComplete();
            }
        }

        private void Abort()
        {
            TryCancel(_abortCts);
            try
            {
                _socket.Dispose();
            }
            catch (Exception)
            {
                // Disposing a socket only fails if it is already gone.
            }
        }

        private static void TryCancel(CancellationTokenSource cts)
        {
            try
            {
                cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
            catch (AggregateException)
            {
                // A registration threw; the token is cancelled anyway.
            }
        }

        private void FailPendingRpcs()
        {
            foreach (var entry in _pending)
            {
                // Whoever removes an entry owns its completion, so count first: a caller woken by the exception
                // already sees the statistic.
                if (_pending.TryRemove(entry.Key, out var reply))
                {
                    _node.OnRpcFailedOnClose();
                    reply.TrySetException(new PeerNetException(
                        SendFailure.Closed,
                        Remote,
                        $"The RPC sent on {Id} to {Remote} got no answer before the connection closed ({_reason}: {_detail})."));
                }
            }
        }

        private async Task LifecycleAsync()
        {
            await _closeRequested.Task.ConfigureAwait(false);
            var io = Task.WhenAll(_reader, _writer);
            var timedOut = false;
            if (Volatile.Read(ref _abortRequested) == 0)
            {
                using var delayCts = new CancellationTokenSource();
                var finished = await Task.WhenAny(io, Task.Delay(_node.Options.CloseTimeout, delayCts.Token)).ConfigureAwait(false);
                if (finished == io)
                {
                    delayCts.Cancel();
                }
                else
                {
                    timedOut = true;
                }
            }

            Interlocked.Exchange(ref _abortRequested, 1);
            _outbound.Writer.TryComplete();
            Abort();
            // With the socket gone the loops end at once, unless the reader is stuck in a direct-send handler: do not wait
            // for it forever (it ends when the handler returns).
            if (await Task.WhenAny(io, Task.Delay(_node.Options.CloseTimeout)).ConfigureAwait(false) != io)
            {
                _node.Log($"{Id} with {Remote.PeerId}: the reader is still inside a handler {_node.Options.CloseTimeout} after the close; not waiting for it");
            }
            else if (io.IsFaulted)
            {
                // The loops catch their own failures; this is a bug, not a silent drop.
                _node.Log($"{Id} with {Remote.PeerId}: I/O loop failed unexpectedly: {io.Exception}");
            }

            // RPCs of ours that got no answer while the connection was closing fail now; RPC handlers still running are
            // told (their token) that the connection is gone and get the close timeout to finish.
            FailPendingRpcs();
            TryCancel(_handlersCts);
            for (var waited = 0; Volatile.Read(ref _runningHandlers) > 0 && waited < _node.Options.CloseTimeout.TotalMilliseconds; waited += 10)
            {
                await Task.Delay(10).ConfigureAwait(false);
            }

            var lost = Interlocked.Read(ref _lostInWriter);
            while (_outbound.Reader.TryRead(out var frame))
            {
                lost += CountLost(frame);
            }

            _node.OnConnectionClosed(this, new TcpConnectionClosedEventArgs(Metadata, _reason, _detail, lost, timedOut));
            _abortCts.Dispose();
            _handlersCts.Dispose();
        }

        // Counts a frame that was never written; returns 1 for application messages, 0 for replies.
        private long CountLost(OutboundFrame frame)
        {
            TcpTransportMetrics.LostCounter.Add(1, TcpTransportMetrics.Reason(_reason.ToString()), TcpTransportMetrics.Kind(frame.Kind));
            if (frame.IsApplicationMessage)
            {
                _node.OnMessageLost();
                return 1;
            }

            _node.OnReplyUndeliverable();
            return 0;
        }

        private async Task WriteLoopAsync()
        {
            var token = _abortCts.Token;
            var reader = _outbound.Reader;
            var buffer = ArrayPool<byte>.Shared.Rent(BatchBytes);
            var batch = new System.Collections.Generic.List<OutboundFrame>();
            try
            {
                while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
                {
                    var used = 0;
                    while (used < BatchBytes && reader.TryRead(out var frame))
                    {
                        var need = TcpFrameCodec.HeaderLength + TcpFrameCodec.BodyLength(frame);
                        if (used + need > buffer.Length)
                        {
                            if (used > 0)
                            {
                                await FlushAsync(buffer, used, batch, token).ConfigureAwait(false);
                                used = 0;
                            }

                            if (need > buffer.Length)
                            {
                                ArrayPool<byte>.Shared.Return(buffer);
                                buffer = ArrayPool<byte>.Shared.Rent(need);
                            }
                        }

                        batch.Add(frame);
                        used += TcpFrameCodec.Write(frame, buffer.AsSpan(used));
                    }

                    if (used > 0)
                    {
                        await FlushAsync(buffer, used, batch, token).ConfigureAwait(false);
                    }
                }

                // Closed and drained: tell the peer we are done sending; keep reading until it says the same.
                _socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex)
            {
                foreach (var frame in batch)
                {
                    Interlocked.Add(ref _lostInWriter, CountLost(frame));
                }

                if (!token.IsCancellationRequested)
                {
                    BeginClose(TcpCloseReason.IoError, $"write failed: {ex.GetType().Name}: {ex.Message}", abort: true);
                    _node.OnIoError();
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private async Task FlushAsync(byte[] buffer, int used, System.Collections.Generic.List<OutboundFrame> batch, CancellationToken token)
        {
            await _stream.WriteAsync(buffer, 0, used, token).ConfigureAwait(false);
            var applicationFrames = 0;
            foreach (var frame in batch)
            {
                if (frame.IsApplicationMessage)
                {
                    applicationFrames++;
                }
            }

            _node.OnMessagesWritten(applicationFrames);
            batch.Clear();
        }

        private async Task ReadLoopAsync()
        {
            var token = _abortCts.Token;
            var header = new byte[TcpFrameCodec.HeaderLength];
            var body = ArrayPool<byte>.Shared.Rent(4096);
            try
            {
                while (true)
                {
                    var got = await ReadExactAsync(_stream, header, TcpFrameCodec.HeaderLength, token).ConfigureAwait(false);
                    if (got == 0)
                    {
                        BeginClose(TcpCloseReason.RemoteClosed, "the peer closed its end", abort: false);
                        return;
                    }

                    if (got < TcpFrameCodec.HeaderLength)
                    {
                        ProtocolError(TcpCloseReason.MalformedFrame, $"end of stream inside a frame header ({got} of {TcpFrameCodec.HeaderLength} bytes)");
                        return;
                    }

                    var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
                    if (length > (uint)_node.Options.MaxFrameSize)
                    {
                        ProtocolError(TcpCloseReason.FrameTooLarge, $"frame of {length} bytes exceeds the maximum frame size of {_node.Options.MaxFrameSize} bytes");
                        return;
                    }

                    if (length == 0)
                    {
                        ProtocolError(TcpCloseReason.MalformedFrame, "empty frame");
                        return;
                    }

                    if (body.Length < length)
                    {
                        ArrayPool<byte>.Shared.Return(body);
                        body = ArrayPool<byte>.Shared.Rent((int)length);
                    }

                    got = await ReadExactAsync(_stream, body, (int)length, token).ConfigureAwait(false);
                    if (got < length)
                    {
                        ProtocolError(TcpCloseReason.MalformedFrame, $"end of stream inside a frame ({got} of {length} bytes)");
                        return;
                    }

                    var error = Dispatch(body, (int)length);
                    if (error is not null)
                    {
                        ProtocolError(TcpCloseReason.MalformedFrame, error);
                        return;
                    }
                }
            }
            catch (Exception ex)
            {
                if (!token.IsCancellationRequested)
                {
                    BeginClose(TcpCloseReason.IoError, $"read failed: {ex.GetType().Name}: {ex.Message}", abort: true);
                    _node.OnIoError();
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(body);
            }
        }

        internal static async Task<int> ReadExactAsync(Stream stream, byte[] buffer, int count, CancellationToken token)
        {
            var read = 0;
            while (read < count)
            {
                var n = await stream.ReadAsync(buffer, read, count - read, token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return read;
        }

        private void ProtocolError(TcpCloseReason reason, string detail)
        {
            _node.OnProtocolError(reason, this, detail);
            BeginClose(reason, detail, abort: true);
        }

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

                    // Count the handler before checking for a close (BeginClose sets the flag before checking the count):
                    // either this request is refused, or the close waits for its answer.
                    Interlocked.Increment(ref _runningHandlers);
                    if (Volatile.Read(ref _closing) != 0)
                    {
                        Interlocked.Decrement(ref _runningHandlers);
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

                    var reason = Encoding.UTF8.GetString(buffer, TcpFrameCodec.RpcErrorOverhead, length - TcpFrameCodec.RpcErrorOverhead);
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
                        ? OutboundFrame.RpcError(id, SendFailure.RemoteError, $"The RPC handler of {_node.PeerId} for {request.Protocol} returned no response.")
                        : OutboundFrame.RpcResponse(id, response);
                }
                catch (Exception ex)
                {
                    reply = OutboundFrame.RpcError(id, SendFailure.RemoteError, Truncate($"The RPC handler of {_node.PeerId} for {request.Protocol} failed: {ex.GetType().Name}: {ex.Message}"));
                }

                if (TcpFrameCodec.BodyLength(reply) > SendLimit)
                {
                    reply = OutboundFrame.RpcError(id, SendFailure.RemoteError, $"The RPC response of {_node.PeerId} for {request.Protocol} ({reply.Payload.Length} bytes) exceeds the frame limit of {SendLimit} bytes.");
                }

                try
                {
                    await _outbound.Writer.WriteAsync(reply, _abortCts.Token).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // The connection closed (or aborted) before the answer could be queued; the caller was failed with Closed.
                    _node.OnReplyUndeliverable();
                }
            }
            finally
            {
                Interlocked.Decrement(ref _runningHandlers);
                CompleteOutboundIfIdle();
            }
        }

        private static string Truncate(string text) => text.Length <= 1024 ? text : text.Substring(0, 1024) + "...";
    }
}
