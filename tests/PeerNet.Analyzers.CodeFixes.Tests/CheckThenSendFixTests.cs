using Fix = PeerNet.Analyzers.CodeFixes.PN0001PN0002UseTrySendWithCurrentProtocolCodeFixProvider;
using Stub = PeerNet.Analyzers.CodeFixes.Tests.ContractStubAnalyzer;

namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>PN0002 fixes (version check guarding a separate send), driven by the contract stand-in.</summary>
public class CheckThenSendFixTests
{
    private const string Key = "PN0002.UseTrySendWithCurrentProtocol";

    [Fact]
    public Task Guard_IsUnwrapped_DeadSnapshotLocalsRemoved_CommentKept() =>
        Verify<Stub, Fix>.FixAsync(
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
            Key);

    [Fact]
    public Task GuardedSendSample_ConstantProtocolAfterContainsCheck() =>
        Verify<Stub, Fix>.FixAsync(
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
            Key);

    [Fact]
    public Task EarlyExitGuard_IsRemoved() =>
        Verify<Stub, Fix>.FixAsync(
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
            Key);

    [Fact]
    public Task GuardWithElse_IsKept_SendStillFixed() =>
        Verify<Stub, Fix>.FixAsync(
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
            Key);
}
