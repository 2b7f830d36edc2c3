using Pn0001 = PeerNet.Analyzers.PN0001StaleProtocolAnalyzer;
using SendFix = PeerNet.Analyzers.CodeFixes.PN0001PN0002UseTrySendWithCurrentProtocolCodeFixProvider;
using Stub = PeerNet.Analyzers.CodeFixes.Tests.ContractStubAnalyzer;

namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>Shapes where a rewrite could be wrong: the diagnostic stays and no fix is offered.</summary>
public class NoFixTests
{
    private const string Key = "PN0001.UseTrySendWithCurrentProtocol";

    [Fact]
    public Task UserSinkMethod_NotPeerNetSend_NoFix() =>
        Verify<Pn0001, SendFix>.NoFixAsync(
            """
            using System.Collections.Generic;
            using PeerNet;
            using PeerNet.Annotations;

            class MySender
            {
                public void Send(PeerId peer, [RequiresCurrentProtocol] ProtocolId protocol, Message message) { }
            }

            class C
            {
                void Send(NetworkClient client, MySender mine, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                    {|PN0001:mine.Send(peer.PeerId, protocol, message)|};
                }
            }
            """,
            Key);

    [Fact]
    public Task SenderOfOneClient_ProtocolOfAnother_NoFix() =>
        Verify<Pn0001, SendFix>.NoFixAsync(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient a, NetworkClient b, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var protocol = a.GetPreferredProtocolForPeer(peer, preferences);
                    {|PN0001:b.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                }
            }
            """,
            Key);

    [Fact]
    public Task SelectionNotUnderstood_NoFix() =>
        Verify<Stub, SendFix>.NoFixAsync(
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message, bool compressed)
                {
                    var supported = client.GetSupportedProtocols(peer);
                    var protocol = compressed && supported.Count > 1 ? ProtocolId.ConsensusDirectSendCompressed : ProtocolId.ConsensusDirectSendBcs;
                    {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                }
            }
            """,
            Key);

    [Fact]
    public Task PreferencesFromACall_NotCarriedToTheSend_NoFix() =>
        Verify<Pn0001, SendFix>.NoFixAsync(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                IReadOnlyList<ProtocolId> Prefs() => new[] { ProtocolId.MempoolDirectSend };

                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, Prefs());
                    System.Console.WriteLine(protocol);
                    {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                }
            }
            """,
            Key);

    [Fact]
    public Task ConditionalAccessSend_NoFix() =>
        Verify<Pn0001, SendFix>.NoFixAsync(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, INetworkSender? sender, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                    sender?{|PN0001:.SendTo(peer.PeerId, protocol, message)|};
                }
            }
            """,
            Key);
}
