namespace PeerNet.Package.Tests.Infrastructure;

/// <summary>Where things are in the repository this test assembly was built from.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The directory holding PeerNet.Analyzers.sln.</summary>
    public static string Root => LazyRoot.Value;

    public static string PackageProject => Path.Combine(Root, "src", "PeerNet.Analyzers.Package", "PeerNet.Analyzers.Package.csproj");

    public static string LibraryProject => Path.Combine(Root, "src", "PeerNet", "PeerNet.csproj");

    public static string Sample => Path.Combine(Root, "samples", "LegacySender");

    public static string RulesDocs => Path.Combine(Root, "docs", "rules");

    /// <summary>The VersionPrefix of Directory.Build.props: the one place the version lives.</summary>
    public static string VersionPrefix
    {
        get
        {
            var props = System.Xml.Linq.XDocument.Load(Path.Combine(Root, "Directory.Build.props"));
            var prefixes = props.Descendants("VersionPrefix").Select(e => e.Value.Trim()).ToList();
            Assert.True(prefixes.Count == 1, $"Directory.Build.props must set VersionPrefix exactly once; found {prefixes.Count}.");
            return prefixes[0];
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PeerNet.Analyzers.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No PeerNet.Analyzers.sln above {AppContext.BaseDirectory}.");
    }
}
