using Verify = PeerNet.Analyzers.Tests.AnalyzerVerifier<PeerNet.Analyzers.PN0001PN0002SnapshotRaceAnalyzer>;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// PN0001 through modern C# (12, the newest the Roslyn 4.8 test compiler parses): switch expressions and
/// property/list patterns over metadata, collection expressions, static local
/// functions, `using` declarations, `await foreach`.
/// </summary>
public class PN0001ModernSyntaxTests
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
    public async Task Switch_expression_and_property_pattern_over_metadata_choose_a_stale_protocol()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var md = {|#1:store.GetMetadataForPeer(peer)|};
                    var protocol = md switch
                    {
                        { SupportedProtocols.Count: > 1 } => ProtocolId.ConsensusRpcBcs,
                        _ => ProtocolId.MempoolRpc,
                    };
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }

                void Clean()
                {
                    var md = store.GetMetadataForPeer(peer);
                    var fixedProtocol = prefs.Count switch { > 1 => ProtocolId.ConsensusRpcBcs, _ => ProtocolId.MempoolRpc };
                    Sender.SendTo(peer.PeerId, fixedProtocol, msg);
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task List_pattern_over_a_stale_set_chooses_a_stale_protocol()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    ProtocolId[] supported = [.. {|#1:client.GetSupportedProtocols(peer)|}];
                    if (supported is [var first, ..])
                        {|#0:Sender.SendTo(peer.PeerId, first, msg)|};
                    ProtocolId[] mine = [ProtocolId.ConsensusRpcBcs, ProtocolId.MempoolRpc];
                    if (mine is [var own, ..])
                        Sender.SendTo(peer.PeerId, own, msg);
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Static_local_function_and_using_declaration_carry_the_taint()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    using var cts = new CancellationTokenSource();
                    var protocol = Pick({|#1:client.GetSupportedProtocols(peer)|});
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                    Sender.SendTo(peer.PeerId, Constant(client.GetSupportedProtocols(peer)), msg);

                    static ProtocolId Pick(ProtocolIdSet set) => set.Contains(ProtocolId.ConsensusRpcBcs) ? ProtocolId.ConsensusRpcBcs : ProtocolId.MempoolRpc;
                    static ProtocolId Constant(ProtocolIdSet set) => ProtocolId.ConsensusRpcBcs;
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Await_foreach_over_snapshots_of_the_store_is_a_source()
    {
        await Verify.VerifyAsync(Class("""
                async IAsyncEnumerable<PeersAndMetadataSnapshot> Snapshots()
                {
                    await Task.Yield();
                    yield return store.GetSnapshot();
                }

                async Task M()
                {
                    await foreach (var snapshot in Snapshots())
                    {
                        if ({|#1:snapshot.TryGetMetadataForPeer(peer, out var md)|})
                        {
                            var protocol = md.SupportedProtocols.Contains(ProtocolId.ConsensusRpcBcs) ? ProtocolId.ConsensusRpcBcs : ProtocolId.MempoolRpc;
                            {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                        }

                        Sender.SendTo(peer.PeerId, ProtocolId.MempoolRpc, msg);
                    }
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Await_foreach_over_the_stores_subscription_reads_stale_metadata()
    {
        // A notification's metadata was current when it was published; by the time the loop sends, the peer may
        // have reconnected (the notification of that is still queued behind this one).
        await Verify.VerifyAsync(Class("""
                async Task M(System.Threading.CancellationToken token)
                {
                    using var subscription = store.Subscribe();
                    await foreach (var n in subscription.Reader.ReadAllAsync(token))
                    {
                        if (n.Kind != ConnectionNotificationKind.NewPeer) continue;
                        var protocol = {|#1:n.Metadata|}.ApplicationProtocols.Contains(ProtocolId.ConsensusRpcBcs) ? ProtocolId.ConsensusRpcBcs : ProtocolId.MempoolRpc;
                        {|#0:client.GetSenderForNetwork(n.Peer.NetworkId).SendTo(n.Peer.PeerId, protocol, msg)|};
                    }
                }

                async Task Clean(System.Threading.CancellationToken token)
                {
                    using var subscription = store.Subscribe();
                    await foreach (var n in subscription.Reader.ReadAllAsync(token))
                    {
                        // Who to greet comes from the notification; the protocol is chosen by the atomic send.
                        if (n.Kind != ConnectionNotificationKind.NewPeer) continue;
                        if (!client.TrySendWithCurrentProtocol(n.Peer, prefs, msg, out var failure)) throw new PeerNetException(failure, n.Peer);
                        client.GetSenderForNetwork(n.Peer.NetworkId).SendTo(n.Peer.PeerId, ProtocolId.MempoolRpc, msg);
                    }
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task A_switch_over_other_data_after_a_switch_over_metadata_is_clean()
    {
        // The first switch's branches depend on stale metadata; the second one's only on the caller's kind.
        await Verify.VerifyAsync(Class("""
                void M(int kind, bool urgent)
                {
                    var md = {|#1:store.GetMetadataForPeer(peer)|};
                    var first = md switch
                    {
                        { SupportedProtocols.Count: > 1 } => ProtocolId.ConsensusRpcBcs,
                        _ => ProtocolId.MempoolRpc,
                    };
                    {|#0:Sender.SendTo(peer.PeerId, first, msg)|};
                    var second = kind switch
                    {
                        1 => ProtocolId.ConsensusRpcBcs,
                        _ => ProtocolId.MempoolRpc,
                    };
                    Sender.SendTo(peer.PeerId, second, msg);
                    ProtocolId third;
                    switch (kind)
                    {
                        case 1: third = ProtocolId.ConsensusRpcBcs; break;
                        default: third = ProtocolId.MempoolRpc; break;
                    }

                    Sender.SendTo(peer.PeerId, third, msg);
                    var fourth = urgent ? ProtocolId.ConsensusRpcBcs : ProtocolId.MempoolRpc;
                    Sender.SendTo(peer.PeerId, fourth, msg);
                }

                void StatementSwitchFirst(int kind)
                {
                    var md = {|#3:store.GetMetadataForPeer(peer)|};
                    ProtocolId first;
                    switch (md.SupportedProtocols.Count)
                    {
                        case > 1: first = ProtocolId.ConsensusRpcBcs; break;
                        default: first = ProtocolId.MempoolRpc; break;
                    }

                    {|#2:Sender.SendTo(peer.PeerId, first, msg)|};
                    var second = kind switch { 1 => ProtocolId.ConsensusRpcBcs, _ => ProtocolId.MempoolRpc };
                    Sender.SendTo(peer.PeerId, second, msg);
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1),
            Verify.Diagnostic("PN0001", 2, 3));
    }

    [Fact]
    public async Task A_guard_clause_on_metadata_does_not_taint_a_later_choice_over_other_data()
    {
        // Only a send the check itself decides (the constant sent only when the set holds it) is chosen by it.
        await Verify.VerifyAsync(Class("""
                void Throws(int kind)
                {
                    var md = store.GetMetadataForPeer(peer);
                    if (md is null) throw new System.InvalidOperationException("unknown peer");
                    var protocol = kind == 1 ? ProtocolId.ConsensusRpcBcs : ProtocolId.MempoolRpc;
                    Sender.SendTo(peer.PeerId, protocol, msg);
                }

                void Returns(int kind)
                {
                    var md = store.GetMetadataForPeer(peer);
                    if (md is null) return;
                    var protocol = kind == 1 ? ProtocolId.ConsensusRpcBcs : ProtocolId.MempoolRpc;
                    Sender.SendTo(peer.PeerId, protocol, msg);
                }

                void Constant()
                {
                    var set = {|#1:store.GetMetadataForPeer(peer)|}.SupportedProtocols;
                    if (!set.Contains(ProtocolId.ConsensusRpcBcs)) return;
                    {|#0:Sender.SendTo(peer.PeerId, ProtocolId.ConsensusRpcBcs, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }
}
