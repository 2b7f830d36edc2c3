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

        class PrimaryPlan(ProtocolId protocol, string note)
        {
            public ProtocolId Protocol => protocol;
            public string Note { get; } = note;
        }

        struct PrimaryFields(ProtocolId protocol, string note)
        {
            public readonly ProtocolId Protocol = protocol;
            public string Note { get { return note; } }
        }

        class PrimaryComputed(ProtocolId protocol, string note)
        {
            public ProtocolId Protocol => protocol == ProtocolId.MempoolRpc ? ProtocolId.MempoolRpc : protocol;
            public string Note => note;
        }

        class PrimaryUsedInAMethod(ProtocolId protocol, string note)
        {
            public ProtocolId Protocol => protocol;
            public string Note => note;
            public string Describe() => $"{protocol}: {note}";
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

    [Fact]
    public async Task Primary_constructor_parameters_keep_per_member_taint()
    {
        await Verify.VerifyAsync(Class("""
                void Clean()
                {
                    var set = client.GetSupportedProtocols(peer);
                    var plan = new PrimaryPlan(ProtocolId.ConsensusRpcBcs, $"peer supports {set}");
                    Sender.SendTo(peer.PeerId, plan.Protocol, msg);
                    var fields = new PrimaryFields(ProtocolId.ConsensusRpcBcs, set.ToString());
                    Sender.SendTo(peer.PeerId, fields.Protocol, msg);
                }

                void Stale()
                {
                    var plan = new PrimaryPlan({|#1:client.GetPreferredProtocolForPeer(peer, prefs)|}, "constant note");
                    {|#0:Sender.SendTo(peer.PeerId, plan.Protocol, msg)|};
                }

                void StaleField()
                {
                    var fields = new PrimaryFields({|#3:client.GetPreferredProtocolForPeer(peer, prefs)|}, "constant note");
                    {|#2:Sender.SendTo(peer.PeerId, fields.Protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1),
            Verify.Diagnostic("PN0001", 2, 3));
    }

    [Fact]
    public async Task Primary_constructor_parameter_used_beyond_one_member_taints_the_whole_object()
    {
        // A computed getter and a method reading the parameter: the engine cannot say which member holds it,
        // so a stale argument makes every member stale (never a miss).
        await Verify.VerifyAsync(Class("""
                void Computed()
                {
                    var plan = new PrimaryComputed({|#1:client.GetPreferredProtocolForPeer(peer, prefs)|}, "n");
                    {|#0:Sender.SendTo(peer.PeerId, plan.Protocol, msg)|};
                }

                void UsedInAMethod()
                {
                    var set = {|#3:client.GetSupportedProtocols(peer)|};
                    var plan = new PrimaryUsedInAMethod(ProtocolId.ConsensusRpcBcs, set.ToString());
                    {|#2:Sender.SendTo(peer.PeerId, plan.Protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1),
            Verify.Diagnostic("PN0001", 2, 3));
    }

    [Fact]
    public async Task A_summarized_factory_of_a_primary_constructor_object_returns_per_member_taint()
    {
        await Verify.VerifyAsync(Class("""
                PrimaryPlan Make(string note) => new PrimaryPlan(ProtocolId.ConsensusRpcBcs, note);

                PrimaryPlan MakeStale() => new PrimaryPlan(client.GetPreferredProtocolForPeer(peer, prefs), "n");

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
