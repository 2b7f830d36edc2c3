using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using PeerNet.Package.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PeerNet.Package.Tests;

/// <summary>
/// The IDE path: csharp-ls (a Roslyn language server, the repository's local dotnet tool) loads the restored
/// sample copy, and its pull diagnostics show the packaged analyzer's PN0001 on a racy send, then drop it
/// once the editor's text is the atomic form.
/// </summary>
[Collection(PackageFeedCollection.Name)]
public sealed class LanguageServerTests(PackageFeedFixture feed, ITestOutputHelper output)
{
    private static readonly TimeSpan WorkspaceLoadTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan ReanalysisTimeout = TimeSpan.FromSeconds(60);

    private const string RacyLines =
        "            ProtocolId protocol = _client.GetPreferredProtocolForPeer(peer, Preferences);\n" +
        "            _client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, vote);\n";

    private const string AtomicLines =
        "            if (!_client.TrySendWithCurrentProtocol(peer, Preferences, vote, out SendFailure failure))\n" +
        "            {\n" +
        "                throw new System.InvalidOperationException($\"Vote to {peer} not sent: {failure}.\");\n" +
        "            }\n";

    [Fact]
    public async Task Csharp_ls_reports_PN0001_on_the_racy_send_and_clears_it_for_the_atomic_form()
    {
        var tools = ProcessRunner.Dotnet(RepoPaths.Root, TimeSpan.FromMinutes(3), "tool", "restore");
        Assert.True(tools.ExitCode == 0, "`dotnet tool restore` (csharp-ls from .config/dotnet-tools.json) failed." + Environment.NewLine + tools.Describe());

        var sample = feed.CreateSampleCopy("ide");
        // `dotnet tool run` finds the tool through the manifest above its working directory: give the copy one.
        Directory.CreateDirectory(sample.PathOf(".config"));
        File.Copy(Path.Combine(RepoPaths.Root, ".config", "dotnet-tools.json"), sample.PathOf(Path.Combine(".config", "dotnet-tools.json")));

        var path = sample.PathOf("DirectSends.cs");
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.Contains(RacyLines, text, StringComparison.Ordinal);
        var uri = new Uri(path).AbsoluteUri;
        var rootUri = new Uri(sample.Directory + Path.DirectorySeparatorChar).AbsoluteUri;

        // The racy send the build reports: DirectSends.cs line 24, column 13 (1-based) is LSP (23, 12).
        var racySend = ExpectedDiagnostics.InSample.Single(d => d.File == "DirectSends.cs" && d.Id == "PN0001" && d.Line == LineOf(text, ".SendTo(peer.PeerId, protocol, vote)"));
        var proposalSend = ExpectedDiagnostics.InSample.Single(d => d.File == "DirectSends.cs" && d.Id == "PN0001" && d.Line == LineOf(text, ".SendTo(peer.PeerId, candidate, proposal)"));

        var stopwatch = Stopwatch.StartNew();
        await using var server = LspClient.Start(
            "dotnet",
            new[] { "tool", "run", "csharp-ls", "--", "--loglevel", "info" },
            sample.Directory,
            new JsonObject { ["analyzersEnabled"] = true });

        await server.RequestAsync("initialize", new JsonObject
        {
            ["processId"] = Environment.ProcessId,
            ["rootUri"] = rootUri,
            ["rootPath"] = sample.Directory,
            ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = rootUri, ["name"] = "LegacySender" }),
            ["capabilities"] = new JsonObject
            {
                ["workspace"] = new JsonObject { ["configuration"] = true, ["workspaceFolders"] = true },
                ["textDocument"] = new JsonObject
                {
                    ["synchronization"] = new JsonObject { ["dynamicRegistration"] = true },
                    ["diagnostic"] = new JsonObject { ["dynamicRegistration"] = true },
                    ["publishDiagnostics"] = new JsonObject(),
                },
                ["window"] = new JsonObject { ["workDoneProgress"] = true },
            },
        }, TimeSpan.FromSeconds(60));
        await server.NotifyAsync("initialized", new JsonObject());
        await server.NotifyAsync("textDocument/didOpen", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = uri, ["languageId"] = "csharp", ["version"] = 1, ["text"] = text },
        });

        // Until the project is loaded, the file has no (or only compiler) diagnostics: ask again, bounded.
        var before = await PullUntilAsync(
            server, uri, items => Pn0001Lines(items).SetEquals(new[] { racySend.Line - 1, proposalSend.Line - 1 }), WorkspaceLoadTimeout, "PN0001 on both racy sends");
        var loaded = stopwatch.Elapsed;
        var racy = before.Single(d => Code(d) == "PN0001" && StartLine(d) == racySend.Line - 1);
        var start = racy.GetProperty("range").GetProperty("start");
        Assert.True(
            start.GetProperty("line").GetInt32() == racySend.Line - 1 && start.GetProperty("character").GetInt32() == racySend.Column - 1,
            $"PN0001 should start at ({racySend.Line - 1}, {racySend.Column - 1}), the send invocation; csharp-ls says {racy.GetRawText()}");
        Assert.Equal(racy.GetProperty("range").GetProperty("end").GetProperty("line").GetInt32(), racySend.Line - 1);

        // The editor rewrites SendVote to the atomic send (full-text sync).
        var atomic = text.Replace(RacyLines, AtomicLines, StringComparison.Ordinal);
        var proposalLineAfter = LineOf(atomic, ".SendTo(peer.PeerId, candidate, proposal)");
        await server.NotifyAsync("textDocument/didChange", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = uri, ["version"] = 2 },
            ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = atomic }),
        });

        // The analyzer still runs on the new text (SendProposal keeps its PN0001, on its moved line) and the
        // racy send's PN0001 is gone.
        var after = await PullUntilAsync(server, uri, items => Pn0001Lines(items).SetEquals(new[] { proposalLineAfter - 1 }), ReanalysisTimeout, "only SendProposal's PN0001 after the edit");
        Assert.DoesNotContain(after, d => Code(d) == "PN0001" && StartLine(d) < proposalLineAfter - 2);
        Assert.DoesNotContain(after, d => (d.TryGetProperty("severity", out var s) ? s.GetInt32() : 0) == 1);
        output.WriteLine($"csharp-ls: workspace loaded and PN0001 reported after {loaded.TotalSeconds:F1} s; cleared after the edit at {stopwatch.Elapsed.TotalSeconds:F1} s.");
    }

    private static async Task<List<JsonElement>> PullUntilAsync(LspClient server, string uri, Func<List<JsonElement>, bool> done, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        List<JsonElement> last = new();
        string? lastError = null;
        var attempts = 0;
        while (deadline.Elapsed < timeout)
        {
            attempts++;
            try
            {
                var report = await server.RequestAsync(
                    "textDocument/diagnostic",
                    new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = uri } },
                    TimeSpan.FromSeconds(60));
                last = report.ValueKind == JsonValueKind.Object && report.TryGetProperty("items", out var items)
                    ? items.EnumerateArray().Select(i => i.Clone()).ToList()
                    : new List<JsonElement>();
                lastError = null;
                if (done(last))
                {
                    return last;
                }
            }
            catch (LspErrorException e)
            {
                lastError = e.Error;
            }

            if (server.HasExited)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        throw new Xunit.Sdk.XunitException(
            $"csharp-ls did not report {what} within {timeout.TotalSeconds:F0} s ({attempts} pulls; server {(server.HasExited ? "exited" : "running")})." + Environment.NewLine +
            $"Last diagnostics: {Describe(last)}" + Environment.NewLine +
            (lastError is null ? "" : $"Last error: {lastError}{Environment.NewLine}") +
            "--- server log ---" + Environment.NewLine + server.Log);
    }

    private static HashSet<int> Pn0001Lines(List<JsonElement> items) =>
        items.Where(d => Code(d) == "PN0001").Select(StartLine).ToHashSet();

    private static string? Code(JsonElement diagnostic) =>
        diagnostic.TryGetProperty("code", out var code) ? (code.ValueKind == JsonValueKind.String ? code.GetString() : code.GetRawText()) : null;

    private static int StartLine(JsonElement diagnostic) =>
        diagnostic.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32();

    private static string Describe(List<JsonElement> items) =>
        items.Count == 0 ? "(none)" : string.Join(Environment.NewLine, items.Select(i => "  " + i.GetRawText()));

    /// <summary>The 1-based line of the only line containing <paramref name="fragment"/>.</summary>
    private static int LineOf(string text, string fragment)
    {
        var lines = text.Split('\n');
        var matches = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains(fragment, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"Expected one line containing '{fragment}', found {matches.Count}.");
        return matches[0] + 1;
    }
}
