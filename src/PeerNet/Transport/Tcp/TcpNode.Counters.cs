using System;
using System.Collections.Generic;
using System.Threading;

namespace PeerNet.Transport.Tcp
{
    // The node's counters (Statistics) and the callbacks its connections report through; each also feeds the
    // System.Diagnostics.Metrics instruments.
    public sealed partial class TcpNode
    {
        /// <summary>This node's counters.</summary>
        public TcpTransportStatistics Statistics => new TcpTransportStatistics
        {
            SendsAccepted = Interlocked.Read(ref _sendsAccepted),
            SendsRefused = Interlocked.Read(ref _sendsRefused),
            MessagesWritten = Interlocked.Read(ref _messagesWritten),
            MessagesLostOnClose = Interlocked.Read(ref _messagesLost),
            RpcsFailedOnClose = Interlocked.Read(ref _rpcsFailedOnClose),
            RpcRepliesUndeliverable = Interlocked.Read(ref _repliesUndeliverable),
            LateRpcReplies = Interlocked.Read(ref _lateReplies),
            DirectSendDelivered = Interlocked.Read(ref _directDelivered),
            DirectSendUnknownProtocol = Interlocked.Read(ref _directUnknown),
            DirectSendHandlerErrors = Interlocked.Read(ref _directHandlerErrors),
            RpcHandled = Interlocked.Read(ref _rpcHandled),
            RpcUnsupportedProtocol = Interlocked.Read(ref _rpcUnsupported),
            ConnectionsOpened = Interlocked.Read(ref _connectionsOpened),
            ConnectionsClosed = Interlocked.Read(ref _connectionsClosed),
            FramesTooLarge = Interlocked.Read(ref _framesTooLarge),
            MalformedFrames = Interlocked.Read(ref _malformedFrames),
            HandshakesFailed = Interlocked.Read(ref _handshakesFailed),
            CloseTimeouts = Interlocked.Read(ref _closeTimeouts),
            SimultaneousDialsRejected = Interlocked.Read(ref _simultaneousDialsRejected),
            RpcRejectedWhileClosing = Interlocked.Read(ref _rpcRejectedWhileClosing),
            MessagesConfirmed = Interlocked.Read(ref _messagesConfirmed),
            MessagesUnconfirmedOnClose = Interlocked.Read(ref _messagesUnconfirmed),
            AuthenticationFailures = Interlocked.Read(ref _authenticationFailures),
            AcceptFailures = Interlocked.Read(ref _acceptFailures),
            InboundConnectionsRefused = Interlocked.Read(ref _inboundRefused),
            RpcsRefusedOverloaded = Interlocked.Read(ref _rpcsRefusedOverloaded),
            IdleTimeouts = Interlocked.Read(ref _idleTimeouts),
            FrameReadTimeouts = Interlocked.Read(ref _readTimeouts),
            InboundConnections = _inbound.Count,
            LogLinesSuppressed = _log?.Suppressed ?? 0,
        };

        internal void OnSendAccepted() => Interlocked.Increment(ref _sendsAccepted);

        internal SendFailure OnSendRefused(SendFailure failure)
        {
            Interlocked.Increment(ref _sendsRefused);
            PeerNetMetrics.SendFailureCounter.Add(1, PeerNetMetrics.Reason(failure));
            return failure;
        }

        internal void OnMessagesWritten(int count) => Interlocked.Add(ref _messagesWritten, count);

        internal void OnMessageLost() => Interlocked.Increment(ref _messagesLost);

        internal void OnRpcFailedOnClose()
        {
            Interlocked.Increment(ref _rpcsFailedOnClose);
            TcpTransportMetrics.RpcFailedCounter.Add(1);
        }

        internal void OnReplyUndeliverable() => Interlocked.Increment(ref _repliesUndeliverable);

        internal void OnRpcRejectedWhileClosing() => Interlocked.Increment(ref _rpcRejectedWhileClosing);

        internal void OnLateReply() => Interlocked.Increment(ref _lateReplies);

        internal void OnDirectSendDelivered()
        {
            Interlocked.Increment(ref _directDelivered);
            PeerNetMetrics.DirectSendCounter.Add(1, PeerNetMetrics.StateDelivered);
        }

        internal void OnDirectSendUnknown()
        {
            Interlocked.Increment(ref _directUnknown);
            PeerNetMetrics.DirectSendCounter.Add(1, PeerNetMetrics.StateUnknown);
        }

        internal void OnDirectSendHandlerError() => Interlocked.Increment(ref _directHandlerErrors);

        internal void OnRpcHandled()
        {
            Interlocked.Increment(ref _rpcHandled);
            PeerNetMetrics.RpcCounter.Add(1, PeerNetMetrics.StateHandled);
        }

