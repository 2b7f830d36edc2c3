using Verify = PeerNet.Analyzers.Tests.AnalyzerVerifier<PeerNet.Analyzers.PN0001PN0002SnapshotRaceAnalyzer>;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// PN0001 over caches of a chosen protocol: stored from a snapshot in a collection or lazy holder in one
/// method, read back in another and sent. A cache filled only from constants or atomic results is clean.
/// </summary>
public class PN0001CacheTests
{
    private const string Fields = """
            NetworkClient client = null!;
            PeersAndMetadata store = null!;
            PeerNetworkId peer;
            IReadOnlyList<ProtocolId> prefs = null!;
            Message msg = null!;
            INetworkSender Sender => client.GetSenderForNetwork(peer.NetworkId);
        """;

    private static string Class(string members) =>
        "using System.Collections.Concurrent;\nusing System.Collections.Frozen;\nusing System.Collections.Immutable;\nclass C\n{\n" + Fields + "\n" + members + "\n}\n";

    [Fact]
    public async Task Dictionary_filled_by_indexer_and_read_with_TryGetValue_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                private readonly Dictionary<PeerNetworkId, ProtocolId> _chosen = new();

                void Remember() => _chosen[peer] = client.GetPreferredProtocolForPeer(peer, prefs);

                void Send()
                {
                    if ({|#1:_chosen|}.TryGetValue(peer, out var protocol))
                        {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Dictionary_filled_from_constants_and_atomic_results_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                private readonly Dictionary<PeerNetworkId, ProtocolId> _chosen = new();
                private readonly List<ProtocolId> _used = new();

                void Remember()
                {
                    _chosen[peer] = ProtocolId.ConsensusRpcBcs;
                    _chosen.Add(peer, ProtocolId.MempoolRpc);
                    if (client.TrySendWithCurrentProtocol(peer, prefs, msg, out var failure))
                        _used.Add(ProtocolId.ConsensusRpcBcs);
                }

                void Send()
                {
                    if (_chosen.TryGetValue(peer, out var protocol))
                        Sender.SendTo(peer.PeerId, protocol, msg);
                    Sender.SendTo(peer.PeerId, _chosen[peer], msg);
                    foreach (var p in _used) Sender.SendTo(peer.PeerId, p, msg);
                }
            """));
    }

    [Fact]
    public async Task ConcurrentDictionary_GetOrAdd_with_a_snapshot_factory_is_reported_where_read()
    {
        await Verify.VerifyAsync(Class("""
                private readonly ConcurrentDictionary<PeerNetworkId, ProtocolId> _chosen = new();

                ProtocolId Choose() => _chosen.GetOrAdd(peer, p => client.GetPreferredProtocolForPeer(p, prefs));

                void Send()
                {
                    {|#0:Sender.SendTo(peer.PeerId, {|#1:_chosen|}.GetValueOrDefault(peer), msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task List_Add_then_enumeration_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                private readonly List<ProtocolId> _plan = new();

                void Plan() => _plan.Add(client.GetPreferredProtocolForPeer(peer, prefs));

                void Send()
                {
                    foreach (var protocol in {|#1:_plan|})
                        {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Array_element_store_then_read_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                private readonly ProtocolId[] _byPeer = new ProtocolId[4];

                void Plan(int i) => _byPeer[i] = client.GetPreferredProtocolForPeer(peer, prefs);

                void Send(int i) => {|#0:Sender.SendTo(peer.PeerId, {|#1:_byPeer|}[i], msg)|};
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Lazy_value_of_a_snapshot_read_is_reported_and_of_a_constant_is_not()
    {
        await Verify.VerifyAsync(Class("""
                private Lazy<ProtocolId> _stale = null!;
                private readonly Lazy<ProtocolId> _fixed = new(() => ProtocolId.ConsensusRpcBcs);

                void Warm() => _stale = new Lazy<ProtocolId>(() => client.GetPreferredProtocolForPeer(peer, prefs));

                void Send()
                {
                    {|#0:Sender.SendTo(peer.PeerId, {|#1:_stale|}.Value, msg)|};
                    Sender.SendTo(peer.PeerId, _fixed.Value, msg);
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Immutable_and_frozen_dictionaries_built_from_a_snapshot_are_reported()
    {
        await Verify.VerifyAsync(Class("""
                private ImmutableDictionary<PeerNetworkId, ProtocolId> _imm = ImmutableDictionary<PeerNetworkId, ProtocolId>.Empty;
                private FrozenDictionary<PeerNetworkId, ProtocolId> _frozen = FrozenDictionary<PeerNetworkId, ProtocolId>.Empty;
                private ImmutableDictionary<PeerNetworkId, ProtocolId> _clean = ImmutableDictionary<PeerNetworkId, ProtocolId>.Empty;

                void Build()
                {
                    _imm = _imm.SetItem(peer, client.GetPreferredProtocolForPeer(peer, prefs));
                    var d = new Dictionary<PeerNetworkId, ProtocolId>();
                    d[peer] = client.GetPreferredProtocolForPeer(peer, prefs);
                    _frozen = d.ToFrozenDictionary();
                    _clean = _clean.SetItem(peer, ProtocolId.MempoolRpc);
                }

                void Send()
                {
                    {|#0:Sender.SendTo(peer.PeerId, {|#1:_imm|}[peer], msg)|};
                    {|#2:Sender.SendTo(peer.PeerId, {|#3:_frozen|}[peer], msg)|};
                    Sender.SendTo(peer.PeerId, _clean[peer], msg);
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1),
            Verify.Diagnostic("PN0001", 2, 3));
    }

    [Fact]
    public async Task Cache_filled_through_a_summarized_helper_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                private readonly Dictionary<PeerNetworkId, ProtocolId> _chosen = new();

                ProtocolId Pick() => client.GetPreferredProtocolForPeer(peer, prefs);

                void Remember() => _chosen.Add(peer, Pick());

                void Send() => {|#0:Sender.SendTo(peer.PeerId, {|#1:_chosen|}[peer], msg)|};
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }
}
