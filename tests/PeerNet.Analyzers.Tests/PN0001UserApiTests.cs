using Microsoft.CodeAnalysis.Testing;
using Verify = PeerNet.Analyzers.Tests.AnalyzerVerifier<PeerNet.Analyzers.PN0001PN0002SnapshotRaceAnalyzer>;

namespace PeerNet.Analyzers.Tests;

/// <summary>Users' own APIs: PeerNet's attributes, same-named attributes, configuration; symbol identity.</summary>
public class PN0001UserApiTests
{
    [Fact]
    public async Task PeerNet_attributes_on_user_types_are_honoured()
    {
        await Verify.VerifyAsync("""
            class Directory
            {
                [CachedSnapshotRead] public string RouteFor(string peer) => "v2";
            }

            class Transport
            {
                public void Send(string peer, [RequiresCurrentProtocol] string route, byte[] payload) { }
            }

            class User
            {
                void M(Directory d, Transport t)
                {
                    var route = {|#1:d.RouteFor("p")|};
                    {|#0:t.Send("p", route, new byte[0])|};
                }
            }
            """,
            Verify.Diagnostic("PN0001", 0, 1).WithArguments("route", "RouteFor", "Send"));
    }

    [Fact]
    public async Task Same_named_attributes_declared_by_users_are_honoured_without_PeerNet()
    {
        await Verify.VerifyRawAsync("""
            using System;
            using System.Collections.Generic;
            namespace My.Annotations
            {
                [AttributeUsage(AttributeTargets.Method | AttributeTargets.Property)] sealed class CachedSnapshotReadAttribute : Attribute { }
                [AttributeUsage(AttributeTargets.Parameter)] sealed class RequiresCurrentProtocolAttribute : Attribute { }
            }

            namespace My
            {
                using My.Annotations;

                enum Proto { A, B }

                class Cache
                {
                    [CachedSnapshotRead] public Proto Protocols { get; } = Proto.A;
                }

                class Link
                {
                    public void Send([RequiresCurrentProtocol] Proto p) { }
                }

                class User
                {
                    void M(Cache c, Link l)
                    {
                        var p = {|#1:c.Protocols|} == Proto.A ? Proto.A : Proto.B;
                        {|#0:l.Send(p)|};
                    }
                }
            }
            """,
            test => test.TestState.AdditionalReferences.Clear(),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Configured_extra_source_and_sink_are_honoured()
    {
        await Verify.VerifyAsync("""
            namespace My
            {
                class Cache { public int GetProto(string peer) => 1; }
                class Wire { public void Push(string peer, int proto, byte[] data) { } }

                class User
                {
                    void M(Cache c, Wire w)
                    {
                        var proto = {|#1:c.GetProto("x")|};
                        {|#0:w.Push("x", proto, new byte[0])|};
                    }
                }
            }
            """,
            test => test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", """
                is_global = true
                peernet.sources = M:My.Cache.GetProto(System.String)
                peernet.sinks = M:My.Wire.Push(System.String,System.Int32,System.Byte[])|proto
                """)),
            Verify.Diagnostic("PN0001", 0, 1).WithArguments("proto", "GetProto", "Push"));
    }

    [Fact]
    public async Task Configured_sink_by_index_in_editorconfig_is_honoured()
    {
        await Verify.VerifyAsync("""
            namespace My
            {
                class Wire { public void Push(ProtocolId proto, byte[] data) { } }

                class User
                {
                    void M(NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs, Wire w)
                    {
                        {|#0:w.Push({|#1:client.GetPreferredProtocolForPeer(peer, prefs)|}, new byte[0])|};
                    }
                }
            }
            """,
            test => test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
                root = true

                [*.cs]
                peernet.sinks = M:My.Wire.Push(PeerNet.ProtocolId,System.Byte[])|0
                """)),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Configured_sink_without_parameter_uses_its_ProtocolId_parameters()
    {
        await Verify.VerifyAsync("""
            namespace My
            {
                class Wire { public void Push(string tag, ProtocolId proto) { } }

                class User
                {
                    void M(NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs, Wire w)
                    {
                        var stale = {|#1:client.GetPreferredProtocolForPeer(peer, prefs)|};
                        {|#0:w.Push(stale.ToString(), stale)|};
                    }
                }
            }
            """,
            test => test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", """
                is_global = true
                peernet.sinks = M:My.Wire.Push(System.String,PeerNet.ProtocolId)
                """)),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Implementation_of_INetworkSender_called_directly_is_a_sink()
    {
        await Verify.VerifyAsync("""
            class MySender : INetworkSender
            {
                public void SendTo(PeerId peer, ProtocolId protocol, Message message) { }
                public Task<Message> SendRpcAsync(PeerId peer, ProtocolId protocol, Message request, TimeSpan timeout, CancellationToken cancellationToken = default) => Task.FromResult(request);
            }

            class User
            {
                void M(MySender s, NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs, Message msg)
                {
                    {|#0:s.SendTo(peer.PeerId, {|#1:client.GetPreferredProtocolForPeer(peer, prefs)|}, msg)|};
                }
            }
            """,
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Generated_code_is_analyzed_when_configured()
    {
        await Verify.VerifyRawAsync("""
            // <auto-generated/>
            using System.Collections.Generic;
            using PeerNet;
            class Gen
            {
                void M(NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs, Message msg)
                {
                    {|#0:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, {|#1:client.GetPreferredProtocolForPeer(peer, prefs)|}, msg)|};
                }
            }
            """,
            test => test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\npeernet.analyze_generated_code = true\n")),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    // ------------------------------------------------------------------ negatives

    [Fact]
    public async Task Generated_code_is_skipped_by_default()
    {
        await Verify.VerifyRawAsync("""
            // <auto-generated/>
            using System.Collections.Generic;
            using PeerNet;
            class Gen
            {
                void M(NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs, Message msg)
                {
                    client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, client.GetPreferredProtocolForPeer(peer, prefs), msg);
                }
            }
            """,
            configure: null);
    }

    [Fact]
    public async Task Generated_file_name_is_skipped_by_default()
    {
        await Verify.VerifyAsync(string.Empty, test =>
        {
            test.TestState.Sources.Add(("/0/Client.g.cs", AnalyzerVerifier<PN0001PN0002SnapshotRaceAnalyzer>.Usings + """
                class Gen
                {
                    void M(NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs, Message msg)
                    {
                        client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, client.GetPreferredProtocolForPeer(peer, prefs), msg);
                    }
                }
                """));
        });
    }

    [Fact]
    public async Task GeneratedCode_attribute_is_skipped_by_default()
    {
        await Verify.VerifyAsync("""
            [System.CodeDom.Compiler.GeneratedCode("tool", "1.0")]
            class Gen
            {
                void M(NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs, Message msg)
                {
                    client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, client.GetPreferredProtocolForPeer(peer, prefs), msg);
                }
            }
            """);
    }

    [Fact]
    public async Task User_type_named_NetworkClient_with_SendTo_is_not_PeerNet()
    {
        await Verify.VerifyAsync("""
            namespace Other
            {
                enum ProtocolId { A, B }
                class Sender { public void SendTo(string peer, ProtocolId protocol, byte[] m) { } }
                class NetworkClient
                {
                    public ProtocolId GetPreferredProtocolForPeer(string peer, IReadOnlyList<ProtocolId> prefs) => prefs[0];
                    public Sender GetSenderForNetwork(int n) => new Sender();
                }

                class User
                {
                    void M(NetworkClient client, IReadOnlyList<ProtocolId> prefs)
                    {
                        var protocol = client.GetPreferredProtocolForPeer("p", prefs);
                        client.GetSenderForNetwork(0).SendTo("p", protocol, new byte[0]);
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task User_SendTo_without_annotation_is_not_a_sink_even_with_PeerNet()
    {
        await Verify.VerifyAsync("""
            class Relay
            {
                public void SendTo(PeerId peer, ProtocolId protocol, Message message) { }
            }

            class User
            {
                void M(Relay relay, NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs, Message msg)
                {
                    relay.SendTo(peer.PeerId, client.GetPreferredProtocolForPeer(peer, prefs), msg);
                }
            }
            """);
    }

    [Fact]
    public async Task User_GetPreferredProtocolForPeer_without_annotation_is_not_a_source()
    {
        await Verify.VerifyAsync("""
            class Prefs
            {
                public ProtocolId GetPreferredProtocolForPeer(PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs) => prefs[0];
            }

            class User
            {
                void M(Prefs p, NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs, Message msg)
                {
                    client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, p.GetPreferredProtocolForPeer(peer, prefs), msg);
                }
            }
            """);
    }

    [Fact]
    public async Task Attribute_with_a_different_name_is_not_honoured()
    {
        await Verify.VerifyRawAsync("""
            using System;
            using System.Collections.Generic;
            [AttributeUsage(AttributeTargets.Method)] sealed class CachedReadAttribute : Attribute { }
            [AttributeUsage(AttributeTargets.Parameter)] sealed class RequiresCurrentProtocolAttribute : Attribute { }

            class User
            {
                [CachedRead] int Read() => 1;
                void Send([RequiresCurrentProtocol] int p) { }
                void M() => Send(Read());
            }
            """,
            test => test.TestState.AdditionalReferences.Clear());
    }

    [Fact]
    public async Task Configured_source_that_is_not_used_reports_nothing()
    {
        await Verify.VerifyAsync("""
            namespace My
            {
                class Cache { public int GetProto() => 1; }
                class User
                {
                    void M(INetworkSender s, PeerId p, Message m) => s.SendTo(p, ProtocolId.MempoolRpc, m);
                }
            }
            """,
            test => test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\npeernet.sources = M:My.Cache.GetProto\n")));
    }

    [Fact]
    public async Task Without_PeerNet_attributes_or_configuration_nothing_is_registered()
    {
        // Same shapes, same names, but none of PeerNet: the analyzer registers nothing and reports nothing.
        await Verify.VerifyRawAsync("""
            using System;
            using System.Collections.Generic;
            namespace PeerNetLike
            {
                class NetworkClient { public int GetPreferredProtocolForPeer() => 1; public void SendTo(int protocol) { } }
                class User
                {
                    void M(NetworkClient c) => c.SendTo(c.GetPreferredProtocolForPeer());
                }
            }
            """,
            test => test.TestState.AdditionalReferences.Clear());
    }
}
