using System.Diagnostics;
using System.Threading;

namespace PeerNet.Transport.Tcp
{
    // Liveness and accounting of a connection: idle and frame-read timeouts, keep-alives, acknowledgements of the peer's
    // application frames, and the peer's go-away.
    internal sealed partial class TcpConnection
    {
        // Idle and frame-read timeouts, and keep-alives when this side has written nothing for a while.
        private void OnTimer()
        {
            if (Volatile.Read(ref _abortRequested) != 0)
            {
                return;
            }

            var now = Stopwatch.GetTimestamp();
            var frameStarted = Volatile.Read(ref _frameStarted);
            if (frameStarted != 0 && now - frameStarted > _frameTicks)
            {
                var detail = $"a frame took longer than {_node.Options.FrameReadTimeout} to arrive";
                _node.OnTimeout(TcpCloseReason.FrameReadTimeout, this, detail);
                BeginClose(TcpCloseReason.FrameReadTimeout, detail, abort: true);
                return;
            }

            if (now - Volatile.Read(ref _lastReceived) > _idleTicks)
            {
                var detail = $"nothing received for {_node.Options.IdleTimeout}";
                _node.OnTimeout(TcpCloseReason.IdleTimeout, this, detail);
                BeginClose(TcpCloseReason.IdleTimeout, detail, abort: true);
                return;
            }

            SendAckIfBehind(0);
            if (now - Volatile.Read(ref _lastWritten) > _keepAliveTicks && _outbound.Writer.TryWrite(OutboundFrame.KeepAlive))
            {
                Volatile.Write(ref _lastWritten, now);
            }
        }

        // Acknowledges the peer's processed application frames when at least `behind` are not acknowledged yet.
        private void SendAckIfBehind(long behind)
        {
            var processed = Volatile.Read(ref _processed);
            var sent = Volatile.Read(ref _ackSent);
            if (processed - sent > behind && Interlocked.CompareExchange(ref _ackSent, processed, sent) == sent && !_outbound.Writer.TryWrite(OutboundFrame.Ack(processed)))
            {
                Interlocked.CompareExchange(ref _ackSent, sent, processed); // not queued: try again later
            }
        }

        private bool PeerWentAway => Volatile.Read(ref _peerWentAway) != 0;

        // Reader: one more of the peer's application frames processed (delivered, dropped as unknown, handled or refused).
        private void CountProcessed()
        {
            var processed = Interlocked.Increment(ref _processed);
            if ((processed & 255) == 0)
            {
                SendAckIfBehind(0);
            }
        }

        // Reader: the peer processed `count` of our application frames so far.
        private string? OnAck(long count)
        {
            var before = Interlocked.Read(ref _acked);
            if (count < before || count > Interlocked.Read(ref _enqueued))
            {
                return $"ack of {count} frames (acknowledged before: {before}, ever sent: {Interlocked.Read(ref _enqueued)})";
            }

            Interlocked.Exchange(ref _acked, count);
            _node.OnMessagesConfirmed(count - before);
            return null;
        }

        // Reader: the peer sends no more application frames; it is closing, so this side closes too.
        private void OnPeerGoAway()
        {
            Interlocked.Exchange(ref _peerWentAway, 1);
            _peerDone.TrySetResult(true);
            BeginClose(TcpCloseReason.RemoteClosed, "the peer is closing (go-away)", abort: false);
        }
    }
}
