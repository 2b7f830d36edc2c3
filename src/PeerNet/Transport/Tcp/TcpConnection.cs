using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
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
    internal sealed partial class TcpConnection
    {
        public readonly object Gate = new object();

        private const int BatchBytes = 64 * 1024;
        private const int SmallBodyBytes = 4096;
        private const int ReadAheadBytes = 8192;
        private readonly byte[] _readAhead = new byte[ReadAheadBytes];
        private int _readAheadStart;
        private int _readAheadEnd;
        private const int MaxReasonBytes = 1024;
        private readonly TcpNode _node;
        private readonly Socket _socket;
        private readonly Stream _stream;
        private readonly InboundSlot? _slot;
        private readonly Timer _timer;
        private readonly long _idleTicks;
        private readonly long _frameTicks;
        private readonly long _keepAliveTicks;
        private long _lastReceived; // Stopwatch ticks of the last bytes read
        private long _lastWritten; // Stopwatch ticks of the last write
        private long _frameStarted; // Stopwatch ticks of the first byte of the frame being read; 0 between frames
        private long _queuedBytes; // application bytes in the outbound queue
        private int _inboundRpcs; // peer's RPC requests from arrival until their answer is written or dropped
        private long _enqueued; // application frames accepted on this connection
        private long _written; // application frames written to the socket
        private long _acked; // the peer's last Ack: application frames of ours it processed
        private long _processed; // application frames of the peer this side processed (reader only)
        private long _ackSent; // the last count this side acknowledged
        private int _peerWentAway; // the peer's GoAway arrived: no application frame may follow
        private readonly TaskCompletionSource<bool> _peerDone = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
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

        public TcpConnection(TcpNode node, Socket socket, Stream stream, ConnectionMetadata metadata, ImmutableDictionary<ProtocolId, HandlerEntry> handlers, int sendLimit, InboundSlot? slot)
        {
            _node = node;
            _socket = socket;
            _stream = stream;
            _slot = slot;
            var options = node.Options;
            _idleTicks = Ticks(options.IdleTimeout);
            _frameTicks = Ticks(options.FrameReadTimeout);
            _keepAliveTicks = _idleTicks / 3;
            _lastReceived = _lastWritten = Stopwatch.GetTimestamp();
            _timer = new Timer(s => ((TcpConnection)s!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);
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
            var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(10).Ticks, Math.Min(TimeSpan.FromSeconds(5).Ticks, Math.Min(_node.Options.IdleTimeout.Ticks, _node.Options.FrameReadTimeout.Ticks) / 4)));
            _timer.Change(period, period);
        }

        // Under Gate, open: queue an application message (false when the queue is full, in messages or in bytes).
        public bool TryEnqueueLocked(OutboundFrame frame)
        {
            var size = TcpFrameCodec.HeaderLength + (long)TcpFrameCodec.BodyLength(frame);
            if (Interlocked.Add(ref _queuedBytes, size) > _node.Options.OutboundQueueMaxBytes)
            {
                Interlocked.Add(ref _queuedBytes, -size);
                return false;
            }

            if (!_outbound.Writer.TryWrite(frame))
            {
                Interlocked.Add(ref _queuedBytes, -size);
                return false;
            }

            Interlocked.Increment(ref _enqueued);
            return true;
        }

        private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

        // Under Gate, open: register an RPC awaiting its answer.
        public ulong RegisterRpcLocked(TaskCompletionSource<Message> reply)
        {
            var id = (ulong)Interlocked.Increment(ref _nextRpcId);
            _pending[id] = reply;
            return id;
        }

        public bool ForgetRpc(ulong id) => _pending.TryRemove(id, out _);

        // The peer's RPC requests in progress (handler running or answer not yet written).
        public int InboundRpcsInProgress => Volatile.Read(ref _inboundRpcs);

        // Bytes of application messages and RPC answers waiting in the outbound queue (bounded by OutboundQueueMaxBytes).
        public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

        // RPC handlers of the peer's requests running or queuing their answer.
        public int RunningRpcHandlers => Volatile.Read(ref _runningHandlers);

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
                    _node.Log(LogCategory.Connection, $"{Id} with {Remote.PeerId} aborted while closing: {reason} ({detail})");
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
            _timer.Change(Timeout.Infinite, Timeout.Infinite);
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
                _node.Log(LogCategory.Connection, $"{Id} with {Remote.PeerId}: the reader is still inside a handler {_node.Options.CloseTimeout} after the close; not waiting for it");
            }
            else if (io.IsFaulted)
            {
                // The loops catch their own failures; this is a bug, not a silent drop.
                _node.Log(LogCategory.Connection, $"{Id} with {Remote.PeerId}: I/O loop failed unexpectedly: {io.Exception}");
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

            _timer.Dispose();
            _slot?.Release();

            // Written but never acknowledged: the peer may or may not have processed them (the connection was aborted or
            // reset before its acknowledgement arrived); reported, never silent.
            var unconfirmed = Math.Max(0, Interlocked.Read(ref _written) - Interlocked.Read(ref _acked));
            if (unconfirmed > 0)
            {
                _node.OnMessagesUnconfirmed(unconfirmed, _reason);
            }

            _node.OnConnectionClosed(this, new TcpConnectionClosedEventArgs(Metadata, _reason, _detail, lost, timedOut, unconfirmed));
            _abortCts.Dispose();
            _handlersCts.Dispose();
        }

        // Counts a frame that was never written; returns 1 for application messages, 0 for replies.
        private long CountLost(OutboundFrame frame)
        {
            if (frame.Kind == FrameKind.KeepAlive || frame.Kind == FrameKind.Ack || frame.Kind == FrameKind.GoAway)
            {
                return 0; // control frames: nothing of the application's
            }

            if (frame.HoldsRpcSlot)
            {
                Interlocked.Decrement(ref _inboundRpcs);
            }

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
            var batch = new System.Collections.Generic.List<OutboundFrame>();
            OutboundFrame? held = null;
            byte[]? buffer = null;
            try
            {
                while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
                {
                    // Rented per burst and returned before waiting again: an idle connection holds no write buffer.
                    buffer = RentBuffer(BatchBytes);
                    var used = 0;
                    while (used < BatchBytes && reader.TryRead(out var frame))
                    {
                        var need = TcpFrameCodec.HeaderLength + TcpFrameCodec.BodyLength(frame);
                        if (used + need > buffer.Length)
                        {
                            if (used > 0)
                            {
                                // Out of the queue but not yet in the batch: if this flush fails, it is lost with the batch.
                                held = frame;
                                await FlushAsync(buffer, used, batch, token).ConfigureAwait(false);
                                held = null;
                                used = 0;
                            }

                            if (need > buffer.Length)
                            {
                                ReturnBuffer(buffer);
                                buffer = null;
                                buffer = RentBuffer(need);
                            }
                        }

                        batch.Add(frame);
                        used += TcpFrameCodec.Write(frame, buffer.AsSpan(used));
                    }

                    if (used > 0)
                    {
                        await FlushAsync(buffer, used, batch, token).ConfigureAwait(false);
                    }

                    ReturnBuffer(buffer);
                    buffer = null;
                }

                // Closed and drained: no application frame follows (GoAway). Once the peer said the same (or its stream
                // ended), acknowledge everything of its that was processed, then half-close; keep reading until its end.
                // Under TLS a truncation is still caught by the framing: an end of stream inside a frame is a protocol error.
                await WriteControlAsync(OutboundFrame.GoAway, token).ConfigureAwait(false);
                await Task.WhenAny(_peerDone.Task, Task.Delay(Timeout.Infinite, token)).ConfigureAwait(false);
                token.ThrowIfCancellationRequested();
                await WriteControlAsync(OutboundFrame.Ack(Interlocked.Read(ref _processed)), token).ConfigureAwait(false);
                _socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex)
            {
                foreach (var frame in batch)
                {
                    Interlocked.Add(ref _lostInWriter, CountLost(frame));
                }

                if (held is not null)
                {
                    Interlocked.Add(ref _lostInWriter, CountLost(held));
                }

                if (!token.IsCancellationRequested)
                {
                    BeginClose(TcpCloseReason.IoError, $"write failed: {ex.GetType().Name}: {ex.Message}", abort: true);
                    _node.OnIoError();
                }
            }
            finally
            {
                if (buffer is not null)
                {
                    ReturnBuffer(buffer);
                }
            }
        }

        private async Task WriteControlAsync(OutboundFrame frame, CancellationToken token)
        {
            var bytes = new byte[TcpFrameCodec.HeaderLength + TcpFrameCodec.BodyLength(frame)];
            TcpFrameCodec.Write(frame, bytes);
            await _stream.WriteAsync(bytes, 0, bytes.Length, token).ConfigureAwait(false);
        }

        private async Task FlushAsync(byte[] buffer, int used, System.Collections.Generic.List<OutboundFrame> batch, CancellationToken token)
        {
            await _stream.WriteAsync(buffer, 0, used, token).ConfigureAwait(false);
            Volatile.Write(ref _lastWritten, Stopwatch.GetTimestamp());
            var applicationFrames = 0;
            long applicationBytes = 0;
            foreach (var frame in batch)
            {
                if (frame.IsApplicationMessage)
                {
                    applicationFrames++;
                    applicationBytes += TcpFrameCodec.HeaderLength + TcpFrameCodec.BodyLength(frame);
                }
                else if (frame.HoldsRpcSlot)
                {
                    Interlocked.Decrement(ref _inboundRpcs);
                    if (frame.Kind == FrameKind.RpcResponse)
                    {
                        applicationBytes += TcpFrameCodec.HeaderLength + TcpFrameCodec.BodyLength(frame); // counted in the queue's bytes when queued
                    }
                }
            }

            Interlocked.Add(ref _queuedBytes, -applicationBytes);
            Interlocked.Add(ref _written, applicationFrames);

            _node.OnMessagesWritten(applicationFrames);
            batch.Clear();
        }

        private async Task ReadLoopAsync()
        {
            var token = _abortCts.Token;
            var header = new byte[TcpFrameCodec.HeaderLength];
            var small = RentBuffer(SmallBodyBytes);
            var body = small;
            try
            {
                while (true)
                {
                    // Between frames the connection may be idle (bounded by the idle timeout); once a frame's first
                    // byte arrived, the whole frame must arrive within the frame-read timeout.
                    var got = await ReadSomeAsync(header, 0, TcpFrameCodec.HeaderLength, token).ConfigureAwait(false);
                    if (got == 0)
                    {
                        BeginClose(TcpCloseReason.RemoteClosed, "the peer closed its end", abort: false);
                        return;
                    }

                    Volatile.Write(ref _frameStarted, Stopwatch.GetTimestamp());
                    while (got < TcpFrameCodec.HeaderLength)
                    {
                        var n = await ReadSomeAsync(header, got, TcpFrameCodec.HeaderLength - got, token).ConfigureAwait(false);
                        if (n == 0)
                        {
                            ProtocolError(TcpCloseReason.MalformedFrame, $"end of stream inside a frame header ({got} of {TcpFrameCodec.HeaderLength} bytes)");
                            return;
                        }

                        got += n;
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

                    // The announced length is not trusted: the buffer grows (doubling) only as bytes actually arrive.
                    var filled = 0;
                    while (filled < length)
                    {
                        if (filled == body.Length)
                        {
                            var grown = RentBuffer((int)Math.Min(length, (long)body.Length * 2));
                            Buffer.BlockCopy(body, 0, grown, 0, filled);
                            if (!ReferenceEquals(body, small))
                            {
                                ReturnBuffer(body);
                            }

                            body = grown;
                            _node.OnReadBufferGrown(grown.Length);
                        }

                        var n = await ReadSomeAsync(body, filled, (int)Math.Min(body.Length, length) - filled, token).ConfigureAwait(false);
                        if (n == 0)
                        {
                            ProtocolError(TcpCloseReason.MalformedFrame, $"end of stream inside a frame ({filled} of {length} bytes)");
                            return;
                        }

                        filled += n;
                    }

                    Volatile.Write(ref _frameStarted, 0);
                    var error = Dispatch(body, (int)length);
                    if (!ReferenceEquals(body, small))
                    {
                        // Payloads were copied out: a large buffer goes back to the pool instead of staying with the connection.
                        ReturnBuffer(body);
                        body = small;
                    }

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
                _peerDone.TrySetResult(true); // nothing more comes from the peer: the writer need not wait for its go-away
                if (!ReferenceEquals(body, small))
                {
                    ReturnBuffer(body);
                }

                ReturnBuffer(small);
            }
        }

        // Reads from the read-ahead buffer, refilled with one socket (or TLS) read of up to ReadAheadBytes: small frames
        // cost one read per burst, not two per frame. Reader only.
        private async ValueTask<int> ReadSomeAsync(byte[] buffer, int offset, int count, CancellationToken token)
        {
            if (_readAheadEnd == _readAheadStart)
            {
                if (count >= ReadAheadBytes)
                {
                    var direct = await _stream.ReadAsync(buffer, offset, count, token).ConfigureAwait(false);
                    Volatile.Write(ref _lastReceived, Stopwatch.GetTimestamp());
                    return direct;
                }

                _readAheadStart = 0;
                _readAheadEnd = await _stream.ReadAsync(_readAhead, 0, ReadAheadBytes, token).ConfigureAwait(false);
                Volatile.Write(ref _lastReceived, Stopwatch.GetTimestamp());
                if (_readAheadEnd == 0)
                {
                    return 0;
                }
            }

            var n = Math.Min(count, _readAheadEnd - _readAheadStart);
            Buffer.BlockCopy(_readAhead, _readAheadStart, buffer, offset, n);
            _readAheadStart += n;
            return n;
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
    }
}
