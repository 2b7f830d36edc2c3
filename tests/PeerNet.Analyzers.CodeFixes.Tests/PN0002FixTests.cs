namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>
/// PN0002 fix: the version check that guarded the send goes (unwrapped or removed), the send becomes atomic.
/// Every case runs against the shipped analyzers.
/// </summary>
public class PN0002FixTests
{
    internal static readonly FixCaseTable Cases = new()
    {
        ["LegacySender_GuardedSend_ConstantProtocolAfterContainsCheck"] = FixCase.Fix(
            LegacySenderSample.ReadMarked(
                "GuardedSend.cs",
                (DiagnosticIds.CheckThenSend, "_client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, ProtocolId.MempoolDirectSend, batch)")),
            """
            using PeerNet;

            namespace LegacySender
            {
                /// <summary>A version check in front of a send: it narrows the race, it does not close it.</summary>
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
            }

            """,
            EquivalenceKeys.CheckThenSend),

        ["Guard_IsUnwrapped_DeadSnapshotLocalsRemoved_CommentKept"] = FixCase.Fix(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var snapshot = client.PeersAndMetadata.GetSnapshot();
                    var version = snapshot.Version;
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                    if (client.PeersAndMetadata.IsCurrent(version))
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
            EquivalenceKeys.CheckThenSend),

        ["EarlyExitGuard_IsRemoved"] = FixCase.Fix(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                bool Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var version = client.PeersAndMetadata.CurrentVersion;
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                    if (!client.PeersAndMetadata.IsCurrent(version))
                    {
                        return false;
                    }

                    {|PN0002:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
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
                    if (!client.TrySendWithCurrentProtocol(peer, preferences, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                    return true;
                }
            }
            """,
            EquivalenceKeys.CheckThenSend),

        ["GuardWithElse_IsKept_SendStillFixed"] = FixCase.Fix(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var version = client.PeersAndMetadata.CurrentVersion;
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                    if (client.PeersAndMetadata.IsCurrent(version))
                    {
                        {|PN0002:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                    }
                    else
                    {
                        System.Console.WriteLine("stale");
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
                    var version = client.PeersAndMetadata.CurrentVersion;
                    if (client.PeersAndMetadata.IsCurrent(version))
                    {
                        if (!client.TrySendWithCurrentProtocol(peer, preferences, message, out var failure))
                        {
                            throw new PeerNetException(failure, peer);
                        }
                    }
                    else
                    {
                        System.Console.WriteLine("stale");
                    }
                }
            }
            """,
            EquivalenceKeys.CheckThenSend),

        ["EqualityGuard_IsUnwrapped"] = FixCase.Fix(
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
            EquivalenceKeys.CheckThenSend),

        ["InequalityEarlyReturn_IsRemoved"] = FixCase.Fix(
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
            EquivalenceKeys.CheckThenSend),

        ["UserDeclaredVersionCheckAttribute_GuardIsUnwrapped"] = FixCase.Fix(
            """
            using System;
            using System.Collections.Generic;
            using PeerNet;

            namespace My
            {
                [AttributeUsage(AttributeTargets.Method | AttributeTargets.Property)]
                sealed class SnapshotVersionCheckAttribute : Attribute { }

                class C
                {
                    [SnapshotVersionCheck]
                    static bool StillFresh(PeersAndMetadata store, SnapshotVersion version) => store.IsCurrent(version);

                    void Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                    {
                        var snapshot = client.PeersAndMetadata.GetSnapshot();
                        var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                        if (StillFresh(client.PeersAndMetadata, snapshot.Version))
                        {
                            {|PN0002:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                        }
                    }
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using PeerNet;

            namespace My
            {
                [AttributeUsage(AttributeTargets.Method | AttributeTargets.Property)]
                sealed class SnapshotVersionCheckAttribute : Attribute { }

                class C
                {
                    [SnapshotVersionCheck]
                    static bool StillFresh(PeersAndMetadata store, SnapshotVersion version) => store.IsCurrent(version);

                    void Send(NetworkClient client, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                    {
                        if (!client.TrySendWithCurrentProtocol(peer, preferences, message, out var failure))
                        {
                            throw new PeerNetException(failure, peer);
                        }
                    }
                }
            }
            """,
            EquivalenceKeys.CheckThenSend),
    };

    public static TheoryData<string> Names => Cases.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public Task Fix(string name) => Cases[name].ValidateAsync();
}
