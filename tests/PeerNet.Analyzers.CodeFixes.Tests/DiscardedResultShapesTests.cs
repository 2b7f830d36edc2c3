using Pn0003 = PeerNet.Analyzers.PN0003DiscardedTrySendResultAnalyzer;
using ResultFix = PeerNet.Analyzers.CodeFixes.PN0003ObserveTrySendResultCodeFixProvider;

namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>PN0003 shapes beyond the plain statement, with the real analyzer: unread locals and SendFailure results.</summary>
public class DiscardedResultShapesTests
{
    private const string ThrowKey = "PN0003.ThrowPeerNetException";
    private const string ReturnKey = "PN0003.ReturnResult";

    [Fact]
    public Task UnreadBoolLocal_Throw() =>
        Verify<Pn0003, ResultFix>.FixAsync(
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    var ok = {|PN0003:client.TrySendWithCurrentProtocol(peer, message, out var failure)|};
                }
            }
            """,
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    if (!client.TrySendWithCurrentProtocol(peer, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            ThrowKey);

    [Fact]
    public Task SendFailureResult_Statement_Throw() =>
        Verify<Pn0003, ResultFix>.FixAsync(
            """
            using PeerNet;

            class C
            {
                void Send(IConnectionBoundSender sender, PeerNetworkId peer, ConnectionId connection, Message message)
                {
                    {|PN0003:sender.TrySendOnConnection(peer.PeerId, connection, ProtocolId.MempoolDirectSend, message)|};
                }
            }
            """,
            """
            using PeerNet;

            class C
            {
                void Send(IConnectionBoundSender sender, PeerNetworkId peer, ConnectionId connection, Message message)
                {
                    var failure = sender.TrySendOnConnection(peer.PeerId, connection, ProtocolId.MempoolDirectSend, message);
                    if (failure != SendFailure.None)
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            ThrowKey);

    [Fact]
    public Task SendFailureResult_NoPeerNetworkId_NoThrowAction() =>
        Verify<Pn0003, ResultFix>.NoFixAsync(
            """
            using PeerNet;

            class C
            {
                void Send(IConnectionBoundSender sender, PeerId peer, ConnectionId connection, Message message)
                {
                    {|PN0003:sender.TrySendOnConnection(peer, connection, ProtocolId.MempoolDirectSend, message)|};
                }
            }
            """,
            ThrowKey);

    [Fact]
    public Task SendFailureResult_SendFailureMethod_ReturnsIt() =>
        Verify<Pn0003, ResultFix>.FixAsync(
            """
            using PeerNet;

            class C
            {
                SendFailure Send(IConnectionBoundSender sender, PeerId peer, ConnectionId connection, Message message)
                {
                    {|PN0003:sender.TrySendOnConnection(peer, connection, ProtocolId.MempoolDirectSend, message)|};
                    return SendFailure.None;
                }
            }
            """,
            """
            using PeerNet;

            class C
            {
                SendFailure Send(IConnectionBoundSender sender, PeerId peer, ConnectionId connection, Message message)
                {
                    return sender.TrySendOnConnection(peer, connection, ProtocolId.MempoolDirectSend, message);
                }
            }
            """,
            ReturnKey);

    [Fact]
    public Task SendFailureResult_UnreadLocal_BoolMethod_ReturnsFalse() =>
        Verify<Pn0003, ResultFix>.FixAsync(
            """
            using PeerNet;

            class C
            {
                bool Send(IConnectionBoundSender sender, PeerId peer, ConnectionId connection, Message message)
                {
                    var result = {|PN0003:sender.TrySendOnConnection(peer, connection, ProtocolId.MempoolDirectSend, message)|};
                    System.Console.WriteLine("done");
                    return true;
                }
            }
            """,
            """
            using PeerNet;

            class C
            {
                bool Send(IConnectionBoundSender sender, PeerId peer, ConnectionId connection, Message message)
                {
                    var result = sender.TrySendOnConnection(peer, connection, ProtocolId.MempoolDirectSend, message);
                    if (result != SendFailure.None)
                    {
                        return false;
                    }
                    System.Console.WriteLine("done");
                    return true;
                }
            }
            """,
            ReturnKey);
}
