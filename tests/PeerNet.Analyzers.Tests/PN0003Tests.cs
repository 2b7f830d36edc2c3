using Verify = PeerNet.Analyzers.Tests.AnalyzerVerifier<PeerNet.Analyzers.PN0003DiscardedTrySendResultAnalyzer>;

namespace PeerNet.Analyzers.Tests;

/// <summary>PN0003: the result of a Try-send discarded.</summary>
public class PN0003Tests
{
    private const string Fields = """
            NetworkClient client = null!;
            PeerNetworkId peer;
            IReadOnlyList<ProtocolId> prefs = null!;
            Message msg = null!;
            IConnectionBoundSender bound = null!;
        """;

    private static string Class(string members) => "class C\n{\n" + Fields + "\n" + members + "\n}\n";

    [Fact]
    public async Task Expression_statement_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    {|#0:client.TrySendWithCurrentProtocol(peer, msg, out _)|};
                }
            """),
            Verify.Diagnostic("PN0003", 0).WithArguments("TrySendWithCurrentProtocol", "the call is a statement"));
    }

    [Fact]
    public async Task Assigned_to_discard_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    _ = {|#0:client.TrySendWithCurrentProtocol(peer, prefs, msg, out var failure)|};
                }
            """),
            Verify.Diagnostic("PN0003", 0).WithArguments("TrySendWithCurrentProtocol", "assigned to '_'"));
    }

    [Fact]
    public async Task Stored_in_a_local_never_read_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    var sent = {|#0:client.TrySendWithCurrentProtocol(peer, msg, out _)|};
                    bool again;
                    again = {|#1:client.TrySendWithCurrentProtocol(peer, msg, out _)|};
                }
            """),
            Verify.Diagnostic("PN0003", 0).WithArguments("TrySendWithCurrentProtocol", "stored in a local that is never read"),
            Verify.Diagnostic("PN0003", 1));
    }

    [Fact]
    public async Task Failure_variable_only_written_by_out_is_still_discarded()
    {
        await Verify.VerifyAsync(Class("""
                Func<Task> M()
                {
                    return async () =>
                    {
                        await Task.Yield();
                        SendFailure why;
                        {|#0:client.TrySendWithCurrentProtocol(peer, msg, out why)|};
                    };
                }
            """),
            Verify.Diagnostic("PN0003", 0));
    }

    [Fact]
    public async Task TrySendOnConnection_SendFailure_discarded_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M(ConnectionId id)
                {
                    {|#0:bound.TrySendOnConnection(peer.PeerId, id, ProtocolId.MempoolDirectSend, msg)|};
                }
            """),
            Verify.Diagnostic("PN0003", 0));
    }

    [Fact]
    public async Task Conditional_access_statement_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M(NetworkClient? maybe)
                {
                    maybe?{|#0:.TrySendWithCurrentProtocol(peer, msg, out _)|};
                }
            """),
            Verify.Diagnostic("PN0003", 0));
    }

    [Fact]
    public async Task Configured_try_send_is_reported()
    {
        await Verify.VerifyAsync("""
            namespace My
            {
                class Link { public bool TryPush(byte[] data) => true; }
                class User { void M(Link l) { {|#0:l.TryPush(new byte[0])|}; } }
            }
            """,
            test => test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\npeernet.try_sends = M:My.Link.TryPush(System.Byte[])\n")),
            Verify.Diagnostic("PN0003", 0));
    }

    [Fact]
    public async Task Properties_say_how_it_was_discarded()
    {
        var diagnostics = await Verify.GetDiagnosticsAsync(Class("""
                void M(ConnectionId id)
                {
                    _ = bound.TrySendOnConnection(peer.PeerId, id, ProtocolId.MempoolDirectSend, msg);
                }
            """));
        var d = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticProperties.DiscardedToDiscard, d.Properties[DiagnosticProperties.DiscardKind]);
        Assert.Equal(new[] { DiagnosticProperties.DiscardKind }, d.Properties.Keys);
        Assert.StartsWith("The result of 'TrySendOnConnection' is discarded (assigned to '_')", d.GetMessage());
        Assert.Equal("https://github.com/peernet/PeerNet.Analyzers/blob/main/docs/rules/PN0003.md", d.Descriptor.HelpLinkUri);
    }

    // ------------------------------------------------------------------ negatives

    [Fact]
    public async Task Result_checked_in_if_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    if (!client.TrySendWithCurrentProtocol(peer, msg, out var failure))
                        throw new PeerNetException(failure, peer, "send failed");
                }
            """));
    }

    [Fact]
    public async Task Result_stored_and_read_later_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                bool M()
                {
                    var sent = client.TrySendWithCurrentProtocol(peer, msg, out _);
                    Console.WriteLine("sending");
                    return sent;
                }
            """));
    }

    [Fact]
    public async Task Failure_out_argument_read_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    client.TrySendWithCurrentProtocol(peer, msg, out var failure);
                    if (failure != SendFailure.None) Console.WriteLine(failure);
                }
            """));
    }

    [Fact]
    public async Task Result_returned_or_passed_on_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                SendFailure M(ConnectionId id)
                {
                    Console.WriteLine(client.TrySendWithCurrentProtocol(peer, msg, out _));
                    return bound.TrySendOnConnection(peer.PeerId, id, ProtocolId.MempoolDirectSend, msg);
                }
            """));
    }

    [Fact]
    public async Task Result_returned_from_a_lambda_or_combined_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                bool sentField;
                void M(List<Func<bool>> jobs, bool other)
                {
                    jobs.Add(() => client.TrySendWithCurrentProtocol(peer, msg, out _));
                    if (other && client.TrySendWithCurrentProtocol(peer, msg, out _)) Console.WriteLine("ok");
                    sentField = client.TrySendWithCurrentProtocol(peer, msg, out _);
                }
            """));
    }

    [Fact]
    public async Task User_method_named_TrySendWithCurrentProtocol_is_not_PeerNet()
    {
        await Verify.VerifyAsync("""
            class MyClient { public bool TrySendWithCurrentProtocol(PeerNetworkId p, Message m, out SendFailure f) { f = SendFailure.None; return true; } }
            class User { void M(MyClient c, PeerNetworkId p, Message m) { c.TrySendWithCurrentProtocol(p, m, out _); } }
            """);
    }

    [Fact]
    public async Task Void_and_throwing_sends_are_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                async Task M()
                {
                    client.SendToPeer(msg, peer);
                    await client.SendToPeerRpcAsync(msg, TimeSpan.FromSeconds(1), peer);
                }
            """));
    }

    [Fact]
    public async Task SendFailure_compared_is_not_PN0003()
    {
        await Verify.VerifyAsync(Class("""
                void M(IConnectionBoundSender bound, ConnectionId id)
                {
                    if (bound.TrySendOnConnection(peer.PeerId, id, ProtocolId.MempoolRpc, msg) != SendFailure.None)
                        Console.WriteLine("failed");
                }
            """));
    }

    [Fact]
    public async Task Result_assigned_to_existing_local_and_returned_is_not_PN0003()
    {
        await Verify.VerifyAsync(Class("""
                bool M()
                {
                    bool ok;
                    ok = client.TrySendWithCurrentProtocol(peer, msg, out _);
                    return ok;
                }
            """));
    }
}
