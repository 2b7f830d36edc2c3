using System.Text.Json;
using PeerNet.Package.Tests.Infrastructure;

namespace PeerNet.Package.Tests;

/// <summary>
/// The path a user takes with the packed PeerNet.Analyzers: restore samples/LegacySender against the
/// folder feed, then the .NET SDK's own tools (build, .editorconfig, ErrorLog/SARIF, dotnet format).
/// Each test works on its own restored copy of the sample; the pack is shared (PackageFeedFixture).
/// </summary>
[Collection(PackageFeedCollection.Name)]
public sealed class EndToEndTests(PackageFeedFixture feed)
{
    private static readonly string[] RuleIds = { "PN0001", "PN0002", "PN0003" };

    private static readonly string[] FormatArguments =
        { "--diagnostics", "PN0001", "PN0002", "PN0003", "--severity", "warn", "--no-restore" };

    [Fact]
    public void Build_reports_each_racy_pattern_at_its_line_as_a_warning()
    {
        var sample = feed.CreateSampleCopy("build");
        var build = sample.Build();

        Assert.True(build.ExitCode == 0, "The sample must build (its findings are warnings by default)." + Environment.NewLine + build.Describe());
        var reported = SampleCopy.ParseDiagnostics(build);
        AssertSameLocations(ExpectedDiagnostics.InSample, reported.Where(d => RuleIds.Contains(d.Id)), build);
        Assert.True(
            reported.Where(d => RuleIds.Contains(d.Id)).All(d => d.Severity == "warning"),
            "PN diagnostics must be warnings by default:" + Environment.NewLine + string.Join(Environment.NewLine, reported));
        var others = reported.Where(d => !RuleIds.Contains(d.Id)).ToList();
        Assert.True(others.Count == 0, "The sample must build without other diagnostics:" + Environment.NewLine + string.Join(Environment.NewLine, others) + Environment.NewLine + build.Describe());
    }

