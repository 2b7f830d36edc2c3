using Fix = PeerNet.Analyzers.CodeFixes.PN0003ObserveTrySendResultCodeFixProvider;
using Stub = PeerNet.Analyzers.CodeFixes.Tests.ContractStubAnalyzer;

namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>PN0003 fixes (discarded Try-send result), driven by the contract stand-in.</summary>
public class DiscardedTrySendFixTests
{
    private const string ThrowKey = "PN0003.ThrowPeerNetException";
    private const string ReturnKey = "PN0003.ReturnResult";

    private const string FireAndForget = """
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
        """;

    [Fact]
    public Task Throw_DiscardedOut_GetsNamedFailure() =>
        Verify<Stub, Fix>.FixAsync(
            FireAndForget,
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
            ThrowKey);

    [Fact]
    public Task Return_NotOfferedInVoidMethod() =>
        Verify<Stub, Fix>.NoFixAsync(FireAndForget, ReturnKey);

    [Fact]
    public Task Return_BoolMethodEndingInReturnTrue_ReturnsTheResult() =>
        Verify<Stub, Fix>.FixAsync(
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
            ReturnKey);

    [Fact]
    public Task Throw_InBoolMethod_IsTheOtherAction() =>
        Verify<Stub, Fix>.FixAsync(
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
            ThrowKey);

    [Fact]
    public Task Return_BoolMethodMidway_ReturnsFalseOnFailure_DiscardAssignment() =>
        Verify<Stub, Fix>.FixAsync(
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
            ReturnKey);

    [Fact]
    public Task Return_SendFailureMethod_PropagatesTheFailure() =>
        Verify<Stub, Fix>.FixAsync(
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
            ReturnKey);

    [Fact]
    public Task Throw_InsideAsyncLambda_ExistingFailureVariable() =>
        Verify<Stub, Fix>.FixAsync(
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
            ThrowKey);
}
