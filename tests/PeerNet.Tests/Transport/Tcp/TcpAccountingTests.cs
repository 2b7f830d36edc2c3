using PeerNet.Transport.Tcp;
using static PeerNet.Tests.Transport.Tcp.TcpTestKit;

namespace PeerNet.Tests.Transport.Tcp;

/// <summary>
/// Every message accounted for across resets and disposal: accepted = confirmed by the peer + lost on close (never
/// written) + unconfirmed (written to a connection aborted before the peer's acknowledgement), in the statistics.
/// </summary>
[Collection(SerialCollection.Name)]
public class TcpAccountingTests
{
    private const ProtocolId Bcs = Target.Bcs;
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public TcpAccountingTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    public enum Ending
    {
        ReceiverResets,
        SenderDisposed,
        ReceiverDisposed,
    }

    [Theory]
    [InlineData(Ending.ReceiverResets)]
    [InlineData(Ending.SenderDisposed)]
    [InlineData(Ending.ReceiverDisposed)]
    public async Task Every_message_sent_under_traffic_is_confirmed_lost_or_unconfirmed_when_the_connection_ends(Ending ending)
    {
        var sender = Node(new TcpNodeOptions { OutboundQueueCapacity = 64 });
        var receiver = new Target(Node());
        sender.Record(Bcs);
        var baseline = await ResourceBaseline.CaptureAsync(sender, receiver.Node);
        var connection = await sender.Dial(receiver.Node).Within();
        await WaitUntilAsync(() => receiver.Node.ConnectedPeers.Contains(sender.PeerId), "the receiver installs the connection");

        long attempts = 0, ok = 0, refused = 0;
        using var stop = new CancellationTokenSource();
        var flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = Task.Factory.StartNew(() =>
        {
            // Retries at once on failure, as the sender did.
            while (!stop.IsCancellationRequested)
            {
                attempts++;
                if (sender.Sender.TrySendOnConnection(receiver.Node.PeerId, connection.ConnectionId, Bcs, new Message(new byte[256])) == SendFailure.None)
                {
                    if (++ok == 2_000)
                    {
                        flowing.TrySetResult();
                    }
                }
                else
                {
                    refused++;
                    Thread.Yield();
                }
            }
        }, TaskCreationOptions.LongRunning);

        await flowing.Task.Within();
        switch (ending)
        {
            case Ending.ReceiverResets:
                // The receiver aborts: its socket is closed with unread data, so the sender gets a reset.
                receiver.Node.CurrentConnections[sender.PeerId].BeginClose(TcpCloseReason.IoError, "test: reset", abort: true);
                break;
            case Ending.SenderDisposed:
                await sender.DisposeAsync().AsTask().Within();
                break;
            case Ending.ReceiverDisposed:
                await receiver.Node.DisposeAsync().AsTask().Within();
                break;
        }

        await WaitUntilAsync(() => sender.LiveConnectionCount == 0 && receiver.Node.LiveConnectionCount == 0, "both ends finished closing");
        var delivered = receiver.Delivered;
        stop.Cancel();
        await loop.Within();
        if (ending != Ending.ReceiverDisposed)
        {
            await receiver.GoodPeerGetsThroughAsync(); // the receiver still serves a good peer
        }

        await sender.DisposeAsync();
        await receiver.Node.DisposeAsync();
        await baseline.ReturnedAsync(); // the sender's thread, both nodes' sockets, buffers and queued messages are gone

        var s = sender.Statistics;
        var r = receiver.Node.Statistics;
        _output.WriteLine($"{ending}: attempts={attempts} ok={ok} refused={refused}; sender accepted={s.SendsAccepted} written={s.MessagesWritten} confirmed={s.MessagesConfirmed} lost={s.MessagesLostOnClose} unconfirmed={s.MessagesUnconfirmedOnClose}; receiver delivered={delivered}");

        // The caller: every attempt succeeded or was told it failed.
        Assert.Equal(attempts, ok + refused);
        Assert.Equal(ok, s.SendsAccepted);
        Assert.Equal(refused, s.SendsRefused);

        // The sender: every accepted message ends in exactly one bucket.
        Assert.Equal(s.SendsAccepted, s.MessagesConfirmed + s.MessagesLostOnClose + s.MessagesUnconfirmedOnClose);
        Assert.Equal(s.MessagesWritten, s.MessagesConfirmed + s.MessagesUnconfirmedOnClose);

        // The receiver delivered every confirmed message, and nothing the sender did not count as possibly delivered.
        Assert.InRange(delivered, s.MessagesConfirmed, s.MessagesConfirmed + s.MessagesUnconfirmedOnClose);
        if (ending == Ending.ReceiverResets)
        {
            Assert.True(s.MessagesLostOnClose + s.MessagesUnconfirmedOnClose > 0, "a reset under traffic loses or leaves unconfirmed some messages, and says so");
        }
        else
        {
            // Graceful: the final acknowledgements cover everything written.
            Assert.Equal(0, s.MessagesUnconfirmedOnClose);
            Assert.Equal(delivered, s.MessagesConfirmed);
        }
    }
}
