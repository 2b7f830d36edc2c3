using Fix = PeerNet.Analyzers.CodeFixes.PN0001PN0002UseTrySendWithCurrentProtocolCodeFixProvider;
using Stub = PeerNet.Analyzers.CodeFixes.Tests.ContractStubAnalyzer;

namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>PN0001 fixes, driven by the contract stand-in (same locations and properties as the contract).</summary>
public class StaleProtocolFixTests
{
    private const string Key = "PN0001.UseTrySendWithCurrentProtocol";

    [Fact]
    public Task LocalFromGetPreferredProtocolForPeer_BecomesTrySendWithThrow() =>
        Verify<Stub, Fix>.FixAsync(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                    {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                }
            }
            """,
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    if (!client.TrySendWithCurrentProtocol(peer, preferences, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            Key);

    [Fact]
    public Task FieldClient_SenderLocal_InlineRead_CommentsKept() =>
        Verify<Stub, Fix>.FixAsync(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                private static readonly IReadOnlyList<ProtocolId> Preferences = new[] { ProtocolId.ConsensusDirectSendBcs };
                private readonly NetworkClient _client;

                C(NetworkClient client) => _client = client;

                void Send(PeerNetworkId peer, Message vote)
                {
                    INetworkSender sender = _client.GetSenderForNetwork(peer.NetworkId);
                    // Send the vote.
                    {|PN0001:sender.SendTo(peer.PeerId, _client.GetPreferredProtocolForPeer(peer, Preferences), vote)|}; // fire
                    System.Console.WriteLine("sent");
                }
            }
            """,
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                private static readonly IReadOnlyList<ProtocolId> Preferences = new[] { ProtocolId.ConsensusDirectSendBcs };
                private readonly NetworkClient _client;

                C(NetworkClient client) => _client = client;

                void Send(PeerNetworkId peer, Message vote)
                {
                    // Send the vote.
                    if (!_client.TrySendWithCurrentProtocol(peer, Preferences, vote, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    } // fire
                    System.Console.WriteLine("sent");
                }
            }
            """,
            Key);

    [Fact]
    public Task CommentsOnRemovedDeclaration_AreKept() =>
        Verify<Stub, Fix>.FixAsync(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    // Choose the best protocol.
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences); // cached!
                    {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                }
            }
            """,
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    // Choose the best protocol.
                    // cached!
                    if (!client.TrySendWithCurrentProtocol(peer, preferences, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            Key);

    [Fact]
    public Task ProtocolLocalUsedElsewhere_IsKept() =>
        Verify<Stub, Fix>.FixAsync(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                ProtocolId Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                    {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                    return protocol;
                }
            }
            """,
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                ProtocolId Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                    if (!client.TrySendWithCurrentProtocol(peer, preferences, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                    return protocol;
                }
            }
            """,
            Key);

