using System.Text.RegularExpressions;
using PeerNet.Package.Tests.Infrastructure;

namespace PeerNet.Package.Tests;

/// <summary>
/// The worked example of docs/configuration.md, as a user writes it, in a real `dotnet build` of a consumer
/// of the packed package: a .globalconfig next to the project names three members of the user's own cluster
/// code per key, every one of them acts, and the build prints what the documentation says it prints.
/// </summary>
[Collection(PackageFeedCollection.Name)]
public sealed class ConfigurationEndToEndTests(PackageFeedFixture feed)
{
    private const string FileName = "Cluster.cs";

    /// <summary>
    /// The fenced block that follows the line <c>&lt;!-- worked-example: {name}</c> in docs/configuration.md:
    /// the test builds exactly what the documentation shows.
    /// </summary>
    private static string WorkedExample(string name)
    {
        var path = Path.Combine(RepoPaths.Root, "docs", "configuration.md");
        var lines = File.ReadAllLines(path);
        var marker = Array.FindIndex(lines, l => l.StartsWith("<!-- worked-example: " + name + " ", StringComparison.Ordinal));
        Assert.True(marker >= 0, $"docs/configuration.md has no '<!-- worked-example: {name} ...' marker.");
        var open = Array.FindIndex(lines, marker + 1, l => l.StartsWith("```", StringComparison.Ordinal));
        var close = Array.FindIndex(lines, open + 1, l => l.StartsWith("```", StringComparison.Ordinal));
        Assert.True(open == marker + 1 && close > open, $"docs/configuration.md: the worked-example marker '{name}' must be followed by a fenced block.");
        return string.Join("\n", lines[(open + 1)..close]) + "\n";
    }

    [Fact]
    public void A_globalconfig_naming_three_members_per_key_makes_each_act_in_a_real_build()
    {
        var clusterSource = WorkedExample(FileName);
        var globalConfig = WorkedExample(".globalconfig");
        var documentedOutput = WorkedExample("output").Split('\n', StringSplitOptions.RemoveEmptyEntries);

        // Three entries per key, in the syntax a real build accepts.
        foreach (var key in new[] { "peernet.sources", "peernet.sinks", "peernet.version_checks", "peernet.try_sends" })
        {
            var line = globalConfig.Split('\n').Single(l => l.StartsWith(key + " =", StringComparison.Ordinal));
            Assert.True(Regex.Matches(line, @"(?<=[=,\s])[MPF]:").Count == 3, $"docs/configuration.md's worked example must name three entries with {key}: {line}");
        }

        var sample = feed.CreateSampleCopy("configuration");
        File.WriteAllText(sample.PathOf(FileName), clusterSource);
        File.WriteAllText(sample.PathOf(".globalconfig"), globalConfig);

        var build = sample.Build();
        Assert.True(build.ExitCode == 0, "The sample with the cluster code must build." + Environment.NewLine + build.Describe());
        var reported = SampleCopy.ParseDiagnostics(build).Where(d => d.Id.StartsWith("PN", StringComparison.Ordinal)).ToList();

        var configurationProblems = reported.Where(d => d.Id == "PN0000").ToList();
        Assert.True(configurationProblems.Count == 0, "The configuration must be understood entirely:" + Environment.NewLine + string.Join(Environment.NewLine, configurationProblems));

        var lines = clusterSource.Split('\n');
        var expected = lines
            .Select((text, index) => (Line: index + 1, Match: Regex.Match(text, @"// (PN\d{4})\s*$")))
            .Where(l => l.Match.Success)
            .Select(l => $"{FileName}({l.Line}): {l.Match.Groups[1].Value}")
            .ToList();
        var actual = reported.Where(d => d.File == FileName).Select(d => $"{d.File}({d.Line}): {d.Id}").OrderBy(d => d, StringComparer.Ordinal).ToList();
        Assert.Equal(9, expected.Count);
        Assert.True(
            expected.OrderBy(d => d, StringComparer.Ordinal).SequenceEqual(actual),
            $"Reported in {FileName}:{Environment.NewLine}{string.Join(Environment.NewLine, actual)}{Environment.NewLine}expected:{Environment.NewLine}{string.Join(Environment.NewLine, expected)}{Environment.NewLine}{build.Describe()}");

        // The output the documentation shows is what the build printed.
        var printed = reported.Select(d => d.ToString()).ToList();
        foreach (var line in documentedOutput)
        {
            Assert.True(printed.Contains(line), $"docs/configuration.md shows{Environment.NewLine}{line}{Environment.NewLine}but the build printed{Environment.NewLine}{string.Join(Environment.NewLine, printed)}");
        }

        // The sample's own findings (PeerNet's attributes) are unchanged by the configuration.
        var sampleFindings = reported.Where(d => d.File != FileName).Select(d => (d.File, d.Line, d.Column, d.Id)).OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ToList();
        var sampleExpected = ExpectedDiagnostics.InSample.OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ToList();
        Assert.True(sampleExpected.SequenceEqual(sampleFindings), ExpectedDiagnostics.Describe(sampleFindings) + Environment.NewLine + build.Describe());
    }
}
