using Verify = PeerNet.Analyzers.Tests.AnalyzerVerifier<PeerNet.Analyzers.PN0001PN0002SnapshotRaceAnalyzer>;

namespace PeerNet.Analyzers.Tests;

/// <summary>PN0002: a version check guarding a separate send of a snapshot-derived protocol.</summary>
public class PN0002Tests
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

    private static readonly string IsCurrentGuard = Class("""
            void M()
            {
                var snapshot = {|#1:store.GetSnapshot()|};
                var protocol = snapshot.GetMetadataForPeer(peer).SupportedProtocols.First();
                if ({|#2:store.IsCurrent(snapshot.Version)|})
                {
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            }
        """);

    [Fact]
    public async Task IsCurrent_guarding_a_send_is_PN0002_with_read_and_check_as_additional_locations()
    {
        await Verify.VerifyAsync(IsCurrentGuard,
            Verify.Diagnostic("PN0002", 0, 1, 2).WithArguments("protocol", "GetSnapshot", "SendTo", "IsCurrent"));
    }

    [Fact]
    public async Task IsCurrent_guarding_a_send_is_not_PN0001_even_with_PN0002_turned_off()
    {
        await Verify.VerifyAsync(
            IsCurrentGuard.Replace("{|#0:", string.Empty).Replace("{|#1:", string.Empty).Replace("{|#2:", string.Empty).Replace("|}", string.Empty),
            test => test.DisabledDiagnostics.Add("PN0002"));
    }

    [Fact]
    public async Task Version_comparison_guarding_a_send_is_PN0002()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var snapshot = {|#1:store.GetSnapshot()|};
                    var protocol = snapshot.GetMetadataForPeer(peer).SupportedProtocols.First();
                    if ({|#2:snapshot.Version != store.CurrentVersion|}) return;
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """),
            Verify.Diagnostic("PN0002", 0, 1, 2).WithArguments("protocol", "GetSnapshot", "SendTo", "snapshot.Version != store.CurrentVersion"));
    }

    [Fact]
    public async Task Properties_name_the_check()
    {
        var diagnostics = await Verify.GetDiagnosticsAsync(IsCurrentGuard.Replace("{|#0:", string.Empty).Replace("{|#1:", string.Empty).Replace("{|#2:", string.Empty).Replace("|}", string.Empty));
        var d = Assert.Single(diagnostics);
        Assert.StartsWith("Protocol 'protocol' from cached snapshot read 'GetSnapshot' is sent with 'SendTo' after version check 'IsCurrent'", d.GetMessage());
        Assert.Equal("Direct", d.Properties[DiagnosticProperties.SendKind]);
        Assert.Equal(new[] { DiagnosticProperties.SendKind }, d.Properties.Keys);
        Assert.Equal(2, d.AdditionalLocations.Count);
        Assert.Equal("https://github.com/peernet/PeerNet.Analyzers/blob/main/docs/rules/PN0002.md", d.Descriptor.HelpLinkUri);
    }

    [Fact]
    public async Task User_version_check_attribute_and_configured_check_are_honoured()
    {
        await Verify.VerifyAsync(Class("""
                [SnapshotVersionCheck] bool StillFresh(SnapshotVersion v) => store.IsCurrent(v);
                bool Fresh2(SnapshotVersion v) => true;

                void M()
                {
                    var protocol = {|#1:client.GetPreferredProtocolForPeer(peer, prefs)|};
                    if ({|#2:StillFresh(store.CurrentVersion)|}) {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }

                void N()
                {
                    var protocol = {|#4:client.GetPreferredProtocolForPeer(peer, prefs)|};
                    if ({|#5:Fresh2(store.CurrentVersion)|}) {|#3:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """),
            test => test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\npeernet.version_checks = M:C.Fresh2(PeerNet.SnapshotVersion)\n")),
            Verify.Diagnostic("PN0002", 0, 1, 2),
            Verify.Diagnostic("PN0002", 3, 4, 5));
    }

    [Fact]
    public async Task Check_in_a_retry_loop_is_PN0002()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    while (true)
                    {
                        var snapshot = {|#1:store.GetSnapshot()|};
                        var protocol = snapshot.GetMetadataForPeer(peer).SupportedProtocols.First();
                        if (!{|#2:store.IsCurrent(snapshot.Version)|}) continue;
                        {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                        return;
                    }
                }
            """),
            Verify.Diagnostic("PN0002", 0, 1, 2));
    }

    // ------------------------------------------------------------------ negatives

    [Fact]
    public async Task Check_then_constant_send_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var snapshot = store.GetSnapshot();
                    if (store.IsCurrent(snapshot.Version))
                        Sender.SendTo(peer.PeerId, ProtocolId.ConsensusRpcBcs, msg);
                }
            """));
    }

    [Fact]
    public async Task Check_after_the_send_is_PN0001_not_PN0002()
    {
        const string source = """
                void M()
                {
                    var snapshot = {|#1:store.GetSnapshot()|};
                    var protocol = snapshot.GetMetadataForPeer(peer).SupportedProtocols.First();
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                    Console.WriteLine(store.IsCurrent(snapshot.Version));
                }
            """;
        await Verify.VerifyAsync(Class(source), Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Unguarded_send_is_PN0001_not_PN0002()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var protocol = {|#1:client.GetPreferredProtocolForPeer(peer, prefs)|};
                    {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """), Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task Check_guarding_the_atomic_send_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                bool M()
                {
                    var snapshot = store.GetSnapshot();
                    if (!store.IsCurrent(snapshot.Version)) return false;
                    return client.TrySendWithCurrentProtocol(peer, prefs, msg, out _);
                }
            """));
    }

    [Fact]
    public async Task Check_then_connection_bound_send_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                SendFailure M(IConnectionBoundSender bound)
                {
                    var snapshot = store.GetSnapshot();
                    var md = snapshot.GetMetadataForPeer(peer);
                    if (!store.IsCurrent(snapshot.Version)) return SendFailure.ConnectionReplaced;
                    return bound.TrySendOnConnection(peer.PeerId, md.ConnectionMetadata.ConnectionId, md.SupportedProtocols.First(), msg);
                }
            """));
    }

    [Fact]
    public async Task Comparing_other_values_is_not_a_version_check()
    {
        await Verify.VerifyAsync(Class("""
                void M(int attempts)
                {
                    var protocol = {|#1:client.GetPreferredProtocolForPeer(peer, prefs)|};
                    if (attempts < 3) {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """), Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task User_method_named_IsCurrent_without_annotation_is_not_a_check()
    {
        await Verify.VerifyAsync(Class("""
                bool IsCurrent(SnapshotVersion v) => true;
                void M()
                {
                    var protocol = {|#1:client.GetPreferredProtocolForPeer(peer, prefs)|};
                    if (IsCurrent(default)) {|#0:Sender.SendTo(peer.PeerId, protocol, msg)|};
                }
            """), Verify.Diagnostic("PN0001", 0, 1));
    }
}