    [Fact]
    public Task FailureNameTaken_GetsUniqueName() =>
        Verify<Stub, Fix>.FixAsync(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var failure = "none";
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                    {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                    System.Console.WriteLine(failure);
                }
            }
            """,
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var failure = "none";
                    if (!client.TrySendWithCurrentProtocol(peer, preferences, message, out var failure1))
                    {
                        throw new PeerNetException(failure1, peer);
                    }
                    System.Console.WriteLine(failure);
                }
            }
            """,
            Key);

    [Fact]
    public Task ContainsSelection_KeepsItsCandidatesAsPreferences() =>
        Verify<Stub, Fix>.FixAsync(
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    var supported = client.GetSupportedProtocols(peer);
                    var protocol = supported.Contains(ProtocolId.ConsensusDirectSendCompressed)
                        ? ProtocolId.ConsensusDirectSendCompressed
                        : ProtocolId.ConsensusDirectSendBcs;
                    {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                }
            }
            """,
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    if (!client.TrySendWithCurrentProtocol(peer, new[] { ProtocolId.ConsensusDirectSendCompressed, ProtocolId.ConsensusDirectSendBcs }, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            Key);

    [Fact]
    public Task ForeachSelection_AssignedLocal_UsesTheWalkedList() =>
        Verify<Stub, Fix>.FixAsync(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> candidates)
                {
                    ProtocolIdSet supported = client.GetSupportedProtocols(peer);
                    ProtocolId? chosen = null;
                    foreach (var candidate in candidates)
                    {
                        if (supported.Contains(candidate))
                        {
                            chosen = candidate;
                            break;
                        }
                    }

                    if (chosen is null)
                    {
                        return;
                    }

                    {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, chosen.Value, message)|};
                }
            }
            """,
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> candidates)
                {
                    ProtocolIdSet supported = client.GetSupportedProtocols(peer);
                    ProtocolId? chosen = null;
                    foreach (var candidate in candidates)
                    {
                        if (supported.Contains(candidate))
                        {
                            chosen = candidate;
                            break;
                        }
                    }

                    if (chosen is null)
                    {
                        return;
                    }

                    if (!client.TrySendWithCurrentProtocol(peer, candidates, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            Key);

    [Fact]
    public Task ForeachSelection_SendInsideLoop_UsesTheWalkedList() =>
        Verify<Stub, Fix>.FixAsync(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                private static readonly IReadOnlyList<ProtocolId> Preferences = new[] { ProtocolId.ConsensusDirectSendBcs, ProtocolId.ConsensusDirectSendJson };
                private readonly NetworkClient _client;

                C(NetworkClient client) => _client = client;

                void SendProposal(PeerNetworkId peer, Message proposal)
                {
                    ProtocolIdSet supported = _client.GetSupportedProtocols(peer);
                    foreach (ProtocolId candidate in Preferences)
                    {
                        if (supported.Contains(candidate))
                        {
                            {|PN0001:_client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, candidate, proposal)|};
                            return;
                        }
                    }
                }
            }
            """,
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                private static readonly IReadOnlyList<ProtocolId> Preferences = new[] { ProtocolId.ConsensusDirectSendBcs, ProtocolId.ConsensusDirectSendJson };
                private readonly NetworkClient _client;

                C(NetworkClient client) => _client = client;

                void SendProposal(PeerNetworkId peer, Message proposal)
                {
                    ProtocolIdSet supported = _client.GetSupportedProtocols(peer);
                    foreach (ProtocolId candidate in Preferences)
                    {
                        if (supported.Contains(candidate))
                        {
                            if (!_client.TrySendWithCurrentProtocol(peer, Preferences, proposal, out var failure))
                            {
                                throw new PeerNetException(failure, peer);
                            }
                            return;
                        }
                    }
                }
            }
            """,
            Key);

    [Fact]
    public Task Rpc_Awaited_KeepsAwaitTimeoutAndToken_RemovesDeadLocals() =>
        Verify<Stub, Fix>.FixAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using PeerNet;

            class C
            {
                private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
                private readonly NetworkClient _client;

                C(NetworkClient client) => _client = client;

                public async Task<Message> FetchBlockAsync(PeerNetworkId peer, Message request, CancellationToken cancellationToken)
                {
                    ProtocolId protocol = _client.GetPreferredProtocolForPeer(peer, _client.RpcProtocolsAndPreferences);
                    INetworkSender sender = _client.GetSenderForNetwork(peer.NetworkId);
                    return await {|PN0001:sender.SendRpcAsync(peer.PeerId, protocol, request, Timeout, cancellationToken)|}.ConfigureAwait(false);
                }
            }
            """,
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using PeerNet;

            class C
            {
                private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
                private readonly NetworkClient _client;

                C(NetworkClient client) => _client = client;

                public async Task<Message> FetchBlockAsync(PeerNetworkId peer, Message request, CancellationToken cancellationToken)
                {
                    return await _client.SendToPeerRpcAsync(request, Timeout, peer, cancellationToken).ConfigureAwait(false);
                }
            }
            """,
            Key);

    [Fact]
    public Task Rpc_ExplicitPreferences_UsesPreferencesOverload_NoToken() =>
        Verify<Stub, Fix>.FixAsync(
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
            Key);

    [Fact]
    public Task InsideLambda_BlockBody() =>
        Verify<Stub, Fix>.FixAsync(
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
            Key);

    [Fact]
    public Task InsideLambda_ExpressionBody_UsesThrowingSendToPeer() =>
        Verify<Stub, Fix>.FixAsync(
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
            Key);

    [Fact]
    public Task InsideLoop_SharedReadBeforeLoop_PeerFromSenderNetwork() =>
        Verify<Stub, Fix>.FixAsync(
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
            Key);

    [Fact]
    public Task FullyQualifiedCode_GetsUsingPeerNet() =>
        Verify<Stub, Fix>.FixAsync(
            """
            class C
            {
                void Send(PeerNet.NetworkClient client, PeerNet.PeerNetworkId peer, PeerNet.Message message, System.Collections.Generic.IReadOnlyList<PeerNet.ProtocolId> preferences)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                    {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                }
            }
            """,
            """
            using PeerNet;

            class C
            {
                void Send(PeerNet.NetworkClient client, PeerNet.PeerNetworkId peer, PeerNet.Message message, System.Collections.Generic.IReadOnlyList<PeerNet.ProtocolId> preferences)
                {
                    if (!client.TrySendWithCurrentProtocol(peer, preferences, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            Key);

    [Fact]
    public Task NoClientInReach_NoFix()
    {
        const string source = """
            using PeerNet;

            class C
            {
                void Send(PeersAndMetadata store, INetworkSender sender, PeerNetworkId peer, Message message)
                {
                    var supported = store.GetMetadataForPeer(peer).SupportedProtocols;
                    foreach (var p in supported)
                    {
                        {|PN0001:sender.SendTo(peer.PeerId, p, message)|};
                        return;
                    }
                }
            }
            """;
        return Verify<Stub, Fix>.NoFixAsync(source, Key);
    }

    [Fact]
    public Task TwoClientsInReach_NoneNamedByTheCode_NoFix()
    {
        const string source = """
            using PeerNet;

            class C
            {
                void Send(NetworkClient a, NetworkClient b, PeersAndMetadata store, INetworkSender sender, PeerNetworkId peer, Message message)
                {
                    var supported = store.GetMetadataForPeer(peer).SupportedProtocols;
                    {|PN0001:sender.SendTo(peer.PeerId, supported.Contains(ProtocolId.MempoolDirectSend) ? ProtocolId.MempoolDirectSend : ProtocolId.MempoolRpc, message)|};
                }
            }
            """;
        return Verify<Stub, Fix>.NoFixAsync(source, Key);
    }

    [Fact]
    public Task OneClientInReach_NotNamedByTheCode_IsUsed() =>
        Verify<Stub, Fix>.FixAsync(
            """
            using PeerNet;

            class C
            {
                private readonly NetworkClient _client;

                C(NetworkClient client) => _client = client;

                void Send(PeersAndMetadata store, INetworkSender sender, PeerNetworkId peer, Message message)
                {
                    var supported = store.GetMetadataForPeer(peer).SupportedProtocols;
                    {|PN0001:sender.SendTo(peer.PeerId, supported.Contains(ProtocolId.MempoolDirectSend) ? ProtocolId.MempoolDirectSend : throw new System.InvalidOperationException(), message)|};
                }
            }
            """,
            """
            using PeerNet;

            class C
            {
                private readonly NetworkClient _client;

                C(NetworkClient client) => _client = client;

                void Send(PeersAndMetadata store, INetworkSender sender, PeerNetworkId peer, Message message)
                {
                    if (!_client.TrySendWithCurrentProtocol(peer, new[] { ProtocolId.MempoolDirectSend }, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            Key);

    [Fact]
    public Task UserTypeNamedNetworkClient_NoFix()
    {
        const string source = """
            using System.Collections.Generic;

            namespace Mine
            {
                public sealed class NetworkClient
                {
                    [PeerNet.Annotations.CachedSnapshotRead]
                    public PeerNet.ProtocolId GetPreferredProtocolForPeer(PeerNet.PeerNetworkId peer, IReadOnlyList<PeerNet.ProtocolId> preferences) => preferences[0];

                    public PeerNet.INetworkSender GetSenderForNetwork(PeerNet.NetworkId network) => null!;
                }

                class C
                {
                    void Send(NetworkClient client, PeerNet.PeerNetworkId peer, PeerNet.Message message, IReadOnlyList<PeerNet.ProtocolId> preferences)
                    {
                        var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                        {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                    }
                }
            }
            """;
        return Verify<Stub, Fix>.NoFixAsync(source, Key);
    }

    [Fact]
    public Task PeerOfReadDiffersFromTarget_NetworkUnknown_NoFix()
    {
        const string source = """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, INetworkSender sender, PeerNetworkId peer, PeerId other, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                    {|PN0001:sender.SendTo(other, protocol, message)|};
                }
            }
            """;
        return Verify<Stub, Fix>.NoFixAsync(source, Key);
    }
}
