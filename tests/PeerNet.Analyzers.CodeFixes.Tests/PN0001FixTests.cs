namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>
/// PN0001 fix: what the rewrite keeps (the sender's preferences, the client, the peer, comments, names),
/// including samples/LegacySender's direct sends read from disk. Every case runs against the shipped analyzers.
/// </summary>
public class PN0001FixTests
{
    internal static readonly FixCaseTable Cases = new()
    {
        ["LegacySender_DirectSends_FixAll"] = FixCase.Fix(
            LegacySenderSample.ReadMarked(
                "DirectSends.cs",
                (DiagnosticIds.StaleProtocol, "_client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, vote)"),
                (DiagnosticIds.StaleProtocol, "_client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, candidate, proposal)")),
            """
            using System.Collections.Generic;
            using PeerNet;

            namespace LegacySender
            {
                /// <summary>Direct sends the way they were written before TrySendWithCurrentProtocol.</summary>
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

                    // Picks the protocol from the cached snapshot, then sends: the peer may have reconnected with
                    // another protocol set in between, and the message is silently dropped.
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

            """,
            EquivalenceKeys.StaleProtocol)
            .WithFixAll(incremental: 2),

        ["LocalFromGetPreferredProtocolForPeer_BecomesTrySendWithThrow"] = FixCase.Fix(
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
            EquivalenceKeys.StaleProtocol),

        ["FieldClient_SenderLocal_InlineRead_CommentsKept"] = FixCase.Fix(
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
            EquivalenceKeys.StaleProtocol),

        ["CommentsOnRemovedDeclaration_AreKept"] = FixCase.Fix(
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
            EquivalenceKeys.StaleProtocol),

        ["ProtocolLocalUsedElsewhere_IsKept"] = FixCase.Fix(
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
            EquivalenceKeys.StaleProtocol),

        ["FailureNameTaken_GetsUniqueName"] = FixCase.Fix(
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
            EquivalenceKeys.StaleProtocol),

        ["ContainsSelection_KeepsItsCandidatesAsPreferences"] = FixCase.Fix(
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
            EquivalenceKeys.StaleProtocol),

        ["ForeachSelection_AssignedLocal_UsesTheWalkedList"] = FixCase.Fix(
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
            EquivalenceKeys.StaleProtocol),

        ["ForeachSelection_SendInsideLoop_UsesTheWalkedList"] = FixCase.Fix(
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
            EquivalenceKeys.StaleProtocol),

        ["ProtocolParameterAfterContainsCheck_KeepsExactlyThatProtocol_EmbeddedStatementGetsBlock"] = FixCase.Fix(
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, ProtocolId protocol, Message message)
                {
                    var supported = client.GetSupportedProtocols(peer);
                    if (supported.Contains(protocol))
                        {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                    else
                        System.Console.WriteLine("unsupported");
                }
            }
            """,
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, ProtocolId protocol, Message message)
                {
                    var supported = client.GetSupportedProtocols(peer);
                    if (supported.Contains(protocol))
                    {
                        if (!client.TrySendWithCurrentProtocol(peer, new[] { protocol }, message, out var failure))
                        {
                            throw new PeerNetException(failure, peer);
                        }
                    }
                    else
                        System.Console.WriteLine("unsupported");
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["OneClientInReach_NotNamedByTheCode_IsUsed"] = FixCase.Fix(
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
            EquivalenceKeys.StaleProtocol),

        ["NamedArguments_CommentInArgumentKept"] = FixCase.Fix(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message vote, IReadOnlyList<ProtocolId> preferences)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                    {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(message: /* the vote */ vote, protocol: protocol, peer: peer.PeerId)|};
                }
            }
            """,
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message vote, IReadOnlyList<ProtocolId> preferences)
                {
                    if (!client.TrySendWithCurrentProtocol(peer, preferences, /* the vote */ vote, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["DirectSend_PeerFromElementAccess_IsHoistedOnce"] = FixCase.Fix(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId[] peers, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    for (int i = 0; i < peers.Length; i++)
                    {
                        var protocol = client.GetPreferredProtocolForPeer(peers[i], preferences);
                        {|PN0001:client.GetSenderForNetwork(peers[i].NetworkId).SendTo(peers[i].PeerId, protocol, message)|};
                    }
                }
            }
            """,
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId[] peers, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    for (int i = 0; i < peers.Length; i++)
                    {
                        var peer = peers[i];
                        if (!client.TrySendWithCurrentProtocol(peer, preferences, message, out var failure))
                        {
                            throw new PeerNetException(failure, peer);
                        }
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["FullyQualifiedCode_GetsUsingPeerNet"] = FixCase.Fix(
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
            EquivalenceKeys.StaleProtocol),

        ["TopLevelStatements_ConfiguredPreferencesOfTheSameClient"] = FixCase.Fix(
            """
            using PeerNet;

            NetworkClient client = null!;
            PeerNetworkId peer = default;
            var message = new Message(new byte[1]);
            // pick
            var protocol = client.GetPreferredProtocolForPeer(peer, client.DirectSendProtocolsAndPreferences);
            {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
            System.Console.WriteLine("sent");
            """,
            """
            using PeerNet;

            NetworkClient client = null!;
            PeerNetworkId peer = default;
            var message = new Message(new byte[1]);
            // pick
            if (!client.TrySendWithCurrentProtocol(peer, message, out var failure))
            {
                throw new PeerNetException(failure, peer);
            }
            System.Console.WriteLine("sent");
            """,
            EquivalenceKeys.StaleProtocol)
            .AsConsoleApplication(),
    };

    public static TheoryData<string> Names => Cases.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public Task Fix(string name) => Cases[name].ValidateAsync();
}
