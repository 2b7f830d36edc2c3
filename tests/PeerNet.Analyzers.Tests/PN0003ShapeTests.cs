using Verify = PeerNet.Analyzers.Tests.AnalyzerVerifier<PeerNet.Analyzers.PN0003DiscardedTrySendResultAnalyzer>;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// PN0003's further shapes: a result overwritten before it is read, a Task/ValueTask of a Try-send
/// discarded, and a user's own method returning a Try-send's result (it is a Try-send itself).
/// </summary>
public class PN0003ShapeTests
{
    private const string Fields = """
            NetworkClient client = null!;
            PeerNetworkId peer;
            IReadOnlyList<ProtocolId> prefs = null!;
            Message msg = null!;
        """;

    private static string Class(string members) => "class C\n{\n" + Fields + "\n" + members + "\n}\n";

    [Fact]
    public async Task Result_overwritten_before_it_is_read_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                bool M()
                {
                    var ok = {|#0:client.TrySendWithCurrentProtocol(peer, prefs, msg, out _)|};
                    ok = client.TrySendWithCurrentProtocol(peer, prefs, msg, out _);
                    return ok;
                }
            """),
            Verify.Diagnostic("PN0003", 0).WithArguments("TrySendWithCurrentProtocol", "overwritten before it is read"));
    }

    [Fact]
    public async Task Result_read_on_some_path_before_being_overwritten_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                bool M(bool retry)
                {
                    var ok = client.TrySendWithCurrentProtocol(peer, prefs, msg, out _);
                    if (!retry) return ok;
                    ok = client.TrySendWithCurrentProtocol(peer, prefs, msg, out _);
                    return ok;
                }

                bool Loop()
                {
                    bool ok = false;
                    for (int i = 0; i < 3 && !ok; i++)
                        ok = client.TrySendWithCurrentProtocol(peer, prefs, msg, out _);
                    return ok;
                }

                bool Accumulate()
                {
                    var ok = client.TrySendWithCurrentProtocol(peer, prefs, msg, out _);
                    ok = ok & client.TrySendWithCurrentProtocol(peer, prefs, msg, out _);
                    return ok;
                }

                bool Captured()
                {
                    var ok = client.TrySendWithCurrentProtocol(peer, prefs, msg, out _);
                    Func<bool> read = () => ok;
                    ok = client.TrySendWithCurrentProtocol(peer, prefs, msg, out _);
                    return read() && ok;
                }
            """));
    }

    [Fact]
    public async Task Task_of_a_Try_send_discarded_is_reported()
    {
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    _ = {|#0:Task.Run(() => client.TrySendWithCurrentProtocol(peer, prefs, msg, out _))|};
                    {|#1:Task.Run(() => { return client.TrySendWithCurrentProtocol(peer, prefs, msg, out _); })|};
                }
            """),
            Verify.Diagnostic("PN0003", 0).WithArguments("TrySendWithCurrentProtocol", "assigned to '_'"),
            Verify.Diagnostic("PN0003", 1).WithArguments("TrySendWithCurrentProtocol", "the call is a statement"));
    }

    [Fact]
    public async Task Task_of_a_Try_send_awaited_or_observed_is_not_reported()
    {
        await Verify.VerifyAsync(Class("""
                async Task<bool> M()
                {
                    var ok = await Task.Run(() => client.TrySendWithCurrentProtocol(peer, prefs, msg, out _));
                    var task = Task.Run(() => client.TrySendWithCurrentProtocol(peer, prefs, msg, out _));
                    _ = Task.Run(() => { client.SendToPeer(msg, peer); });
                    _ = Task.Run(() => prefs.Count > 0);
                    return ok && await task;
                }
            """));
    }

    [Fact]
    public async Task A_users_method_returning_a_Try_send_result_is_a_Try_send()
    {
        await Verify.VerifyAsync(Class("""
                bool TrySend() => client.TrySendWithCurrentProtocol(peer, prefs, msg, out _);

                async ValueTask<bool> TrySendAsync()
                {
                    await Task.Yield();
                    return TrySend();
                }

                bool NotATrySend() => prefs.Count > 0;

                async Task M()
                {
                    {|#0:TrySend()|};
                    _ = {|#1:TrySendAsync()|};
                    NotATrySend();
                    if (!TrySend()) throw new InvalidOperationException();
                    if (!await TrySendAsync()) throw new InvalidOperationException();
                }
            """),
            Verify.Diagnostic("PN0003", 0).WithArguments("TrySend", "the call is a statement"),
            Verify.Diagnostic("PN0003", 1).WithArguments("TrySendAsync", "assigned to '_'"));
    }

    [Fact]
    public async Task Wrappers_of_any_depth_and_mutually_recursive_ones_are_Try_sends_and_loops_without_one_are_not()
    {
        // Five wrappers deep; two that call each other, one of which also returns a Try-send in one branch (both are
        // wrappers, whichever is asked first); a switch expression with one such arm; two that only call each other
        // and a chain ending in a plain bool (none of those is).
        await Verify.VerifyAsync(Class("""
                bool W1() => client.TrySendWithCurrentProtocol(peer, prefs, msg, out _);
                bool W2() => W1();
                bool W3() => W2();
                bool W4() => W3();
                bool W5() => W4();

                bool Ping(int n) => n > 0 ? Pong(n - 1) : client.TrySendWithCurrentProtocol(peer, prefs, msg, out _);
                bool Pong(int n) => Ping(n);

                bool Pick(int k) => k switch { 0 => W2(), _ => false };

                bool Tick(int n) => n > 0 && Tock(n - 1);
                bool Tock(int n) => Tick(n);

                bool B1() => prefs.Count > 0;
                bool B2() => B1();
                bool B3() => B2();
                bool B4() => B3();

                void M()
                {
                    {|#0:W5()|};
                    {|#1:Ping(3)|};
                    {|#2:Pong(3)|};
                    {|#3:Pick(1)|};
                    Tick(3);
                    B4();
                }
            """),
            Verify.Diagnostic("PN0003", 0).WithArguments("W5", "the call is a statement"),
            Verify.Diagnostic("PN0003", 1).WithArguments("Ping", "the call is a statement"),
            Verify.Diagnostic("PN0003", 2).WithArguments("Pong", "the call is a statement"),
            Verify.Diagnostic("PN0003", 3).WithArguments("Pick", "the call is a statement"));
    }
}
