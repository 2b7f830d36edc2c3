using Microsoft.CodeAnalysis.Testing;
using Fix = PeerNet.Analyzers.CodeFixes.PN0001PN0002UseTrySendWithCurrentProtocolCodeFixProvider;
using ResultFix = PeerNet.Analyzers.CodeFixes.PN0003ObserveTrySendResultCodeFixProvider;
using Stub = PeerNet.Analyzers.CodeFixes.Tests.ContractStubAnalyzer;

namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>
/// Fix All in document, project and solution: several fixes in one method must not collide (distinct `failure`
/// names; a protocol local shared by two sends goes only once both are rewritten), and the result must compile.
/// </summary>
public class FixAllTests
{
    private const string Key = "PN0001.UseTrySendWithCurrentProtocol";

    private const string Source = """
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
        """;

    private const string Fixed = """
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
        """;

    [Fact]
    public async Task FixAll_InDocument_ThreeDiagnostics_NoCollisions()
    {
        var test = Verify<Stub, Fix>.Create(Source, Fixed, Key);
        test.NumberOfIncrementalIterations = 3;
        test.NumberOfFixAllIterations = 1;
        test.NumberOfFixAllInDocumentIterations = 1;
        test.NumberOfFixAllInProjectIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task FixAll_InProjectAndSolution_TwoDocuments()
    {
        var test = Verify<Stub, Fix>.Create(Source, Fixed, Key);
        string second = Source.Replace("class C", "class D").Replace("C(NetworkClient", "D(NetworkClient");
        string secondFixed = Fixed.Replace("class C", "class D").Replace("C(NetworkClient", "D(NetworkClient");
        test.TestState.Sources.Add(("/0/Test1.cs", second));
        test.FixedState.Sources.Add(("/0/Test1.cs", secondFixed));
        test.NumberOfIncrementalIterations = 6;
        test.NumberOfFixAllIterations = 1;
        test.NumberOfFixAllInDocumentIterations = 2;
        test.NumberOfFixAllInProjectIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task FixAll_Pn0003_Throw_TwoDiscardsInOneMethod()
    {
        var test = Verify<Stub, ResultFix>.Create(
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId a, PeerNetworkId b, Message message)
                {
                    {|PN0003:client.TrySendWithCurrentProtocol(a, message, out _)|};
                    {|PN0003:client.TrySendWithCurrentProtocol(b, message, out _)|};
                }
            }
            """,
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId a, PeerNetworkId b, Message message)
                {
                    if (!client.TrySendWithCurrentProtocol(a, message, out var failure))
                    {
                        throw new PeerNetException(failure, a);
                    }
                    if (!client.TrySendWithCurrentProtocol(b, message, out var failure1))
                    {
                        throw new PeerNetException(failure1, b);
                    }
                }
            }
            """,
            "PN0003.ThrowPeerNetException");
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        test.NumberOfFixAllInDocumentIterations = 1;
        test.NumberOfFixAllInProjectIterations = 1;
        await test.RunAsync();
    }
}
