using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// Shared pieces of the configuration tests. Configuration always reaches the analyzers through the
/// compiler's own .editorconfig / .globalconfig parser (TestState.AnalyzerConfigFiles), never through a
/// hand-made options provider.
/// </summary>
public static class ConfigurationTestKit
{
    /// <summary>The two kinds of configuration file the compiler reads.</summary>
    public enum FileForm
    {
        GlobalConfig,
        EditorConfig,
    }

    public static readonly TheoryData<FileForm> BothForms = new() { FileForm.GlobalConfig, FileForm.EditorConfig };

    /// <summary>
    /// A user's own cluster code, without PeerNet: a membership cache (a snapshot of each node's codecs,
    /// refreshed by gossip) and a transport. The same API as the worked example of docs/configuration.md.
    /// </summary>
    public const string ClusterApi = """
        using System.Threading.Tasks;

        namespace Cluster
        {
            public enum Codec { Json, Bincode, Compressed }

            public sealed class MembershipCache
            {
                public Codec CodecFor(string node) => Codec.Json;
                public Codec PreferredCodec => Codec.Bincode;
                public Codec LastNegotiated;
                public long Version => 1;
                public bool IsCurrent(long version) => true;
                public bool Unchanged(string node, long version) => true;
                public bool StillValid(long version) => true;
            }

            public sealed class Transport
            {
                public void Send(string node, Codec codec, byte[] payload) { }
                public void SendFramed(string node, byte[] payload, Codec codec) { }
                public Task SendAsync(string node, Codec codec, byte[] payload) => Task.CompletedTask;
                public bool TrySend(string node, byte[] payload) => true;
                public bool TryBroadcast(byte[] payload) => true;
                public bool TrySendUrgent(string node, byte[] payload) => true;
            }
        }

        """;

    /// <summary>The configuration lines that name every member of <see cref="ClusterApi"/>, three per key.</summary>
    public static string ClusterConfiguration(string separator) => string.Join("\n",
        "peernet.sources = " + string.Join(separator,
            "M:Cluster.MembershipCache.CodecFor(System.String)",
            "P:Cluster.MembershipCache.PreferredCodec",
            "F:Cluster.MembershipCache.LastNegotiated"),
        "peernet.sinks = " + string.Join(separator,
            "M:Cluster.Transport.Send(System.String,Cluster.Codec,System.Byte[])|codec",
            "M:Cluster.Transport.SendFramed(System.String,System.Byte[],Cluster.Codec)|2",
            "M:Cluster.Transport.SendAsync(System.String,Cluster.Codec,System.Byte[])|codec"),
        "peernet.version_checks = " + string.Join(separator,
            "M:Cluster.MembershipCache.IsCurrent(System.Int64)",
            "M:Cluster.MembershipCache.Unchanged(System.String,System.Int64)",
            "M:Cluster.MembershipCache.StillValid(System.Int64)"),
        "peernet.try_sends = " + string.Join(separator,
            "M:Cluster.Transport.TrySend(System.String,System.Byte[])",
            "M:Cluster.Transport.TryBroadcast(System.Byte[])",
            "M:Cluster.Transport.TrySendUrgent(System.String,System.Byte[])"),
        "");

    /// <summary>A configuration file of the given form holding <paramref name="lines"/>, as the testing library takes it.</summary>
    public static (string Path, string Text) File(FileForm form, string lines) => form switch
    {
        FileForm.GlobalConfig => ("/.globalconfig", "is_global = true\n" + lines),
        _ => ("/.editorconfig", "root = true\n\n[*.cs]\n" + lines),
    };

    /// <summary>The source without its {|#n:...|} markup.</summary>
    public static string StripMarkup(string source) =>
        System.Text.RegularExpressions.Regex.Replace(source, @"\{\|#\d+:", string.Empty).Replace("|}", string.Empty);

    /// <summary>A PN0000 without location, with its exact message.</summary>
    public static DiagnosticResult Pn0000(string message) =>
        new DiagnosticResult(PN0000ConfigurationAnalyzer.DiagnosticId, DiagnosticSeverity.Warning).WithArguments(message);

    /// <summary>A PN0001/PN0002/PN0003 at markup location {|#n:...|}, additional locations not compared.</summary>
    public static DiagnosticResult At(string id, int markup) =>
        new DiagnosticResult(id, DiagnosticSeverity.Warning).WithLocation(markup).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    /// <summary>
    /// Every analyzer the analyzer assembly ships (found by its [DiagnosticAnalyzer] attribute, so the test
    /// follows however the rules are split into classes), run together as a build runs them.
    /// </summary>
    public sealed class AllRules : CSharpAnalyzerTest<PN0000ConfigurationAnalyzer, DefaultVerifier>
    {
        private static readonly DiagnosticAnalyzer[] Analyzers = typeof(PN0000ConfigurationAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToArray();

        public AllRules(string source, params (string Path, string Text)[] configFiles)
        {
            ReferenceAssemblies = ReferenceAssemblies.Net.Net80;
            TestCode = source;
            foreach (var file in configFiles) TestState.AnalyzerConfigFiles.Add(file);
        }

        /// <summary>Adds PeerNet (netstandard2.0) as a reference.</summary>
        public AllRules WithPeerNet()
        {
            TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(PeersAndMetadata).Assembly.Location));
            return this;
        }

        public AllRules Expect(params DiagnosticResult[] expected)
        {
            ExpectedDiagnostics.AddRange(expected);
            return this;
        }

        public Task RunAsync() => RunAsync(CancellationToken.None);

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => Analyzers;
    }
}
