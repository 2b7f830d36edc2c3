using System.Xml.Linq;
using PeerNet.Package.Tests.Infrastructure;

namespace PeerNet.Package.Tests;

/// <summary>
/// samples/LegacySender as committed: it consumes the version the repository builds, from the folder feed
/// the README tells users to build, and nothing else from there. (The end-to-end tests restore a copy with a
/// nuget.config naming their temporary feed instead.)
/// </summary>
public sealed class SampleConfigurationTests
{
    [Fact]
    public void The_sample_consumes_the_version_the_repository_builds()
    {
        var props = XDocument.Load(Path.Combine(RepoPaths.Sample, "Directory.Build.props"));
        var version = props.Descendants("PeerNetAnalyzersVersion").Single().Value.Trim();
        Assert.True(
            version == RepoPaths.VersionPrefix,
            $"samples/LegacySender/Directory.Build.props consumes PeerNet.Analyzers {version} but Directory.Build.props builds {RepoPaths.VersionPrefix}: keep them in step.");
    }

    [Fact]
    public void The_sample_takes_PeerNet_Analyzers_from_the_repository_feed_only_and_the_rest_from_the_official_feed()
    {
        var config = XDocument.Load(Path.Combine(RepoPaths.Sample, "nuget.config")).Root!;
        var sources = config.Element("packageSources")!;
        Assert.True(sources.Elements().First().Name == "clear", "nuget.config must start its packageSources with <clear/> so no user or machine feed leaks in:" + Environment.NewLine + sources);
        var byKey = sources.Elements("add").ToDictionary(e => e.Attribute("key")!.Value, e => e.Attribute("value")!.Value);
        Assert.Equal(2, byKey.Count);
        var local = byKey.Single(p => !p.Value.StartsWith("https://", StringComparison.Ordinal));
        var official = byKey.Single(p => p.Value.StartsWith("https://", StringComparison.Ordinal));
        Assert.Equal("https://api.nuget.org/v3/index.json", official.Value);

        // The README's `dotnet pack src/PeerNet.Analyzers.Package -o artifacts/feed`, relative to the config file.
        var feed = Path.GetFullPath(Path.Combine(RepoPaths.Sample, local.Value));
        Assert.Equal(Path.Combine(RepoPaths.Root, "artifacts", "feed"), feed.TrimEnd(Path.DirectorySeparatorChar));

        var mapping = config.Element("packageSourceMapping")!.Elements("packageSource")
            .ToDictionary(e => e.Attribute("key")!.Value, e => e.Elements("package").Select(p => p.Attribute("pattern")!.Value).ToList());
        Assert.Equal(new[] { "PeerNet.Analyzers" }, mapping[local.Key]);
        Assert.Equal(new[] { "*" }, mapping[official.Key]);

        var readme = File.ReadAllText(Path.Combine(RepoPaths.Sample, "README.md"));
        Assert.Contains("dotnet pack src/PeerNet.Analyzers.Package -o artifacts/feed", readme, StringComparison.Ordinal);
    }
}