    [Fact]
    public void Editorconfig_severity_error_turns_PN0001_into_a_failing_build()
    {
        var sample = feed.CreateSampleCopy("editorconfig");
        // Also one of the analyzer's own keys (docs/configuration.md), naming a method that does not exist.
        File.WriteAllText(sample.PathOf(".editorconfig"), """
            root = true

            [*.cs]
            dotnet_diagnostic.PN0001.severity = error
            peernet.sinks = M:LegacySender.NoSuchTransport.Send(PeerNet.ProtocolId)
            """);

        var build = sample.Build();
        var configurationProblem = SampleCopy.ParseDiagnostics(build).Where(d => d.Id == "PN0000").ToList();
        Assert.True(
            configurationProblem.Count == 1 && configurationProblem[0].Message.Contains("peernet.sinks", StringComparison.Ordinal)
                                             && configurationProblem[0].Message.Contains("NoSuchTransport", StringComparison.Ordinal),
            "The unresolvable peernet.sinks entry must be reported once as PN0000." + Environment.NewLine + build.Describe());

        Assert.True(build.ExitCode != 0, "With dotnet_diagnostic.PN0001.severity = error the build must fail." + Environment.NewLine + build.Describe());
        var reported = SampleCopy.ParseDiagnostics(build).Where(d => RuleIds.Contains(d.Id)).ToList();
        AssertSameLocations(ExpectedDiagnostics.InSample, reported, build);
        foreach (var diagnostic in reported)
        {
            var expected = diagnostic.Id == "PN0001" ? "error" : "warning";
            Assert.True(diagnostic.Severity == expected, $"{diagnostic} should be a {expected}." + Environment.NewLine + build.Describe());
        }

        Assert.Contains(reported, d => d.Id == "PN0001");
        Assert.Contains(": error PN0001:", build.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorLog_writes_the_diagnostics_as_SARIF_2_1()
    {
        var sample = feed.CreateSampleCopy("sarif");
        var sarifPath = sample.PathOf("out.sarif");

        var build = sample.Build("-p:ErrorLog=" + sarifPath + "%2Cversion=2.1");

        Assert.True(build.ExitCode == 0, build.Describe());
        Assert.True(File.Exists(sarifPath), $"-p:ErrorLog did not write {sarifPath}." + Environment.NewLine + build.Describe());
        using var sarif = JsonDocument.Parse(File.ReadAllText(sarifPath));
        var root = sarif.RootElement;
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        var run = Assert.Single(root.GetProperty("runs").EnumerateArray());

        var results = new List<ReportedDiagnostic>();
        foreach (var result in run.GetProperty("results").EnumerateArray())
        {
            var ruleId = result.GetProperty("ruleId").GetString()!;
            if (!RuleIds.Contains(ruleId))
            {
                continue;
            }

            var physical = result.GetProperty("locations")[0].GetProperty("physicalLocation");
            var uri = new Uri(physical.GetProperty("artifactLocation").GetProperty("uri").GetString()!);
            var region = physical.GetProperty("region");
            results.Add(new ReportedDiagnostic(
                Path.GetFileName(uri.LocalPath),
                region.GetProperty("startLine").GetInt32(),
                region.GetProperty("startColumn").GetInt32(),
                result.GetProperty("level").GetString()!,
                ruleId,
                result.GetProperty("message").GetProperty("text").GetString() ?? ""));
        }

        AssertSameLocations(ExpectedDiagnostics.InSample, results, build, "SARIF " + sarifPath);
        Assert.All(results, r => Assert.Equal("warning", r.Severity));

        // Code scanning shows each rule's help link.
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
            .ToDictionary(r => r.GetProperty("id").GetString()!, r => r);
        foreach (var id in RuleIds)
        {
            Assert.True(rules.TryGetValue(id, out var rule), $"The SARIF rules do not describe {id}: [{string.Join(", ", rules.Keys)}].");
            Assert.True(rule.TryGetProperty("helpUri", out var help) && help.GetString()!.Contains($"docs/rules/{id}", StringComparison.Ordinal), $"{id} in SARIF: {rule.GetRawText()}");
        }
    }

    [Fact]
    public void Dotnet_format_applies_the_packaged_code_fixes_until_nothing_is_left()
    {
        var sample = feed.CreateSampleCopy("format");
        var sources = Directory.GetFiles(sample.Directory, "*.cs").ToDictionary(f => Path.GetFileName(f), File.ReadAllText);

        var verifyBefore = Format(sample, "--verify-no-changes");
        Assert.True(
            verifyBefore.ExitCode == 2,
            "`dotnet format analyzers --verify-no-changes` must exit 2 on the racy sample." + Environment.NewLine + verifyBefore.Describe());

        var apply = Format(sample);
        Assert.True(apply.ExitCode == 0, "`dotnet format analyzers` failed." + Environment.NewLine + apply.Describe());

        var changed = sources.Where(s => File.ReadAllText(sample.PathOf(s.Key)) != s.Value).Select(s => s.Key).OrderBy(s => s).ToList();
        var expectedChanged = ExpectedDiagnostics.InSample.Select(d => d.File).Distinct().OrderBy(s => s).ToList();
        Assert.True(
            expectedChanged.SequenceEqual(changed),
            $"dotnet format changed [{string.Join(", ", changed)}]; expected [{string.Join(", ", expectedChanged)}]." + Environment.NewLine + apply.Describe());
        var fixedDirect = File.ReadAllText(sample.PathOf("DirectSends.cs"));
        Assert.Contains("TrySendWithCurrentProtocol", fixedDirect, StringComparison.Ordinal);
        Assert.DoesNotContain(".SendTo(", fixedDirect, StringComparison.Ordinal);

        var build = sample.Build();
        var fixedSources = string.Join(Environment.NewLine, Directory.GetFiles(sample.Directory, "*.cs").Select(f => $"--- {Path.GetFileName(f)} ---{Environment.NewLine}{File.ReadAllText(f)}"));
        Assert.True(build.ExitCode == 0, "The rewritten sample must build." + Environment.NewLine + build.Describe() + Environment.NewLine + fixedSources);
        var left = SampleCopy.ParseDiagnostics(build);
        Assert.True(left.Count == 0, "After dotnet format the build must report nothing:" + Environment.NewLine + string.Join(Environment.NewLine, left) + Environment.NewLine + fixedSources);

        var verifyAfter = Format(sample, "--verify-no-changes");
        Assert.True(verifyAfter.ExitCode == 0, "`dotnet format analyzers --verify-no-changes` must pass after the fixes." + Environment.NewLine + verifyAfter.Describe() + Environment.NewLine + fixedSources);
    }

    private static ToolResult Format(SampleCopy sample, params string[] extra) =>
        sample.Dotnet(
            TimeSpan.FromMinutes(4),
            new[] { "format", "analyzers", sample.ProjectPath }.Concat(FormatArguments).Concat(extra).Concat(new[] { "-v", "diag" }).ToArray());

    private static void AssertSameLocations(
        IEnumerable<(string File, int Line, int Column, string Id)> expected,
        IEnumerable<ReportedDiagnostic> actual,
        ToolResult tool,
        string where = "the build output")
    {
        var want = expected.OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();
        var got = actual.Select(d => (d.File, d.Line, d.Column, d.Id)).Distinct()
            .OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();
        Assert.True(
            want.SequenceEqual(got),
            $"PN diagnostics in {where}:{Environment.NewLine}{ExpectedDiagnostics.Describe(got)}{Environment.NewLine}expected:{Environment.NewLine}{ExpectedDiagnostics.Describe(want)}{Environment.NewLine}{tool.Describe()}");
    }
}
