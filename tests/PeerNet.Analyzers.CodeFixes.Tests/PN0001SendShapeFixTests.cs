namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>
/// PN0001 fix: where the send stands (RPCs, including samples/LegacySender's read from disk, lambdas, loops,
/// switch sections, expression bodies).
/// Every case runs against the shipped analyzers.
/// </summary>
public class PN0001SendShapeFixTests
{
    internal static readonly FixCaseTable Cases = new()
    {
        ["LegacySender_RpcCalls_KeepsAwaitTimeoutAndToken_RemovesDeadLocals"] = FixCase.Fix(
            LegacySenderSample.ReadMarked(
                "RpcCalls.cs",
                (DiagnosticIds.StaleProtocol, "sender.SendRpcAsync(peer.PeerId, protocol, request, Timeout, cancellationToken)")),
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using PeerNet;

            namespace LegacySender
            {
                /// <summary>An RPC whose protocol comes from the cached snapshot.</summary>
                public sealed class RpcCalls
                {
                    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

                    private readonly NetworkClient _client;

                    public RpcCalls(NetworkClient client) => _client = client;

                    // If the peer reconnected without this protocol, nobody answers: the caller waits the whole timeout.
                    public async Task<Message> FetchBlockAsync(PeerNetworkId peer, Message request, CancellationToken cancellationToken)
                    {
                        return await _client.SendToPeerRpcAsync(request, Timeout, peer, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            """,
            EquivalenceKeys.StaleProtocol),

        ["Rpc_ExplicitPreferences_UsesPreferencesOverload_NoToken"] = FixCase.Fix(
            """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using PeerNet;

            class C
            {
                async Task<int> Fetch(NetworkClient client, PeerNetworkId peer, Message request, IReadOnlyList<ProtocolId> rpcPreferences)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, rpcPreferences);
                    var reply = await {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendRpcAsync(peer.PeerId, protocol, request, TimeSpan.FromSeconds(1))|};
                    return reply.Length;
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using PeerNet;

            class C
            {
                async Task<int> Fetch(NetworkClient client, PeerNetworkId peer, Message request, IReadOnlyList<ProtocolId> rpcPreferences)
                {
                    var reply = await client.SendToPeerRpcAsync(request, rpcPreferences, TimeSpan.FromSeconds(1), peer);
                    return reply.Length;
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["AsyncRpc_InLoop_PreferencesOverload"] = FixCase.Fix(
            """
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using PeerNet;

            class C
            {
                async Task<int> AskAll(NetworkClient client, IReadOnlyList<PeerNetworkId> peers, Message request, IReadOnlyList<ProtocolId> rpcPreferences, CancellationToken ct)
                {
                    int total = 0;
                    for (int i = 0; i < peers.Count; i++)
                    {
                        var protocol = client.GetPreferredProtocolForPeer(peers[i], rpcPreferences);
                        var sender = client.GetSenderForNetwork(peers[i].NetworkId);
                        // ask
                        var reply = await {|PN0001:sender.SendRpcAsync(peers[i].PeerId, protocol, request, TimeSpan.FromSeconds(1), ct)|};
                        total += reply.Length;
                    }

                    return total;
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using PeerNet;

            class C
            {
                async Task<int> AskAll(NetworkClient client, IReadOnlyList<PeerNetworkId> peers, Message request, IReadOnlyList<ProtocolId> rpcPreferences, CancellationToken ct)
                {
                    int total = 0;
                    for (int i = 0; i < peers.Count; i++)
                    {
                        // ask
                        var reply = await client.SendToPeerRpcAsync(request, rpcPreferences, TimeSpan.FromSeconds(1), peers[i], ct);
                        total += reply.Length;
                    }

                    return total;
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["InsideLambda_BlockBody"] = FixCase.Fix(
            """
            using System;
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                Action Make(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    return () =>
                    {
                        var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                        {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                    };
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                Action Make(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    return () =>
                    {
                        if (!client.TrySendWithCurrentProtocol(peer, preferences, message, out var failure))
                        {
                            throw new PeerNetException(failure, peer);
                        }
                    };
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["InsideLambda_AndLoop"] = FixCase.Fix(
            """
            using System;
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                Action Make(NetworkClient client, IEnumerable<PeerNetworkId> peers, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    return () =>
                    {
                        foreach (var peer in peers)
                        {
                            var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                            {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                        }
                    };
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                Action Make(NetworkClient client, IEnumerable<PeerNetworkId> peers, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    return () =>
                    {
                        foreach (var peer in peers)
                        {
                            if (!client.TrySendWithCurrentProtocol(peer, preferences, message, out var failure))
                            {
                                throw new PeerNetException(failure, peer);
                            }
                        }
                    };
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["InsideLambda_ExpressionBody_UsesThrowingSendToPeer"] = FixCase.Fix(
            """
            using System;
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                Action Make(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    return () => {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, client.GetPreferredProtocolForPeer(peer, preferences), message)|};
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                Action Make(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    return () => client.SendToPeer(message, peer, preferences);
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["InsideLoop_SharedReadBeforeLoop_PeerFromSenderNetwork"] = FixCase.Fix(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Broadcast(NetworkClient client, IEnumerable<PeerId> peers, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var sender = client.GetSenderForNetwork(NetworkId.Validator);
                    foreach (var id in peers)
                    {
                        var protocol = client.GetPreferredProtocolForPeer(new PeerNetworkId(NetworkId.Validator, id), preferences);
                        if (id.Equals(default(PeerId)))
                            {|PN0001:sender.SendTo(id, protocol, message)|};
                        else
                            continue;
                    }
                }
            }
            """,
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Broadcast(NetworkClient client, IEnumerable<PeerId> peers, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    foreach (var id in peers)
                    {
                        if (id.Equals(default(PeerId)))
                        {
                            var peer = new PeerNetworkId(NetworkId.Validator, id);
                            if (!client.TrySendWithCurrentProtocol(peer, preferences, message, out var failure))
                            {
                                throw new PeerNetException(failure, peer);
                            }
                        }
                        else
                            continue;
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["ReadOutside_SendInsideLambda_DeadLocalRemoved"] = FixCase.Fix(
            """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using PeerNet;

            class C
            {
                Task Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                    return Task.Run(() => {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|});
                }
            }
            """,
            """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using PeerNet;

            class C
            {
                Task Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    return Task.Run(() => client.SendToPeer(message, peer, preferences));
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["SwitchSection"] = FixCase.Fix(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(int kind, NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    switch (kind)
                    {
                        case 1:
                            var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                            {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                            break;
                    }
                }
            }
            """,
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(int kind, NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    switch (kind)
                    {
                        case 1:
                            var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                            if (!client.TrySendWithCurrentProtocol(peer, preferences, message, out var failure))
                            {
                                throw new PeerNetException(failure, peer);
                            }
                            break;
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["ExpressionBodiedMethod_UsesThrowingSendToPeer"] = FixCase.Fix(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                private static readonly IReadOnlyList<ProtocolId> Prefs = new[] { ProtocolId.ConsensusDirectSendBcs };
                private readonly NetworkClient _client = null!;

                void Send(PeerNetworkId peer, Message m) => {|PN0001:_client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, _client.GetPreferredProtocolForPeer(peer, Prefs), m)|};
            }
            """,
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                private static readonly IReadOnlyList<ProtocolId> Prefs = new[] { ProtocolId.ConsensusDirectSendBcs };
                private readonly NetworkClient _client = null!;

                void Send(PeerNetworkId peer, Message m) => _client.SendToPeer(m, peer, Prefs);
            }
            """,
            EquivalenceKeys.StaleProtocol),
    };

    public static TheoryData<string> Names => Cases.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public Task Fix(string name) => Cases[name].ValidateAsync();
}
