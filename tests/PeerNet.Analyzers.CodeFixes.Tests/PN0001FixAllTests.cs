namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>
/// PN0001 Fix All in document, project and solution: several fixes in one method must not collide
/// (distinct `failure` names; a protocol local shared by two sends goes only once both are rewritten).
/// </summary>
public class PN0001FixAllTests
{
    internal static readonly FixCaseTable Cases = new()
    {
        ["FixAll_InDocument_ThreeDiagnostics_NoCollisions"] = FixCase.Fix(
            """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using PeerNet;

            class C
            {
                private readonly NetworkClient _client;
                private readonly IReadOnlyList<ProtocolId> _preferences;

                C(NetworkClient client, IReadOnlyList<ProtocolId> preferences)
                {
                    _client = client;
                    _preferences = preferences;
                }

                void SendTwice(PeerNetworkId peer, Message first, Message second)
                {
                    var protocol = _client.GetPreferredProtocolForPeer(peer, _preferences);
                    var sender = _client.GetSenderForNetwork(peer.NetworkId);
                    {|PN0001:sender.SendTo(peer.PeerId, protocol, first)|};
                    // and again
                    {|PN0001:sender.SendTo(peer.PeerId, protocol, second)|};
                }

                async Task<Message> Ask(PeerNetworkId peer, Message request)
                {
                    var protocol = _client.GetPreferredProtocolForPeer(peer, _client.RpcProtocolsAndPreferences);
                    return await {|PN0001:_client.GetSenderForNetwork(peer.NetworkId).SendRpcAsync(peer.PeerId, protocol, request, System.TimeSpan.FromSeconds(2))|};
                }
            }
            """,
            """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using PeerNet;

            class C
            {
                private readonly NetworkClient _client;
                private readonly IReadOnlyList<ProtocolId> _preferences;

                C(NetworkClient client, IReadOnlyList<ProtocolId> preferences)
                {
                    _client = client;
                    _preferences = preferences;
                }

                void SendTwice(PeerNetworkId peer, Message first, Message second)
                {
                    if (!_client.TrySendWithCurrentProtocol(peer, _preferences, first, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                    // and again
                    if (!_client.TrySendWithCurrentProtocol(peer, _preferences, second, out var failure1))
                    {
                        throw new PeerNetException(failure1, peer);
                    }
                }

                async Task<Message> Ask(PeerNetworkId peer, Message request)
                {
                    return await _client.SendToPeerRpcAsync(request, System.TimeSpan.FromSeconds(2), peer);
                }
            }
            """,
            EquivalenceKeys.StaleProtocol)
            .WithFixAll(incremental: 3),
    };

    public static TheoryData<string> Names => Cases.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public Task Fix(string name) => Cases[name].ValidateAsync();

    /// <summary>The same class twice in one project: Fix All in project and solution fixes both documents.</summary>
    [Fact]
    public Task FixAll_InProjectAndSolution_TwoDocuments()
    {
        FixCase one = Cases["FixAll_InDocument_ThreeDiagnostics_NoCollisions"];
        static string AsD(string text) => text.Replace("class C", "class D").Replace("C(NetworkClient", "D(NetworkClient");
        return one.Build(FixTest.Shipped(one.Markup))
            .WithDocument("/0/Test1.cs", AsD(one.Markup), AsD(one.FixedCode!))
            .WithFixAll(incremental: 6, inDocument: 2)
            .ValidateAsync();
    }
}
