using Fix = PeerNet.Analyzers.CodeFixes.UseTrySendWithCurrentProtocolCodeFixProvider;
using Stub = PeerNet.Analyzers.CodeFixes.Tests.ContractStubAnalyzer;

namespace PeerNet.Analyzers.CodeFixes.Tests;

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
}
