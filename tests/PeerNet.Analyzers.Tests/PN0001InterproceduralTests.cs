using Verify = PeerNet.Analyzers.Tests.AnalyzerVerifier<PeerNet.Analyzers.PN0001PN0002SnapshotRaceAnalyzer>;

namespace PeerNet.Analyzers.Tests;

/// <summary>PN0001 across methods of the compilation: summaries of sources, sinks, fields and properties.</summary>
public class PN0001InterproceduralTests
{
    private const string Fields = """
            NetworkClient client = null!;
            PeersAndMetadata store = null!;
            PeerNetworkId peer;
            IReadOnlyList<ProtocolId> prefs = null!;
            Message msg = null!;
            INetworkSender Sender => client.GetSenderForNetwork(peer.NetworkId);
        """;

    private static string Class(string members) => "class C\n{\n" + Fields + "\n" + members + "\n}\n";

    [Fact]
    public async Task Method_returning_a_snapshot_read_is_a_source()
    {
        await Verify.VerifyAsync(Class("""
                ProtocolId Pick() => client.GetPreferredProtocolForPeer(peer, prefs);

                void M()
                {
                    var protocol = {|#1:Pick()|};
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1).WithArguments("protocol", "Pick", "SendTo"));
    }

    [Fact]
    public async Task Method_choosing_from_a_stale_set_is_a_source_two_calls_deep()
    {
        await Verify.VerifyAsync(Class("""
                ProtocolIdSet Supported() => client.GetSupportedProtocols(peer);

                ProtocolId Choose()
                {
                    var set = Supported();
                    foreach (var p in prefs)
                    {
                        if (set.Contains(p)) return p;
                    }

                    return ProtocolId.ConsensusRpcBcs;
                }

                void M()
                {
                    {|#0:Sender.SendTo(peer.PeerId, {|#1:Choose()|}, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1).WithArguments("Choose()", "Choose", "SendTo"));
    }

    [Fact]
    public async Task Out_parameter_of_a_method_is_a_source()
    {
        await Verify.VerifyAsync(Class("""
                bool TryPick(out ProtocolId protocol)
                {
                    protocol = client.GetPreferredProtocolForPeer(peer, prefs);
                    return true;
                }

                void M()
                {
                    if ({|#1:TryPick(out var protocol)|})
                        {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Async_method_returning_a_snapshot_read_is_a_source()
    {
        await Verify.VerifyAsync(Class("""
                async Task<ProtocolId> PickAsync()
                {
                    await Task.Yield();
                    return client.GetPreferredProtocolForPeer(peer, prefs);
                }

                async Task M()
                {
                    var protocol = await {|#1:PickAsync()|};
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Method_passing_its_parameter_to_a_sink_is_a_sink()
    {
        await Verify.VerifyAsync(Class("""
                void Forward(ProtocolId protocol) => Sender.SendTo(peer.PeerId, protocol, msg);

                void M()
                {
                    var protocol = {|#1:client.GetPreferredProtocolForPeer(peer, prefs)|};
                    {|#0:Forward(protocol)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1).WithArguments("protocol", "GetPreferredProtocolForPeer", "Forward"));
    }

    [Fact]
    public async Task Chains_of_any_depth_are_followed_both_ways_and_a_clean_chain_stays_clean()
    {
        // Six calls between the snapshot read and the value sent, five between the call and the send: summaries are
        // computed once per method to a fixed point, with no depth cut. The same chains over a constant are clean.
        await Verify.VerifyAsync(Class("""
                ProtocolId P1() => client.GetPreferredProtocolForPeer(peer, prefs);
                ProtocolId P2() => P1();
                ProtocolId P3() => P2();
                ProtocolId P4() => P3();
                ProtocolId P5() => P4();
                ProtocolId P6() => P5();

                ProtocolId Q1() => ProtocolId.ConsensusRpcBcs;
                ProtocolId Q2() => Q1();
                ProtocolId Q3() => Q2();
                ProtocolId Q4() => Q3();
                ProtocolId Q5() => Q4();
                ProtocolId Q6() => Q5();

                void S1(ProtocolId p) => Sender.SendTo(peer.PeerId, p, msg);
                void S2(ProtocolId p) => S1(p);
                void S3(ProtocolId p) => S2(p);
                void S4(ProtocolId p) => S3(p);
                void S5(ProtocolId p) => S4(p);

                void Stale() => {|#0:S5({|#1:P6()|})|};

                void Clean() => S5(Q6());
            """),
            Verify.Diagnostic("PN0001", 0, 1).WithArguments("P6()", "P6", "S5"));
    }

    [Fact]
    public async Task Every_member_of_a_cycle_that_reaches_the_snapshot_through_another_member_is_stale()
    {
        // Outer -> InnerA -> InnerB -> Outer, the snapshot read in Outer only: whichever member the analysis
        // summarizes first, the others reach the read through the cycle (when Outer is first, InnerB first
        // sees its approximation, nothing tainted, and the component is solved again: FixedPointCacheTests
        // check that part alone, whatever the order). The same cycle around a constant is clean.
        await Verify.VerifyAsync(Class("""
                ProtocolId Outer(int n) => n > 0 ? InnerA(n - 1) : client.GetPreferredProtocolForPeer(peer, prefs);
                ProtocolId InnerA(int n) => InnerB(n);
                ProtocolId InnerB(int n) => n > 1 ? Outer(n - 1) : ProtocolId.MempoolRpc;

                ProtocolId CleanOuter(int n) => n > 0 ? CleanInnerA(n - 1) : ProtocolId.ConsensusRpcBcs;
                ProtocolId CleanInnerA(int n) => CleanInnerB(n);
                ProtocolId CleanInnerB(int n) => n > 1 ? CleanOuter(n - 1) : ProtocolId.MempoolRpc;

                void First() => {|#0:Sender.SendTo(peer.PeerId, {|#1:Outer(3)|}, msg)|};
                void Second() => {|#2:Sender.SendTo(peer.PeerId, {|#3:InnerA(3)|}, msg)|};
                void Third() => {|#4:Sender.SendTo(peer.PeerId, {|#5:InnerB(3)|}, msg)|};
                void Clean() => Sender.SendTo(peer.PeerId, CleanInnerA(3), msg);
            """),
            Verify.Diagnostic("PN0001", 0, 1).WithArguments("Outer(3)", "Outer", "SendTo"),
            Verify.Diagnostic("PN0001", 2, 3).WithArguments("InnerA(3)", "InnerA", "SendTo"),
            Verify.Diagnostic("PN0001", 4, 5).WithArguments("InnerB(3)", "InnerB", "SendTo"));
    }

    [Fact]
    public async Task Sink_wrapper_properties_name_the_wrapper()
    {
        var diagnostics = await Verify.GetDiagnosticsAsync(Class("""
                Task<Message> AskAsync(ProtocolId which, Message request) => Sender.SendRpcAsync(peer.PeerId, which, request, TimeSpan.FromSeconds(1));

                async Task M()
                {
                    await AskAsync(client.GetPreferredProtocolForPeer(peer, prefs), msg);
                }
            """));
        var d = Assert.Single(diagnostics);
        Assert.Contains("is sent with 'AskAsync' ", d.GetMessage());
        Assert.Equal("Rpc", d.Properties[DiagnosticProperties.SendKind]);
    }

    [Fact]
    public async Task Field_assigned_from_a_source_is_a_source_where_read()
    {
        await Verify.VerifyAsync("""
            class Cache
            {
                public ProtocolId Protocol;
                public void Refresh(NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs) =>
                    Protocol = client.GetPreferredProtocolForPeer(peer, prefs);
            }

            class User
            {
                void M(Cache cache, INetworkSender sender, PeerId peer, Message msg)
                {
                    {|#0:sender.SendTo(peer, {|#1:cache.Protocol|}, msg)|};
                }
            }
            """,
            Verify.Diagnostic("PN0001", 0, 1).WithArguments("cache.Protocol", "Protocol", "SendTo"));
    }

    [Fact]
    public async Task Auto_property_assigned_from_a_source_is_a_source_where_read()
    {
        await Verify.VerifyAsync("""
            class Session
            {
                public ProtocolIdSet Supported { get; set; }
            }

            class User
            {
                void Fill(Session s, NetworkClient client, PeerNetworkId peer) => s.Supported = client.GetSupportedProtocols(peer);

                void M(Session s, INetworkSender sender, PeerId peer, Message msg)
                {
                    var protocol = {|#1:s.Supported|}.Contains(ProtocolId.MempoolRpc) ? ProtocolId.MempoolRpc : ProtocolId.MempoolDirectSend;
                    {|#0:sender.SendTo(peer, protocol, msg)|};
                }
            }
            """,
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Field_assigned_through_a_ternary_and_read_in_a_local_function_is_a_source()
    {
        await Verify.VerifyAsync(Class("""
                ProtocolId cached;
                [CachedSnapshotRead] ProtocolId Pick() => ProtocolId.MempoolRpc;

                void Refresh(bool b) => cached = b ? Pick() : ProtocolId.MempoolDirectSend;

                void M()
                {
                    void Local() => {|#0:Sender.SendTo(peer.PeerId, {|#1:cached|}, msg)|};
                    Local();
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1).WithArguments("cached", "cached", "SendTo"));
    }

    [Fact]
    public async Task Property_getter_reading_a_snapshot_is_a_source()
    {
        await Verify.VerifyAsync(Class("""
                ProtocolId Current => client.GetPreferredProtocolForPeer(peer, prefs);

                void M()
                {
                    {|#0:Sender.SendTo(peer.PeerId, {|#1:Current|}, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Identity_helper_passes_taint_through()
    {
        await Verify.VerifyAsync(Class("""
                static ProtocolId Same(ProtocolId p) => p;

                void M()
                {
                    var protocol = Same({|#1:client.GetPreferredProtocolForPeer(peer, prefs)|});
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    // ------------------------------------------------------------------ negatives

    [Fact]
    public async Task Method_returning_a_constant_is_not_a_source()
    {
        await Verify.VerifyAsync(Class("""
                ProtocolId Pick()
                {
                    var stale = client.GetPreferredProtocolForPeer(peer, prefs);
                    Console.WriteLine(stale);
                    return ProtocolId.ConsensusRpcBcs;
                }

                void M() => Sender.SendTo(peer.PeerId, Pick(), msg);
            """));
    }

    [Fact]
    public async Task Helper_taking_a_stale_set_but_returning_a_constant_is_not_a_source()
    {
        await Verify.VerifyAsync(Class("""
                static ProtocolId Fallback(ProtocolIdSet ignored) => ProtocolId.ConsensusRpcBcs;
                static ProtocolId FirstOf(ProtocolIdSet s) => s.First();

                void M()
                {
                    var set = {|#1:client.GetSupportedProtocols(peer)|};
                    Sender.SendTo(peer.PeerId, Fallback(set), msg);
                    {|#0:Sender.SendTo(peer.PeerId, FirstOf(set), msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Private_field_assigned_in_another_part_of_a_partial_type_in_another_file_is_a_source()
    {
        await Verify.VerifyAsync("""
            partial class Gossip
            {
                private ProtocolId _protocol;

                void M(INetworkSender sender, PeerId peer, Message msg)
                {
                    {|#0:sender.SendTo(peer, {|#1:_protocol|}, msg)|};
                }
            }
            """,
            test => test.TestState.Sources.Add(("/0/Gossip.Refresh.cs", AnalyzerVerifier<PN0001PN0002SnapshotRaceAnalyzer>.Usings + """
                partial class Gossip
                {
                    void Refresh(NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs) =>
                        _protocol = client.GetPreferredProtocolForPeer(peer, prefs);
                }
                """)),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Private_field_assigned_by_a_nested_type_is_a_source_and_a_same_named_private_field_elsewhere_is_not()
    {
        await Verify.VerifyAsync("""
            class Outer
            {
                private ProtocolId _protocol;

                class Refresher
                {
                    void Refresh(Outer outer, NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs) =>
                        outer._protocol = client.GetPreferredProtocolForPeer(peer, prefs);
                }

                void M(INetworkSender sender, PeerId peer, Message msg) => {|#0:sender.SendTo(peer, {|#1:_protocol|}, msg)|};
            }

            class Other
            {
                private ProtocolId _protocol = ProtocolId.MempoolRpc;

                void Reset() => _protocol = ProtocolId.MempoolDirectSend;

                void M(INetworkSender sender, PeerId peer, Message msg) => sender.SendTo(peer, _protocol, msg);
            }
            """,
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Same_named_field_of_another_type_is_not_a_source()
    {
        await Verify.VerifyAsync("""
            class A { public ProtocolId Protocol; }
            class B { public ProtocolId Protocol = ProtocolId.MempoolRpc; }

            class User
            {
                void Fill(A a, NetworkClient client, PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs) => a.Protocol = client.GetPreferredProtocolForPeer(peer, prefs);
                void M(B b, INetworkSender sender, PeerId peer, Message msg) => sender.SendTo(peer, b.Protocol, msg);
            }
            """);
    }

    [Fact]
    public async Task Same_named_method_of_another_type_is_not_a_source()
    {
        await Verify.VerifyAsync(Class("""
                class Picker { public ProtocolId Pick() => ProtocolId.MempoolRpc; }
                ProtocolId Pick() => client.GetPreferredProtocolForPeer(peer, prefs);

                void M(Picker other) => Sender.SendTo(peer.PeerId, other.Pick(), msg);
            """));
    }

    [Fact]
    public async Task Wrapper_sending_a_constant_is_not_a_sink()
    {
        await Verify.VerifyAsync(Class("""
                void Forward(ProtocolId ignored) => Sender.SendTo(peer.PeerId, ProtocolId.ConsensusRpcBcs, msg);

                void M() => Forward(client.GetPreferredProtocolForPeer(peer, prefs));
            """));
    }

    [Fact]
    public async Task Field_assigned_only_constants_is_not_a_source()
    {
        await Verify.VerifyAsync("""
            class Cache
            {
                public ProtocolId Protocol = ProtocolId.ConsensusRpcBcs;
                public void Reset() => Protocol = ProtocolId.ConsensusRpcCompressed;
            }

            class User
            {
                void M(Cache cache, INetworkSender sender, PeerId peer, Message msg, NetworkClient client, PeerNetworkId p, IReadOnlyList<ProtocolId> prefs)
                {
                    var unrelated = client.GetPreferredProtocolForPeer(p, prefs);
                    Console.WriteLine(unrelated);
                    sender.SendTo(peer, cache.Protocol, msg);
                }
            }
            """);
    }

    [Fact]
    public async Task Recursive_methods_terminate_and_do_not_report_constants()
    {
        await Verify.VerifyAsync(Class("""
                ProtocolId Ping(int n) => n <= 0 ? ProtocolId.HealthCheckerRpc : Pong(n - 1);
                ProtocolId Pong(int n) => n <= 0 ? ProtocolId.HealthCheckerRpc : Ping(n - 1);

                void M()
                {
                    var stale = client.GetSupportedProtocols(peer);
                    Console.WriteLine(stale.Count);
                    Sender.SendTo(peer.PeerId, Ping(10), msg);
                }
            """));
    }

    [Fact]
    public async Task A_chain_of_calls_of_any_length_is_followed()
    {
        // Summaries are computed once per method and compose: no call depth cuts the chain (this was
        // reported clean under the former three-call bound).
        await Verify.VerifyAsync(Class("""
                ProtocolId L1() => L2();
                ProtocolId L2() => L3();
                ProtocolId L3() => L4();
                ProtocolId L4() => L5();
                ProtocolId L5() => client.GetPreferredProtocolForPeer(peer, prefs);

                void M() => {|#0:Sender.SendTo(peer.PeerId, {|#1:L1()|}, msg)|};
            """),
            Verify.Diagnostic("PN0001", 0, 1).WithArguments("L1()", "L1", "SendTo"));
    }

    [Fact]
    public async Task A_long_chain_of_clean_calls_stays_clean()
    {
        await Verify.VerifyAsync(Class("""
                ProtocolId L1() => L2();
                ProtocolId L2() => L3();
                ProtocolId L3() => L4();
                ProtocolId L4() => L5();
                ProtocolId L5() => ProtocolId.HealthCheckerRpc;

                void M()
                {
                    var stale = client.GetSupportedProtocols(peer);
                    Console.WriteLine(stale.Count);
                    Sender.SendTo(peer.PeerId, L1(), msg);
                }
            """));
    }

    [Fact]
    public async Task Mutual_recursion_reaching_a_snapshot_read_is_a_source()
    {
        // A cycle is solved to a fixed point: the read in Pong reaches Ping's result through the cycle.
        await Verify.VerifyAsync(Class("""
                ProtocolId Ping(int n) => n <= 0 ? ProtocolId.HealthCheckerRpc : Pong(n - 1);
                ProtocolId Pong(int n) => n <= 0 ? client.GetPreferredProtocolForPeer(peer, prefs) : Ping(n - 1);

                void M() => {|#0:Sender.SendTo(peer.PeerId, {|#1:Ping(10)|}, msg)|};
            """),
            Verify.Diagnostic("PN0001", 0, 1).WithArguments("Ping(10)", "Ping", "SendTo"));
    }
}
