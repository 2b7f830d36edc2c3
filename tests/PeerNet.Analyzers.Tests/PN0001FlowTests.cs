using Verify = PeerNet.Analyzers.Tests.AnalyzerVerifier<PeerNet.Analyzers.PN0001PN0002SnapshotRaceAnalyzer>;

namespace PeerNet.Analyzers.Tests;

/// <summary>PN0001 through the shapes a protocol takes inside one method (sources, derivations, flow).</summary>
public class PN0001FlowTests
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

    // ------------------------------------------------------------------ positives

    [Fact]
    public async Task Ternary_on_supported_protocols_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var set = {|#1:client.GetSupportedProtocols(peer)|};
                    var protocol = set.Contains(ProtocolId.ConsensusRpcCompressed) ? ProtocolId.ConsensusRpcCompressed : ProtocolId.ConsensusRpcBcs;
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1).WithArguments("protocol", "GetSupportedProtocols", "SendTo"));
    }

    [Fact]
    public async Task If_else_assignment_on_supported_protocols_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    ProtocolId protocol;
                    if ({|#1:client.GetSupportedProtocols(peer)|}.Contains(ProtocolId.DKGRpcCompressed))
                        protocol = ProtocolId.DKGRpcCompressed;
                    else
                        protocol = ProtocolId.DKGRpcBcs;
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Loop_over_preferences_with_break_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var set = {|#1:store.GetMetadataForPeer(peer)|}.SupportedProtocols;
                    ProtocolId chosen = ProtocolId.ConsensusRpcBcs;
                    foreach (var p in prefs)
                    {
                        if (set.Contains(p)) { chosen = p; break; }
                    }

                    {|#0:Sender.SendTo(peer.PeerId, chosen, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1).WithArguments("chosen", "GetMetadataForPeer", "SendTo"));
    }

    [Fact]
    public async Task Switch_statement_on_a_stale_protocol_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var preferred = {|#1:client.GetPreferredProtocolForPeer(peer, prefs)|};
                    ProtocolId protocol;
                    switch (preferred)
                    {
                        case ProtocolId.ConsensusRpcJson: protocol = ProtocolId.ConsensusRpcJson; break;
                        default: protocol = ProtocolId.ConsensusRpcBcs; break;
                    }

                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Switch_expression_over_supported_protocols_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var set = {|#1:client.GetSupportedProtocols(peer)|};
                    var protocol = set.Contains(ProtocolId.MempoolRpc) switch
                    {
                        true => ProtocolId.MempoolRpc,
                        false => ProtocolId.MempoolDirectSend,
                    };
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Linq_First_over_a_stale_set_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var protocol = {|#1:client.GetSupportedProtocols(peer)|}.First();
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Linq_FirstOrDefault_with_a_lambda_consulting_a_stale_set_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var set = {|#1:client.GetSupportedProtocols(peer)|};
                    var protocol = prefs.FirstOrDefault(p => set.Contains(p));
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Linq_Where_then_First_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var md = {|#1:store.GetMetadataForPeer(peer)|};
                    var protocol = prefs.Where(p => md.SupportedProtocols.Contains(p)).First();
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task TryGetMetadataForPeer_out_parameter_is_a_source()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var snapshot = {|#1:store.GetSnapshot()|};
                    if (snapshot.TryGetMetadataForPeer(peer, out var metadata))
                    {
                        var protocol = metadata.SupportedProtocols.Contains(ProtocolId.StorageServiceRpc) ? ProtocolId.StorageServiceRpc : ProtocolId.MempoolRpc;
                        {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                    }
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Connected_peers_of_a_snapshot_are_a_source()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    foreach (var pair in {|#1:store.GetSnapshot()|}.GetConnectedPeers(NetworkId.Validator))
                    {
                        var protocol = pair.Value.SupportedProtocols.First();
                        {|#0:Sender.SendTo(pair.Key.PeerId, protocol, msg)|};
                    }
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Stale_on_only_one_branch_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M(bool fast)
                {
                    ProtocolId protocol = ProtocolId.ConsensusRpcBcs;
                    if (fast)
                        protocol = {|#1:client.GetPreferredProtocolForPeer(peer, prefs)|};
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Send_guarded_by_membership_of_a_stale_set_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    if ({|#1:client.GetSupportedProtocols(peer)|}.Contains(ProtocolId.ConsensusObserver))
                    {
                        {|#0:Sender.SendTo(peer.PeerId, ProtocolId.ConsensusObserver, msg)|};
                    }
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Tuple_element_is_followed()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var (protocol, attempts) = ({|#1:client.GetPreferredProtocolForPeer(peer, prefs)|}, 3);
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Tuple_local_is_followed()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    (ProtocolId Protocol, int Attempts) plan = ({|#1:client.GetPreferredProtocolForPeer(peer, prefs)|}, 3);
                    {|#0:Sender.SendTo(peer.PeerId, plan.Protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Lambda_capturing_a_stale_protocol_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                Task M()
                {
                    var protocol = {|#1:client.GetPreferredProtocolForPeer(peer, prefs)|};
                    return Task.Run(() => {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|});
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Local_function_capturing_a_stale_protocol_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var protocol = {|#1:client.GetPreferredProtocolForPeer(peer, prefs)|};
                    Send();

                    void Send() => {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Local_function_returning_a_stale_protocol_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    {|#0:Sender.SendTo(peer.PeerId, Pick(), msg)|};

                    ProtocolId Pick() => {|#1:client.GetPreferredProtocolForPeer(peer, prefs)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Local_function_assigning_a_captured_variable_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    ProtocolId protocol = ProtocolId.ConsensusRpcBcs;
                    Choose();
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};

                    void Choose()
                    {
                        var set = {|#1:client.GetSupportedProtocols(peer)|};
                        if (set.Contains(ProtocolId.ConsensusRpcCompressed)) protocol = ProtocolId.ConsensusRpcCompressed;
                    }
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Async_method_across_await_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                async Task<Message> M()
                {
                    var protocol = {|#1:client.GetPreferredProtocolForPeer(peer, prefs)|};
                    await Task.Delay(10);
                    var request = new Message(new byte[] { 1 });
                    await Task.Yield();
                    return await {|#0:Sender.SendRpcAsync(peer.PeerId, protocol, request, TimeSpan.FromSeconds(5))|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Null_conditional_and_coalesce_are_followed()
    {
        await Verify.VerifyAsync(Class("""
                void M(PeersAndMetadataSnapshot? maybe)
                {
                    var md = maybe?{|#1:.GetMetadataForPeer(peer)|};
                    var protocol = md?.SupportedProtocols.FirstOrDefault() ?? ProtocolId.ConsensusRpcBcs;
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Two_sends_two_diagnostics()
    {
        await Verify.VerifyAsync(Class("""
                async Task M()
                {
                    var protocol = {|#2:client.GetPreferredProtocolForPeer(peer, prefs)|};
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                    await {|#1:Sender.SendRpcAsync(peer.PeerId, protocol, msg, TimeSpan.FromSeconds(1))|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 2),
            Verify.Diagnostic("PN0001", 1, 2));
    }

    [Fact]
    public async Task Stale_value_added_to_a_list_and_read_back_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var candidates = new List<ProtocolId>();
                    candidates.Add({|#1:client.GetPreferredProtocolForPeer(peer, prefs)|});
                    {|#0:Sender.SendTo(peer.PeerId, candidates[0], msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    // ------------------------------------------------------------------ negatives

    [Fact]
    public async Task List_of_constants_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var candidates = new List<ProtocolId>();
                    candidates.Add(ProtocolId.MempoolRpc);
                    var unrelated = client.GetSupportedProtocols(peer);
                    Console.WriteLine(unrelated.Count);
                    Sender.SendTo(peer.PeerId, candidates[0], msg);
                }
            """));
    }

    [Fact]
    public async Task Overwritten_with_a_constant_before_the_send_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, prefs);
                    Console.WriteLine(protocol);
                    protocol = ProtocolId.ConsensusRpcBcs;
                    Sender.SendTo(peer.PeerId, protocol, msg);
                }
            """));
    }

    [Fact]
    public async Task Overwritten_on_every_branch_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M(bool b)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, prefs);
                    if (b) protocol = ProtocolId.MempoolRpc; else protocol = ProtocolId.MempoolDirectSend;
                    Sender.SendTo(peer.PeerId, protocol, msg);
                }
            """));
    }

    [Fact]
    public async Task Send_before_the_read_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M(ProtocolId protocol)
                {
                    Sender.SendTo(peer.PeerId, protocol, msg);
                    protocol = client.GetPreferredProtocolForPeer(peer, prefs);
                    Console.WriteLine(protocol);
                }
            """));
    }

    [Fact]
    public async Task Parameter_protocol_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M(ProtocolId protocol)
                {
                    var unrelated = client.GetSupportedProtocols(peer);
                    Console.WriteLine(unrelated.Count);
                    Sender.SendTo(peer.PeerId, protocol, msg);
                }
            """));
    }

    [Fact]
    public async Task Peer_from_snapshot_with_constant_protocol_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    foreach (var pair in store.GetSnapshot().GetConnectedPeers(NetworkId.Validator))
                    {
                        if (!pair.Value.IsConnected) continue;
                        Sender.SendTo(pair.Value.ConnectionMetadata.RemotePeerId, ProtocolId.HealthCheckerRpc, msg);
                    }
                }
            """));
    }

    [Fact]
    public async Task Connection_state_check_then_constant_protocol_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var md = store.GetMetadataForPeer(peer);
                    if (md.IsConnected && md.State == ConnectionState.Connected)
                    {
                        Sender.SendTo(peer.PeerId, ProtocolId.PeerMonitoringServiceRpc, msg);
                    }
                }
            """));
    }

    [Fact]
    public async Task Constant_sent_after_an_unrelated_check_of_the_stale_set_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var md = store.GetMetadataForPeer(peer);
                    if (md.SupportedProtocols.IsEmpty) return;
                    if (md.SupportedProtocols.Count > 3) Console.WriteLine("many");
                    Sender.SendTo(peer.PeerId, ProtocolId.ConsensusRpcBcs, msg);
                }
            """));
    }

    [Fact]
    public async Task Switch_on_a_parameter_protocol_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M(ProtocolId requested)
                {
                    var snapshot = store.GetSnapshot();
                    Console.WriteLine(snapshot.Version);
                    var protocol = requested switch
                    {
                        ProtocolId.ConsensusRpcJson => ProtocolId.ConsensusRpcBcs,
                        _ => requested,
                    };
                    Sender.SendTo(peer.PeerId, protocol, msg);
                }
            """));
    }

    [Fact]
    public async Task Ternary_on_a_non_snapshot_condition_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M(bool compressed)
                {
                    var md = store.GetMetadataForPeer(peer);
                    Console.WriteLine(md.IsConnected);
                    var protocol = compressed ? ProtocolId.ConsensusRpcCompressed : ProtocolId.ConsensusRpcBcs;
                    Sender.SendTo(peer.PeerId, protocol, msg);
                }
            """));
    }

    [Fact]
    public async Task Out_metadata_used_only_for_connection_state_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    if (store.GetSnapshot().TryGetMetadataForPeer(peer, out var md) && md.IsConnected)
                        Sender.SendTo(peer.PeerId, ProtocolId.StorageServiceRpc, msg);
                }
            """));
    }

    [Fact]
    public async Task Overwritten_after_await_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                async Task M()
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, prefs);
                    Console.WriteLine(protocol);
                    await Task.Delay(1);
                    protocol = ProtocolId.MempoolRpc;
                    await Sender.SendRpcAsync(peer.PeerId, protocol, msg, TimeSpan.FromSeconds(1));
                }
            """));
    }

    [Fact]
    public async Task Lambda_created_after_the_captured_variable_was_reset_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                Action M()
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, prefs);
                    Console.WriteLine(protocol);
                    protocol = ProtocolId.NetbenchDirectSend;
                    return () => Sender.SendTo(peer.PeerId, protocol, msg);
                }
            """));
    }

    [Fact]
    public async Task Uncalled_local_function_sending_a_constant_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, prefs);
                    Console.WriteLine(protocol);

                    void Later() => Sender.SendTo(peer.PeerId, ProtocolId.ConsensusObserverRpc, msg);
                }
            """));
    }

    [Fact]
    public async Task Stale_value_only_logged_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, prefs);
                    Console.WriteLine($"would use {protocol}");
                    client.SendToPeer(msg, peer, prefs);
                }
            """));
    }

    [Fact]
    public async Task Tuple_element_that_is_not_stale_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var (stale, fixedProtocol) = (client.GetPreferredProtocolForPeer(peer, prefs), ProtocolId.NetbenchRpc);
                    Console.WriteLine(stale);
                    Sender.SendTo(peer.PeerId, fixedProtocol, msg);
                }
            """));
    }

    [Fact]
    public async Task Tuple_local_element_that_is_not_stale_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    (ProtocolId Stale, ProtocolId Fixed) plan = (client.GetPreferredProtocolForPeer(peer, prefs), ProtocolId.NetbenchRpc);
                    Console.WriteLine(plan.Stale);
                    Sender.SendTo(peer.PeerId, plan.Fixed, msg);
                    var (_, again) = plan;
                    Sender.SendTo(peer.PeerId, again, msg);
                }
            """));
    }

    [Fact]
    public async Task Lambda_not_capturing_a_stale_value_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                Task M()
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, prefs);
                    Console.WriteLine(protocol);
                    var fixedProtocol = ProtocolId.NetbenchDirectSend;
                    return Task.Run(() => Sender.SendTo(peer.PeerId, fixedProtocol, msg));
                }
            """));
    }

    [Fact]
    public async Task Local_function_overwriting_the_captured_variable_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, prefs);
                    Reset();
                    Sender.SendTo(peer.PeerId, protocol, msg);

                    void Reset() { protocol = ProtocolId.ConsensusRpcBcs; }
                }
            """));
    }

    [Fact]
    public async Task Connection_bound_send_with_a_snapshot_protocol_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                SendFailure M(IConnectionBoundSender bound)
                {
                    var md = store.GetMetadataForPeer(peer);
                    var protocol = md.SupportedProtocols.First();
                    return bound.TrySendOnConnection(peer.PeerId, md.ConnectionMetadata.ConnectionId, protocol, msg);
                }
            """));
    }

    [Fact]
    public async Task Preferences_without_a_snapshot_are_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var protocol = prefs.FirstOrDefault(p => p != ProtocolId.ConsensusRpcJson);
                    ProtocolId chosen = ProtocolId.ConsensusRpcBcs;
                    foreach (var p in prefs) { if (p == ProtocolId.ConsensusRpcCompressed) { chosen = p; break; } }
                    Sender.SendTo(peer.PeerId, protocol, msg);
                    Sender.SendTo(peer.PeerId, chosen, msg);
                }
            """));
    }

    [Fact]
    public async Task Loop_reassigning_before_each_send_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, prefs);
                    for (int i = 0; i < 3; i++)
                    {
                        Console.WriteLine(protocol);
                        protocol = ProtocolId.ConsensusRpcBcs;
                        Sender.SendTo(peer.PeerId, protocol, msg);
                    }
                }
            """));
    }
}
