using Verify = PeerNet.Analyzers.Tests.AnalyzerVerifier<PeerNet.Analyzers.PN0001PN0002SnapshotRaceAnalyzer>;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// PN0001 over objects one of whose members comes from a snapshot: the member is stale, not the whole
/// object (constructors, object initializers, `with`, deconstruction, and through summaries).
/// </summary>
public class PN0001FieldSensitiveObjectTests
{
    private const string Fields = """
            NetworkClient client = null!;
            PeersAndMetadata store = null!;
            PeerNetworkId peer;
            IReadOnlyList<ProtocolId> prefs = null!;
            Message msg = null!;
            INetworkSender Sender => client.GetSenderForNetwork(peer.NetworkId);
        """;

    private const string Types = """
        record Plan(ProtocolId Protocol, string Note);

        class MutablePlan
        {
            public ProtocolId Protocol { get; set; }
            public string Note { get; set; } = "";
        }

        class ClassicPlan
        {
            public ClassicPlan(ProtocolId protocol, string note)
            {
                Protocol = protocol;
                Note = note;
            }

            public ProtocolId Protocol { get; }
            public string Note { get; }
        }

        """;

    private static string Class(string members) => Types + "class C\n{\n" + Fields + "\n" + members + "\n}\n";

    [Fact]
    public async Task Record_with_a_constant_protocol_and_a_stale_note_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var set = client.GetSupportedProtocols(peer);
                    var plan = new Plan(ProtocolId.ConsensusRpcBcs, $"peer supports {set}");
                    Sender.SendTo(peer.PeerId, plan.Protocol, msg);
                }
            """));
    }

    [Fact]
    public async Task Record_whose_protocol_comes_from_the_snapshot_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var plan = new Plan({|#1:client.GetPreferredProtocolForPeer(peer, prefs)|}, "constant note");
                    {|#0:Sender.SendTo(peer.PeerId, plan.Protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Object_initializer_keeps_per_member_taint()
    {
        await Verify.VerifyAsync(Class("""
                void Clean()
                {
                    var set = client.GetSupportedProtocols(peer);
                    var plan = new MutablePlan { Protocol = ProtocolId.ConsensusRpcBcs, Note = set.ToString() };
                    Sender.SendTo(peer.PeerId, plan.Protocol, msg);
                }

                void Stale()
                {
                    var plan = new MutablePlan { Protocol = {|#1:client.GetPreferredProtocolForPeer(peer, prefs)|}, Note = "n" };
                    {|#0:Sender.SendTo(peer.PeerId, plan.Protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Constructor_assigning_parameters_to_members_keeps_per_member_taint()
    {
        await Verify.VerifyAsync(Class("""
                void Clean()
                {
                    var set = client.GetSupportedProtocols(peer);
                    var plan = new ClassicPlan(ProtocolId.ConsensusRpcBcs, set.ToString());
                    Sender.SendTo(peer.PeerId, plan.Protocol, msg);
                }

                void Stale()
                {
                    var plan = new ClassicPlan({|#1:client.GetPreferredProtocolForPeer(peer, prefs)|}, "n");
                    {|#0:Sender.SendTo(peer.PeerId, plan.Protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task With_expression_replaces_the_member_it_sets()
    {
        await Verify.VerifyAsync(Class("""
                void Clean()
                {
                    var stale = new Plan(client.GetPreferredProtocolForPeer(peer, prefs), "n");
                    var fixedPlan = stale with { Protocol = ProtocolId.ConsensusRpcBcs };
                    Sender.SendTo(peer.PeerId, fixedPlan.Protocol, msg);
                }

                void Stale()
                {
                    var set = client.GetSupportedProtocols(peer);
                    var plan = new Plan(ProtocolId.ConsensusRpcBcs, "n");
                    var noted = plan with { Note = set.ToString() };
                    var chosen = noted with { Protocol = {|#1:client.GetPreferredProtocolForPeer(peer, prefs)|} };
                    Sender.SendTo(peer.PeerId, noted.Protocol, msg);
                    {|#0:Sender.SendTo(peer.PeerId, chosen.Protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Deconstruction_of_a_record_keeps_per_member_taint()
    {
        await Verify.VerifyAsync(Class("""
                void Clean()
                {
                    var set = client.GetSupportedProtocols(peer);
                    var (protocol, note) = new Plan(ProtocolId.ConsensusRpcBcs, set.ToString());
                    Sender.SendTo(peer.PeerId, protocol, msg);
                }

                void Stale()
                {
                    var plan = new Plan({|#1:client.GetPreferredProtocolForPeer(peer, prefs)|}, "n");
                    var (protocol, note) = plan;
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task A_summarized_send_of_one_member_takes_only_that_member_of_the_argument()
    {
        await Verify.VerifyAsync(Class("""
                void Send(Plan plan) => Sender.SendTo(peer.PeerId, plan.Protocol, msg);

                void Clean()
                {
                    var set = client.GetSupportedProtocols(peer);
                    Send(new Plan(ProtocolId.ConsensusRpcBcs, set.ToString()));
                }

                void Stale()
                {
                    var plan = new Plan({|#1:client.GetPreferredProtocolForPeer(peer, prefs)|}, "n");
                    {|#0:Send(plan)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task A_summarized_factory_returns_per_member_taint()
    {
        await Verify.VerifyAsync(Class("""
                Plan Make(string note) => new Plan(ProtocolId.ConsensusRpcBcs, note);

                Plan MakeStale() => new Plan(client.GetPreferredProtocolForPeer(peer, prefs), "n");

                void Clean()
                {
                    var set = client.GetSupportedProtocols(peer);
                    var plan = Make(set.ToString());
                    Sender.SendTo(peer.PeerId, plan.Protocol, msg);
                }

                void Stale()
                {
                    var plan = {|#1:MakeStale()|};
                    {|#0:Sender.SendTo(peer.PeerId, plan.Protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }
}
