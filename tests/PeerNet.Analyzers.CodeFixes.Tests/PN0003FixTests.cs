namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>
/// PN0003 fix: a discarded Try-send result made observable (throw PeerNetException, or return the result),
/// for bool and SendFailure results, discarded as a statement, into `_` or into an unread local.
/// Every case runs against the shipped analyzers.
/// </summary>
public class PN0003FixTests
{
    internal static readonly FixCaseTable Cases = new()
    {
        ["LegacySender_FireAndForget_Throw"] = FixCase.Fix(
            LegacySenderSample.ReadMarked(
                "FireAndForget.cs",
                (DiagnosticIds.DiscardedTrySendResult, "_client.TrySendWithCurrentProtocol(peer, announcement, out _)")),
            """
            using PeerNet;

            namespace LegacySender
            {
                /// <summary>The atomic send, with its result thrown away: a failed send is silent again.</summary>
                public sealed class FireAndForget
                {
                    private readonly NetworkClient _client;

                    public FireAndForget(NetworkClient client) => _client = client;

                    public void Announce(PeerNetworkId peer, Message announcement)
                    {
                        if (!_client.TrySendWithCurrentProtocol(peer, announcement, out var failure))
                        {
                            throw new PeerNetException(failure, peer);
                        }
                    }
                }
            }

            """,
            EquivalenceKeys.ThrowOnFailure),

        ["LegacySender_FireAndForget_NoReturnInVoidMethod"] = FixCase.NoFix(
            LegacySenderSample.ReadMarked(
                "FireAndForget.cs",
                (DiagnosticIds.DiscardedTrySendResult, "_client.TrySendWithCurrentProtocol(peer, announcement, out _)")),
            EquivalenceKeys.ReturnResult),

        ["Throw_DiscardedOut_GetsNamedFailure_CommentsKept"] = FixCase.Fix(
            """
            using PeerNet;

            public sealed class FireAndForget
            {
                private readonly NetworkClient _client;

                public FireAndForget(NetworkClient client) => _client = client;

                public void Announce(PeerNetworkId peer, Message announcement)
                {
                    // tell them
                    {|PN0003:_client.TrySendWithCurrentProtocol(peer, announcement, out _)|}; // once
                }
            }
            """,
            """
            using PeerNet;

            public sealed class FireAndForget
            {
                private readonly NetworkClient _client;

                public FireAndForget(NetworkClient client) => _client = client;

                public void Announce(PeerNetworkId peer, Message announcement)
                {
                    // tell them
                    if (!_client.TrySendWithCurrentProtocol(peer, announcement, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    } // once
                }
            }
            """,
            EquivalenceKeys.ThrowOnFailure),

        ["Return_BoolMethodEndingInReturnTrue_DiscardedOut_ReturnsTheResult"] = FixCase.Fix(
            """
            using PeerNet;

            class C
            {
                bool Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    {|PN0003:client.TrySendWithCurrentProtocol(peer, message, out _)|};
                    return true;
                }
            }
            """,
            """
            using PeerNet;

            class C
            {
                bool Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    return client.TrySendWithCurrentProtocol(peer, message, out _);
                }
            }
            """,
            EquivalenceKeys.ReturnResult),

        ["Return_BoolMethodEndingInReturnTrue_ReturnsTheResult"] = FixCase.Fix(
            """
            using PeerNet;

            class C
            {
                bool Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    System.Console.WriteLine("sending");
                    {|PN0003:client.TrySendWithCurrentProtocol(peer, message, out var failure)|};
                    return true;
                }
            }
            """,
            """
            using PeerNet;

            class C
            {
                bool Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    System.Console.WriteLine("sending");
                    return client.TrySendWithCurrentProtocol(peer, message, out var failure);
                }
            }
            """,
            EquivalenceKeys.ReturnResult),

        ["Throw_InBoolMethod_IsTheOtherAction"] = FixCase.Fix(
            """
            using PeerNet;

            class C
            {
                bool Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    {|PN0003:client.TrySendWithCurrentProtocol(peer, message, out var failure)|};
                    return true;
                }
            }
            """,
            """
            using PeerNet;

            class C
            {
                bool Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    if (!client.TrySendWithCurrentProtocol(peer, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                    return true;
                }
            }
            """,
            EquivalenceKeys.ThrowOnFailure),

        ["Return_BoolMethodMidway_ReturnsFalseOnFailure_DiscardAssignment"] = FixCase.Fix(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                bool Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    _ = {|PN0003:client.TrySendWithCurrentProtocol(peer, preferences, message, out _)|};
                    System.Console.WriteLine("sent");
                    return true;
                }
            }
            """,
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                bool Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    if (!client.TrySendWithCurrentProtocol(peer, preferences, message, out _))
                    {
                        return false;
                    }
                    System.Console.WriteLine("sent");
                    return true;
                }
            }
            """,
            EquivalenceKeys.ReturnResult),

        ["Return_SendFailureMethod_PropagatesTheFailure"] = FixCase.Fix(
            """
            using PeerNet;

            class C
            {
                SendFailure Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    {|PN0003:client.TrySendWithCurrentProtocol(peer, message, out _)|};
                    return SendFailure.None;
                }
            }
            """,
            """
            using PeerNet;

            class C
            {
                SendFailure Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    if (!client.TrySendWithCurrentProtocol(peer, message, out var failure))
                    {
                        return failure;
                    }
                    return SendFailure.None;
                }
            }
            """,
            EquivalenceKeys.ReturnResult),

        ["Throw_InsideAsyncLambda_ExistingFailureVariable"] = FixCase.Fix(
            """
            using System;
            using System.Threading.Tasks;
            using PeerNet;

            class C
            {
                Func<Task> Make(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    return async () =>
                    {
                        await Task.Yield();
                        SendFailure why;
                        {|PN0003:client.TrySendWithCurrentProtocol(peer, message, out why)|};
                    };
                }
            }
            """,
            """
            using System;
            using System.Threading.Tasks;
            using PeerNet;

            class C
            {
                Func<Task> Make(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    return async () =>
                    {
                        await Task.Yield();
                        SendFailure why;
                        if (!client.TrySendWithCurrentProtocol(peer, message, out why))
                        {
                            throw new PeerNetException(why, peer);
                        }
                    };
                }
            }
            """,
            EquivalenceKeys.ThrowOnFailure),

        ["UnreadBoolLocal_Throw"] = FixCase.Fix(
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
            EquivalenceKeys.ThrowOnFailure),

        ["SendFailureResult_Statement_Throw"] = FixCase.Fix(
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
            EquivalenceKeys.ThrowOnFailure),

        ["SendFailureResult_NoPeerNetworkId_NoThrowAction"] = FixCase.NoFix(
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
            EquivalenceKeys.ThrowOnFailure),

        ["SendFailureResult_SendFailureMethod_ReturnsIt"] = FixCase.Fix(
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
            EquivalenceKeys.ReturnResult),

        ["SendFailureResult_UnreadLocal_BoolMethod_ReturnsFalse"] = FixCase.Fix(
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
            EquivalenceKeys.ReturnResult),

        ["FixAll_TwoDiscardsInOneMethod_Throw"] = FixCase.Fix(
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId a, PeerNetworkId b, Message message)
                {
                    {|PN0003:client.TrySendWithCurrentProtocol(a, message, out _)|};
                    {|PN0003:client.TrySendWithCurrentProtocol(b, message, out _)|};
                }
            }
            """,
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId a, PeerNetworkId b, Message message)
                {
                    if (!client.TrySendWithCurrentProtocol(a, message, out var failure))
                    {
                        throw new PeerNetException(failure, a);
                    }
                    if (!client.TrySendWithCurrentProtocol(b, message, out var failure1))
                    {
                        throw new PeerNetException(failure1, b);
                    }
                }
            }
            """,
            EquivalenceKeys.ThrowOnFailure)
            .WithFixAll(incremental: 2),
    };

    public static TheoryData<string> Names => Cases.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public Task Fix(string name) => Cases[name].ValidateAsync();
}
