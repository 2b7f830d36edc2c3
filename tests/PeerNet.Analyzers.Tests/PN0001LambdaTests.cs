using Verify = PeerNet.Analyzers.Tests.AnalyzerVerifier<PeerNet.Analyzers.PN0001PN0002SnapshotRaceAnalyzer>;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// PN0001 through lambdas: a lambda passed to a higher-order method (LINQ, List.ForEach, Parallel.ForEach,
/// a user's own helper) over a stale sequence receives stale parameters; over a clean one, clean ones.
/// </summary>
public class PN0001LambdaTests
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
    public async Task List_ForEach_over_a_stale_list_sends_stale_protocols()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var stale = {|#1:client.GetSupportedProtocols(peer)|}.ToList();
                    stale.ForEach(p => {|#0:Sender.SendTo(peer.PeerId, p, msg)|});
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task List_ForEach_over_a_constant_list_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var set = client.GetSupportedProtocols(peer);
                    var fixedList = new List<ProtocolId> { ProtocolId.ConsensusRpcBcs, ProtocolId.MempoolRpc };
                    fixedList.ForEach(p => Sender.SendTo(peer.PeerId, p, msg));
                    prefs.Where(p => p != ProtocolId.MempoolRpc).ToList().ForEach(p => Sender.SendTo(peer.PeerId, p, msg));
                }
            """));
    }

    [Fact]
    public async Task Linq_lambdas_over_a_stale_sequence_see_stale_elements()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var set = {|#1:client.GetSupportedProtocols(peer)|};
                    _ = set.Select(p => { {|#0:Sender.SendTo(peer.PeerId, p, msg)|}; return p; }).Count();
                    _ = set.Where(p => { {|#2:Sender.SendTo(peer.PeerId, p, msg)|}; return true; }).ToDictionary(p => p, p => 1);
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1),
            Verify.Diagnostic("PN0001", 2, 1));
    }

    [Fact]
    public async Task Parallel_ForEach_and_ForEachAsync_over_a_stale_set_are_reported()
    {
        await Verify.VerifyAsync(Class("""
                async Task M()
                {
                    var set = {|#1:client.GetSupportedProtocols(peer)|};
                    Parallel.ForEach(set, p => {|#0:Sender.SendTo(peer.PeerId, p, msg)|});
                    await Parallel.ForEachAsync(set, async (p, ct) => { await Task.Yield(); {|#2:Sender.SendTo(peer.PeerId, p, msg)|}; });
                    Parallel.ForEach(prefs, p => Sender.SendTo(peer.PeerId, p, msg));
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1),
            Verify.Diagnostic("PN0001", 2, 1));
    }

    [Fact]
    public async Task A_users_own_higher_order_helper_passes_the_stale_sequence_to_the_lambda()
    {
        await Verify.VerifyAsync(Class("""
                static void Each<T>(IEnumerable<T> items, Action<T> action)
                {
                    foreach (var item in items) action(item);
                }

                void M()
                {
                    var set = {|#1:client.GetSupportedProtocols(peer)|};
                    Each(set, p => {|#0:Sender.SendTo(peer.PeerId, p, msg)|});
                    Each(prefs, p => Sender.SendTo(peer.PeerId, p, msg));
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task A_plan_built_with_Select_and_sent_in_a_later_loop_is_stale()
    {
        await Verify.VerifyAsync(Class("""
                void M(IEnumerable<PeerNetworkId> peers)
                {
                    var plan = peers.Select(p => (Peer: p, Protocol: client.GetPreferredProtocolForPeer(p, prefs))).ToList();
                    var fixedPlan = peers.Select(p => (Peer: p, Protocol: ProtocolId.ConsensusRpcBcs)).ToList();
                    foreach (var (p, protocol) in plan)
                        {|#0:Sender.SendTo(p.PeerId, protocol, msg)|};
                    foreach (var (p, protocol) in fixedPlan)
                        Sender.SendTo(p.PeerId, protocol, msg);
                }
            """),
            Verify.Diagnostic("PN0001", 0));
    }

    [Fact]
    public async Task A_summarized_method_applying_a_lambda_to_a_stale_set_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void SendAll(ProtocolIdSet set) => set.ToList().ForEach(p => Sender.SendTo(peer.PeerId, p, msg));

                void M()
                {
                    {|#0:SendAll({|#1:client.GetSupportedProtocols(peer)|})|};
                    SendAll(default);
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task A_method_group_over_a_stale_list_is_followed_into_the_method()
    {
        await Verify.VerifyAsync(Class("""
                void SendWith(ProtocolId protocol) => Sender.SendTo(peer.PeerId, protocol, msg);

                void Log(ProtocolId protocol) => System.Console.WriteLine(protocol);

                ProtocolId Pick(ProtocolId protocol) => protocol;

                void Stale()
                {
                    var stale = {|#1:client.GetSupportedProtocols(peer)|}.ToList();
                    stale.ForEach({|#0:SendWith|});
                }

                void StaleThroughLinq()
                {
                    var stale = {|#3:client.GetSupportedProtocols(peer)|};
                    foreach (var p in stale.Select(Pick))
                    {
                        {|#2:Sender.SendTo(peer.PeerId, p, msg)|};
                    }
                }

                void Clean()
                {
                    var stale = client.GetSupportedProtocols(peer).ToList();
                    stale.ForEach(Log);
                    var constant = new List<ProtocolId> { ProtocolId.ConsensusRpcBcs, ProtocolId.MempoolRpc };
                    constant.ForEach(SendWith);
                    foreach (var p in constant.Select(Pick))
                    {
                        Sender.SendTo(peer.PeerId, p, msg);
                    }
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1).WithArguments("protocol", "GetSupportedProtocols", "SendWith"),
            Verify.Diagnostic("PN0001", 2, 3));
    }
}
