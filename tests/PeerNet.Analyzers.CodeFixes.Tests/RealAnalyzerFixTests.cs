using Pn0001 = PeerNet.Analyzers.PN0001StaleProtocolAnalyzer;
using Pn0002 = PeerNet.Analyzers.PN0002VersionCheckGuardAnalyzer;
using Pn0003 = PeerNet.Analyzers.PN0003DiscardedTrySendResultAnalyzer;
using ResultFix = PeerNet.Analyzers.CodeFixes.PN0003ObserveTrySendResultCodeFixProvider;
using SendFix = PeerNet.Analyzers.CodeFixes.PN0001PN0002UseTrySendWithCurrentProtocolCodeFixProvider;

namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>
/// The fixes driven by the real analyzers (their locations and properties), on the shapes they report,
/// including the LegacySender sample's code.
/// </summary>
public class RealAnalyzerFixTests
{
    private const string Pn0001Key = "PN0001.UseTrySendWithCurrentProtocol";
    private const string Pn0002Key = "PN0002.UseTrySendWithCurrentProtocol";

    private const string DirectSends = """
        using System.Collections.Generic;
        using PeerNet;

        namespace LegacySender
        {
            public sealed class DirectSends
            {
                private static readonly IReadOnlyList<ProtocolId> Preferences = new[]
                {
                    ProtocolId.ConsensusDirectSendCompressed,
                    ProtocolId.ConsensusDirectSendBcs,
                    ProtocolId.ConsensusDirectSendJson,
                };

                private readonly NetworkClient _client;

                public DirectSends(NetworkClient client) => _client = client;

                // Picks the protocol from the cached snapshot, then sends.
                public void SendVote(PeerNetworkId peer, Message vote)
                {
                    ProtocolId protocol = _client.GetPreferredProtocolForPeer(peer, Preferences);
                    {|PN0001:_client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, vote)|};
                }

                // The same race, spelled out by hand: the first preferred protocol the cached set contains.
                public void SendProposal(PeerNetworkId peer, Message proposal)
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
        }
        """;

    private const string DirectSendsFixed = """
        using System.Collections.Generic;
        using PeerNet;

        namespace LegacySender
        {
            public sealed class DirectSends
            {
                private static readonly IReadOnlyList<ProtocolId> Preferences = new[]
                {
                    ProtocolId.ConsensusDirectSendCompressed,
                    ProtocolId.ConsensusDirectSendBcs,
                    ProtocolId.ConsensusDirectSendJson,
                };

                private readonly NetworkClient _client;

                public DirectSends(NetworkClient client) => _client = client;

                // Picks the protocol from the cached snapshot, then sends.
                public void SendVote(PeerNetworkId peer, Message vote)
                {
                    if (!_client.TrySendWithCurrentProtocol(peer, Preferences, vote, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }

                // The same race, spelled out by hand: the first preferred protocol the cached set contains.
                public void SendProposal(PeerNetworkId peer, Message proposal)
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
        }
        """;

