using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using PeerNet.Package.Tests.Infrastructure;

namespace PeerNet.Package.Tests;

/// <summary>What `dotnet pack src/PeerNet.Analyzers.Package` puts in PeerNet.Analyzers.nupkg.</summary>
[Collection(PackageFeedCollection.Name)]
public sealed class PackageContentTests(PackageFeedFixture feed)
{
    private static readonly string[] ExpectedEntries =
    {
        "README.md",
        "analyzers/dotnet/cs/PeerNet.Analyzers.CodeFixes.dll",
        "analyzers/dotnet/cs/PeerNet.Analyzers.dll",
        "lib/net10.0/PeerNet.dll",
        "lib/net10.0/PeerNet.xml",
        "lib/netstandard2.0/PeerNet.dll",
        "lib/netstandard2.0/PeerNet.xml",
    };

    [Fact]
    public void The_package_holds_the_library_for_both_frameworks_both_analyzer_assemblies_and_the_readme()
    {
        var entries = ContentEntries();
        Assert.True(
            ExpectedEntries.SequenceEqual(entries),
            $"{Path.GetFileName(feed.PackagePath)} holds:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", entries)}{Environment.NewLine}expected:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", ExpectedEntries)}");
    }

    [Fact]
    public void The_version_comes_from_VersionPrefix()
    {
        Assert.StartsWith(RepoPaths.VersionPrefix + "-e2e.", feed.ExpectedVersion, StringComparison.Ordinal);
        Assert.Equal($"PeerNet.Analyzers.{feed.ExpectedVersion}.nupkg", Path.GetFileName(feed.PackagePath));
        Assert.Equal(feed.ExpectedVersion, Metadata().Element(Ns + "version")?.Value);
    }

    [Fact]
    public void The_nuspec_has_id_license_readme_tags_and_is_a_runtime_dependency()
    {
        var metadata = Metadata();
        Assert.Equal("PeerNet.Analyzers", metadata.Element(Ns + "id")?.Value);
        var license = metadata.Element(Ns + "license");
        Assert.True(license is not null, "The nuspec has no <license> element." + Environment.NewLine + metadata);
        Assert.Equal("expression", license!.Attribute("type")?.Value);
        Assert.Equal("MIT", license.Value);
        Assert.Equal("README.md", metadata.Element(Ns + "readme")?.Value);
        var tags = (metadata.Element(Ns + "tags")?.Value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("roslyn", tags);
        Assert.Contains("analyzers", tags);
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(Ns + "description")?.Value), "The nuspec has no description.");
        // A development dependency would keep lib/ out of consumers' builds and out of their dependents.
        Assert.NotEqual("true", metadata.Element(Ns + "developmentDependency")?.Value);
    }

    [Fact]
    public void The_netstandard20_dependencies_are_the_library_s_own_and_net100_has_none()
    {
        var groups = Metadata().Element(Ns + "dependencies")?.Elements(Ns + "group").ToList() ?? new List<XElement>();
        var byFramework = groups.ToDictionary(g => g.Attribute("targetFramework")?.Value ?? "", g => g);
        Assert.True(
            byFramework.Keys.OrderBy(k => k).SequenceEqual(new[] { ".NETStandard2.0", "net10.0" }),
            "Dependency groups: " + string.Join(", ", byFramework.Keys));

        var packed = byFramework[".NETStandard2.0"].Elements(Ns + "dependency")
            .Select(d => $"{d.Attribute("id")!.Value} {d.Attribute("version")!.Value}")
            .OrderBy(s => s, StringComparer.Ordinal).ToList();
        var library = LibraryDependencies("netstandard2.0");
        Assert.True(
            library.SequenceEqual(packed),
            $"src/PeerNet (netstandard2.0) depends on [{string.Join(", ", library)}] but the nuspec lists [{string.Join(", ", packed)}].");
        Assert.NotEmpty(library);
        Assert.Empty(byFramework["net10.0"].Elements(Ns + "dependency"));
    }

    [Theory]
    [InlineData("lib/netstandard2.0/PeerNet.dll", ".NETStandard,Version=v2.0")]
    [InlineData("lib/net10.0/PeerNet.dll", ".NETCoreApp,Version=v10.0")]
    public void Each_lib_folder_holds_the_implementation_built_for_its_framework(string entry, string targetFramework)
    {
        using var stream = Open(entry);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        Assert.Equal("PeerNet", reader.GetString(reader.GetAssemblyDefinition().Name));
        var attributes = AssemblyAttributes(reader);
        Assert.False(attributes.ContainsKey("ReferenceAssemblyAttribute"), $"{entry} is a reference assembly, not the implementation.");
        Assert.True(attributes.TryGetValue("TargetFrameworkAttribute", out var framework), $"{entry} has no TargetFrameworkAttribute.");
        Assert.Equal(targetFramework, framework);
        // It is the real library, with method bodies, not a stub of the public surface.
        Assert.Contains(reader.TypeDefinitions, t => reader.GetString(reader.GetTypeDefinition(t).Name) == "NetworkClient");
    }

    private static XNamespace Ns => "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";

    private List<string> ContentEntries()
    {
        using var zip = ZipFile.OpenRead(feed.PackagePath);
        return zip.Entries
            .Select(e => e.FullName)
            .Where(n => !n.EndsWith('/') && !n.EndsWith(".nuspec", StringComparison.Ordinal) && !n.StartsWith("_rels/", StringComparison.Ordinal)
                        && !n.StartsWith("package/", StringComparison.Ordinal) && n != "[Content_Types].xml")
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();
    }

    private XElement Metadata()
    {
        using var zip = ZipFile.OpenRead(feed.PackagePath);
        var nuspec = zip.Entries.Single(e => e.FullName == "PeerNet.Analyzers.nuspec");
        using var stream = nuspec.Open();
        var document = XDocument.Load(stream);
        var metadata = document.Root?.Element(document.Root.Name.Namespace + "metadata");
        Assert.True(metadata is not null && document.Root!.Name.Namespace == Ns, "Unexpected nuspec:" + Environment.NewLine + document);
        return metadata!;
    }

    private MemoryStream Open(string entry)
    {
        using var zip = ZipFile.OpenRead(feed.PackagePath);
        var found = zip.GetEntry(entry);
        Assert.True(found is not null, $"{Path.GetFileName(feed.PackagePath)} has no {entry}.");
        var copy = new MemoryStream();
        using (var stream = found!.Open())
        {
            stream.CopyTo(copy);
        }

        copy.Position = 0;
        return copy;
    }

    /// <summary>Assembly-level attributes by type name, with their first string argument (if any).</summary>
    private static Dictionary<string, string?> AssemblyAttributes(MetadataReader reader)
    {
        var result = new Dictionary<string, string?>();
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            var name = attribute.Constructor.Kind switch
            {
                HandleKind.MemberReference => TypeName(reader, reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent),
                HandleKind.MethodDefinition => reader.GetString(reader.GetTypeDefinition(reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType()).Name),
                _ => "",
            };
            var blob = reader.GetBlobReader(attribute.Value);
            string? argument = null;
            if (blob.Length > 2 && blob.ReadUInt16() == 1)
            {
                try
                {
                    argument = blob.ReadSerializedString();
                }
                catch (BadImageFormatException)
                {
                    argument = null;
                }
            }

            result[name] = argument;
        }

        return result;
    }

    private static string TypeName(MetadataReader reader, EntityHandle type) => type.Kind switch
    {
        HandleKind.TypeReference => reader.GetString(reader.GetTypeReference((TypeReferenceHandle)type).Name),
        HandleKind.TypeDefinition => reader.GetString(reader.GetTypeDefinition((TypeDefinitionHandle)type).Name),
        _ => "",
    };

    /// <summary>The library's package references for a framework, "Id Version", via MSBuild's own evaluation.</summary>
    private static List<string> LibraryDependencies(string framework)
    {
        var result = ProcessRunner.Dotnet(
            RepoPaths.Root, TimeSpan.FromMinutes(2),
            "msbuild", RepoPaths.LibraryProject, "-nologo", "-nr:false",
            "-p:TargetFramework=" + framework,
            "-getItem:PackageReference", "-getItem:PackageVersion");
        Assert.True(result.ExitCode == 0, result.Describe());
        using var json = System.Text.Json.JsonDocument.Parse(result.StandardOutput);
        var items = json.RootElement.GetProperty("Items");
        // Central package management: the version is on the PackageVersion item, not the reference.
        var central = items.TryGetProperty("PackageVersion", out var versions)
            ? versions.EnumerateArray().ToDictionary(v => v.GetProperty("Identity").GetString()!, v => v.GetProperty("Version").GetString(), StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        return items.GetProperty("PackageReference").EnumerateArray()
            .Where(i => !(i.TryGetProperty("IsImplicitlyDefined", out var implicitly) && implicitly.GetString() == "true"))
            .Where(i => !(i.TryGetProperty("PrivateAssets", out var privateAssets) && string.Equals(privateAssets.GetString(), "all", StringComparison.OrdinalIgnoreCase)))
            .Select(i =>
            {
                var id = i.GetProperty("Identity").GetString()!;
                var version = i.TryGetProperty("Version", out var v) && !string.IsNullOrEmpty(v.GetString()) ? v.GetString() : central.GetValueOrDefault(id);
                return $"{id} {version}";
            })
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
    }
}
