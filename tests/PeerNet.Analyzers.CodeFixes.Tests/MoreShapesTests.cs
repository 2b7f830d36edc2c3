using Microsoft.CodeAnalysis;
using Pn0001 = PeerNet.Analyzers.PN0001StaleProtocolAnalyzer;
using SendFix = PeerNet.Analyzers.CodeFixes.PN0001PN0002UseTrySendWithCurrentProtocolCodeFixProvider;
using Stub = PeerNet.Analyzers.CodeFixes.Tests.ContractStubAnalyzer;

namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>Where the send stands: top-level code, switch sections, expression bodies, captured reads, named arguments.</summary>
public class MoreShapesTests
{
    private const string Key = "PN0001.UseTrySendWithCurrentProtocol";

    [Fact]
    public async Task TopLevelStatements_ConfiguredPreferencesOfTheSameClient()
    {
        var test = Verify<Pn0001, SendFix>.Create(
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
            Key);
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.FixedState.OutputKind = OutputKind.ConsoleApplication;
        await test.RunAsync();
    }

    [Fact]
    public Task SwitchSection() =>
        Verify<Pn0001, SendFix>.FixAsync(
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
            Key);

    [Fact]
    public Task ExpressionBodiedMethod_UsesThrowingSendToPeer() =>
        Verify<Pn0001, SendFix>.FixAsync(
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
            Key);

    [Fact]
    public Task ReadOutside_SendInsideLambda_DeadLocalRemoved() =>
        Verify<Pn0001, SendFix>.FixAsync(
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
            Key);

    [Fact]
    public Task NamedArguments_CommentInArgumentKept() =>
        Verify<Pn0001, SendFix>.FixAsync(
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
            Key);

    [Fact]
    public Task ProtocolParameterAfterContainsCheck_KeepsExactlyThatProtocol_EmbeddedStatementGetsBlock() =>
        Verify<Stub, SendFix>.FixAsync(
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
            Key);

    [Fact]
    public Task DirectSend_PeerFromElementAccess_IsHoistedOnce() =>
        Verify<Pn0001, SendFix>.FixAsync(
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
            Key);
}
