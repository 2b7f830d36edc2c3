using System.Text.RegularExpressions;

namespace PeerNet.Package.Tests.Infrastructure;

/// <summary>The tests that build or run the packed package share one pack and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PackageFeedCollection : ICollectionFixture<PackageFeedFixture>
{
    public const string Name = "Packed PeerNet.Analyzers feed";
}

/// <summary>
/// Packs src/PeerNet.Analyzers.Package once, with a version no earlier run used (VersionPrefix of
/// Directory.Build.props plus -e2e.&lt;ticks&gt;), into a temporary folder feed. Its build output goes to a
/// temporary artifacts path, so the repository's bin/obj are not touched. The shared NuGet cache is used;
/// the unique version keeps an older extraction from ever being picked up, and the fixture deletes its own
/// version from the cache at the end.
/// </summary>
public sealed class PackageFeedFixture : IDisposable
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(6);
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(4);
    private int _copies;

    public PackageFeedFixture()
    {
        WorkRoot = Path.Combine(Path.GetTempPath(), "peernet-package-tests-" + Guid.NewGuid().ToString("N")[..10]);
        FeedDirectory = Path.Combine(WorkRoot, "feed");
        Directory.CreateDirectory(FeedDirectory);

        var suffix = "e2e." + DateTime.UtcNow.Ticks;
        ExpectedVersion = RepoPaths.VersionPrefix + "-" + suffix;
        Version = ExpectedVersion;
        try
        {
            (PackResult, PackagePath) = Pack(suffix);
        }
        catch
        {
            // xunit does not dispose a fixture whose constructor threw.
            TryDelete(WorkRoot);
            throw;
        }

        var locals = ProcessRunner.Dotnet(WorkRoot, TimeSpan.FromMinutes(1), "nuget", "locals", "global-packages", "--list");
        var match = Regex.Match(locals.StandardOutput, @"global-packages:\s*(?<path>.+)");
        GlobalPackagesFolder = match.Success ? match.Groups["path"].Value.Trim() : null;
    }

    private (ToolResult Result, string Package) Pack(string suffix)
    {
        var result = ProcessRunner.Dotnet(
            RepoPaths.Root,
            PackTimeout,
            "pack", RepoPaths.PackageProject,
            "-c", "Release",
            "-o", FeedDirectory,
            "--artifacts-path", Path.Combine(WorkRoot, "artifacts"),
            "-p:VersionSuffix=" + suffix,
            "-nr:false");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("`dotnet pack` of the package project failed." + Environment.NewLine + result.Describe());
        }

        var packages = Directory.GetFiles(FeedDirectory, "*.nupkg");
        if (packages.Length != 1)
        {
            throw new InvalidOperationException(
                $"Expected exactly one .nupkg in {FeedDirectory}, found [{string.Join(", ", packages.Select(Path.GetFileName))}]." + Environment.NewLine + result.Describe());
        }

        return (result, packages[0]);
    }

    /// <summary>The temporary directory everything of this fixture lives in.</summary>
    public string WorkRoot { get; }

    public string FeedDirectory { get; }

    public string PackagePath { get; }

    /// <summary>The version the pack was asked to produce.</summary>
    public string ExpectedVersion { get; }

    /// <summary>The package version the sample copies consume.</summary>
    public string Version { get; }

    public ToolResult PackResult { get; }

    private string? GlobalPackagesFolder { get; }

    /// <summary>
    /// A fresh copy of samples/LegacySender (without bin/obj), with its own nuget.config (the temporary feed
    /// for PeerNet.Analyzers, the official feed for everything else) and the packed version, restored.
    /// </summary>
    public SampleCopy CreateSampleCopy(string purpose)
    {
        var directory = Path.Combine(WorkRoot, "samples", $"{Interlocked.Increment(ref _copies):D2}-{purpose}", "LegacySender");
        CopyDirectory(RepoPaths.Sample, directory);

        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="peernet-e2e" value="{FeedDirectory}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="peernet-e2e">
                  <package pattern="PeerNet.Analyzers" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);

        var propsPath = Path.Combine(directory, "Directory.Build.props");
        var props = File.ReadAllText(propsPath);
        var versionElement = new Regex(@"(<PeerNetAnalyzersVersion[^>]*>)[^<]*(</PeerNetAnalyzersVersion>)");
        if (versionElement.Matches(props).Count != 1)
        {
            throw new InvalidOperationException($"samples/LegacySender/Directory.Build.props must set PeerNetAnalyzersVersion exactly once:{Environment.NewLine}{props}");
        }

        File.WriteAllText(propsPath, versionElement.Replace(props, "${1}" + Version + "${2}"));

        var copy = new SampleCopy(directory);
        var restore = copy.Dotnet(RestoreTimeout, "restore", copy.ProjectPath, "-nr:false");
        if (restore.ExitCode != 0)
        {
            throw new InvalidOperationException($"`dotnet restore` of the sample copy against the feed {FeedDirectory} failed." + Environment.NewLine + restore.Describe());
        }

        var assets = File.ReadAllText(Path.Combine(directory, "obj", "project.assets.json"));
        if (!assets.Contains($"\"PeerNet.Analyzers/{Version}\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The sample copy did not restore PeerNet.Analyzers {Version}: obj/project.assets.json does not name it." + Environment.NewLine + restore.Describe());
        }

        return copy;
    }

    public void Dispose()
    {
        TryDelete(WorkRoot);
        if (GlobalPackagesFolder is not null)
        {
            // Only this run's extraction of this package; nothing else in the shared cache.
            TryDelete(Path.Combine(GlobalPackagesFolder, "peernet.analyzers", Version.ToLowerInvariant()));
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A language server may still be letting go of a file; the temporary directory is left behind.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (var child in Directory.GetDirectories(source))
        {
            var name = Path.GetFileName(child);
            if (name is "bin" or "obj" or ".vs")
            {
                continue;
            }

            CopyDirectory(child, Path.Combine(destination, name));
        }
    }
}