    [Fact]
    public async Task Sample_DirectSends_FixAll()
    {
        var test = Verify<Pn0001, SendFix>.Create(DirectSends, DirectSendsFixed, Pn0001Key);
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        test.NumberOfFixAllInDocumentIterations = 1;
        test.NumberOfFixAllInProjectIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public Task Sample_RpcCalls() =>
        Verify<Pn0001, SendFix>.FixAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using PeerNet;

            public sealed class RpcCalls
            {
                private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

                private readonly NetworkClient _client;

                public RpcCalls(NetworkClient client) => _client = client;

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

            public sealed class RpcCalls
            {
                private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

                private readonly NetworkClient _client;

                public RpcCalls(NetworkClient client) => _client = client;

                public async Task<Message> FetchBlockAsync(PeerNetworkId peer, Message request, CancellationToken cancellationToken)
                {
                    return await _client.SendToPeerRpcAsync(request, Timeout, peer, cancellationToken).ConfigureAwait(false);
                }
            }
            """,
            Pn0001Key);

    [Fact]
    public Task Sample_GuardedSend() =>
        Verify<Pn0002, SendFix>.FixAsync(
            """
            using PeerNet;

            public sealed class GuardedSend
            {
                private readonly NetworkClient _client;

                public GuardedSend(NetworkClient client) => _client = client;

                public void SendTransactions(PeerNetworkId peer, Message batch)
                {
                    PeersAndMetadataSnapshot snapshot = _client.PeersAndMetadata.GetSnapshot();
                    PeerMetadata metadata = snapshot.GetMetadataForPeer(peer);
                    if (!metadata.SupportedProtocols.Contains(ProtocolId.MempoolDirectSend))
                    {
                        return;
                    }

                    // Check-then-act: a reconnect can be published right after IsCurrent returns true.
                    if (_client.PeersAndMetadata.IsCurrent(snapshot.Version))
                    {
                        {|PN0002:_client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, ProtocolId.MempoolDirectSend, batch)|};
                    }
                }
            }
            """,
            """
            using PeerNet;

            public sealed class GuardedSend
            {
                private readonly NetworkClient _client;

                public GuardedSend(NetworkClient client) => _client = client;

                public void SendTransactions(PeerNetworkId peer, Message batch)
                {
                    PeersAndMetadataSnapshot snapshot = _client.PeersAndMetadata.GetSnapshot();
                    PeerMetadata metadata = snapshot.GetMetadataForPeer(peer);
                    if (!metadata.SupportedProtocols.Contains(ProtocolId.MempoolDirectSend))
                    {
                        return;
                    }

                    // Check-then-act: a reconnect can be published right after IsCurrent returns true.
                    if (!_client.TrySendWithCurrentProtocol(peer, new[] { ProtocolId.MempoolDirectSend }, batch, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            Pn0002Key);

    [Fact]
    public Task Pn0002_GuardUnwrapped_DeadLocalsRemoved() =>
        Verify<Pn0002, SendFix>.FixAsync(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var snapshot = client.PeersAndMetadata.GetSnapshot();
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                    if (client.PeersAndMetadata.IsCurrent(snapshot.Version))
                    {
                        // still current, so send
                        {|PN0002:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                    }
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
                    // still current, so send
                    if (!client.TrySendWithCurrentProtocol(peer, preferences, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            Pn0002Key);

    [Fact]
    public Task ContainsSelection() =>
        Verify<Pn0001, SendFix>.FixAsync(
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
            Pn0001Key);

    [Fact]
    public Task ForeachSelection_AssignedLocal() =>
        Verify<Pn0001, SendFix>.FixAsync(
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
            Pn0001Key);

    [Fact]
    public Task InsideLambda_AndLoop() =>
        Verify<Pn0001, SendFix>.FixAsync(
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
            Pn0001Key);

    [Fact]
    public Task AsyncRpc_InLoop_PreferencesOverload() =>
        Verify<Pn0001, SendFix>.FixAsync(
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
            Pn0001Key);

    [Fact]
    public Task NoClientInReach_NoFix() =>
        Verify<Pn0001, SendFix>.NoFixAsync(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(PeersAndMetadata store, INetworkSender sender, PeerNetworkId peer, Message message)
                {
                    var metadata = store.GetMetadataForPeer(peer);
                    foreach (var p in metadata.SupportedProtocols)
                    {
                        {|PN0001:sender.SendTo(peer.PeerId, p, message)|};
                        return;
                    }
                }
            }
            """,
            Pn0001Key);

    [Fact]
    public Task Pn0003_FireAndForget_Throw() =>
        Verify<Pn0003, ResultFix>.FixAsync(
            """
            using PeerNet;

            public sealed class FireAndForget
            {
                private readonly NetworkClient _client;

                public FireAndForget(NetworkClient client) => _client = client;

                public void Announce(PeerNetworkId peer, Message announcement)
                {
                    {|PN0003:_client.TrySendWithCurrentProtocol(peer, announcement, out _)|};
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
                    if (!_client.TrySendWithCurrentProtocol(peer, announcement, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            "PN0003.ThrowPeerNetException");

    [Fact]
    public Task Pn0003_ReturnResult() =>
        Verify<Pn0003, ResultFix>.FixAsync(
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
            "PN0003.ReturnResult");
}

/// <summary>PN0002 with a SnapshotVersion comparison as the check, with the real analyzer.</summary>
public class VersionComparisonGuardTests
{
    private const string Key = "PN0002.UseTrySendWithCurrentProtocol";

    [Fact]
    public Task EqualityGuard_IsUnwrapped() =>
        Verify<PeerNet.Analyzers.PN0002VersionCheckGuardAnalyzer, PeerNet.Analyzers.CodeFixes.PN0001PN0002UseTrySendWithCurrentProtocolCodeFixProvider>.FixAsync(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var snapshot = client.PeersAndMetadata.GetSnapshot();
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                    if (snapshot.Version == client.PeersAndMetadata.CurrentVersion)
                    {
                        {|PN0002:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                    }
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
    public Task InequalityEarlyReturn_IsRemoved() =>
        Verify<PeerNet.Analyzers.PN0002VersionCheckGuardAnalyzer, PeerNet.Analyzers.CodeFixes.PN0001PN0002UseTrySendWithCurrentProtocolCodeFixProvider>.FixAsync(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var version = client.PeersAndMetadata.CurrentVersion;
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                    if (version != client.PeersAndMetadata.CurrentVersion) return;
                    {|PN0002:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                    System.Console.WriteLine("sent");
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
                    System.Console.WriteLine("sent");
                }
            }
            """,
            Key);
}