        internal void OnRpcUnsupported()
        {
            Interlocked.Increment(ref _rpcUnsupported);
            PeerNetMetrics.RpcCounter.Add(1, PeerNetMetrics.StateUnsupported);
        }

        internal void OnIoError() => TcpTransportMetrics.ProtocolErrorCounter.Add(1, TcpTransportMetrics.Reason(nameof(TcpCloseReason.IoError)));

        internal void OnProtocolError(TcpCloseReason reason, TcpConnection connection, string detail)
        {
            Interlocked.Increment(ref reason == TcpCloseReason.FrameTooLarge ? ref _framesTooLarge : ref _malformedFrames);
            TcpTransportMetrics.ProtocolErrorCounter.Add(1, TcpTransportMetrics.Reason(reason.ToString()));
            Log(LogCategory.Protocol, $"{connection.Id} with {connection.Remote.PeerId}: protocol error {reason}: {detail}; closing the connection");
        }

        // The connection stopped accepting sends: forget it as current and remove it from the store if still current.
        internal void OnConnectionClosing(TcpConnection connection)
        {
            lock (_topologyLock)
            {
                ((ICollection<KeyValuePair<PeerId, TcpConnection>>)_current).Remove(new KeyValuePair<PeerId, TcpConnection>(connection.Remote.PeerId, connection));
                PeersAndMetadata.RemovePeerMetadata(connection.Remote, connection.Id);
            }
        }

        internal void OnConnectionClosed(TcpConnection connection, TcpConnectionClosedEventArgs args)
        {
            Interlocked.Increment(ref _connectionsClosed);
            if (args.TimedOut)
            {
                Interlocked.Increment(ref _closeTimeouts);
            }

            _live.TryRemove(connection, out _);
            Log(LogCategory.Connection, args.ToString());
            try
            {
                ConnectionClosed?.Invoke(this, args);
            }
            catch (Exception ex)
            {
                Log(LogCategory.Connection, $"a ConnectionClosed handler threw: {ex.Message}");
            }
        }

        // The largest frame buffer any connection grew to (tests: an announced length alone allocates nothing).
        internal long PeakReadBufferBytes => Interlocked.Read(ref _peakReadBuffer);

        internal void OnReadBufferGrown(int bytes)
        {
            long seen;
            while (bytes > (seen = Interlocked.Read(ref _peakReadBuffer)) && Interlocked.CompareExchange(ref _peakReadBuffer, bytes, seen) != seen)
            {
            }
        }

        // Bytes of pooled buffers the connections hold now (read and write buffers); back to zero once every connection closed.
        internal long RentedBufferBytes => Interlocked.Read(ref _rentedBufferBytes);

        internal void OnBufferRented(int bytes) => Interlocked.Add(ref _rentedBufferBytes, bytes);

        internal void OnBufferReturned(int bytes) => Interlocked.Add(ref _rentedBufferBytes, -bytes);

        internal void OnMessagesConfirmed(long count) => Interlocked.Add(ref _messagesConfirmed, count);

        internal void OnMessagesUnconfirmed(long count, TcpCloseReason reason)
        {
            Interlocked.Add(ref _messagesUnconfirmed, count);
            TcpTransportMetrics.UnconfirmedCounter.Add(count, TcpTransportMetrics.Reason(reason.ToString()));
        }

        internal void OnAcceptFailed(Exception ex, TimeSpan backoff)
        {
            Interlocked.Increment(ref _acceptFailures);
            TcpTransportMetrics.AcceptFailureCounter.Add(1, TcpTransportMetrics.Reason(ex.GetType().Name));
            Log(LogCategory.Accept, $"accept failed ({ex.GetType().Name}: {ex.Message}); connected peers are still served; accepting again in {backoff.TotalMilliseconds} ms");
        }

        internal void OnInboundRefused(System.Net.IPAddress address, string why)
        {
            Interlocked.Increment(ref _inboundRefused);
            TcpTransportMetrics.InboundRefusedCounter.Add(1);
            Log(LogCategory.Refused, $"inbound connection from {address} refused: {why}");
        }

        internal void OnRpcRefusedOverloaded()
        {
            Interlocked.Increment(ref _rpcsRefusedOverloaded);
            PeerNetMetrics.RpcCounter.Add(1, new KeyValuePair<string, object?>("state", "overloaded"));
        }

        internal void OnTimeout(TcpCloseReason reason, TcpConnection connection, string detail)
        {
            Interlocked.Increment(ref reason == TcpCloseReason.IdleTimeout ? ref _idleTimeouts : ref _readTimeouts);
            TcpTransportMetrics.ProtocolErrorCounter.Add(1, TcpTransportMetrics.Reason(reason.ToString()));
            Log(LogCategory.Protocol, $"{connection.Id} with {connection.Remote.PeerId} at {connection.Metadata.Address}: {detail}; closing the connection");
        }
    }
}
