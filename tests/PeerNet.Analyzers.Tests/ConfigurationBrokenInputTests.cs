using Microsoft.CodeAnalysis.Testing;
using static PeerNet.Analyzers.Tests.ConfigurationTestKit;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// The new kinds (receiver and setter sinks, indexer sources, property checks, validated versions,
/// connection owners), configured through a real .globalconfig, over half-typed code: every rule runs, no
/// AD0001, and a send that is being typed is not reported.
/// </summary>
public class ConfigurationBrokenInputTests
{
    private const string Api = """
        namespace Cluster
        {
            public enum Codec { Json, Bincode }
            public sealed class Handler { public void Deliver(byte[] payload) { } }
            public sealed class Envelope { public Codec Codec { get; set; } }
            public sealed class Snapshot { public long Version => 1; public Codec this[string node] => Codec.Json; public bool Fresh => true; }
            public sealed class Directory
            {
                public Handler HandlerFor(string node) => new Handler();
                public void Send(string node, Codec codec, long version, byte[] payload) { }
            }
            public partial class Actor { }
        }

        """;

    private const string Configuration = """
        peernet.sources = M:Cluster.Directory.HandlerFor(System.String), P:Cluster.Snapshot.Item(System.String)
        peernet.sinks = M:Cluster.Handler.Deliver(System.Byte[])|this, P:Cluster.Envelope.Codec|value, M:Cluster.Directory.Send(System.String,Cluster.Codec,System.Int64,System.Byte[])|codec
        peernet.version_checks = P:Cluster.Snapshot.Fresh
        peernet.validated_versions = M:Cluster.Directory.Send(System.String,Cluster.Codec,System.Int64,System.Byte[])|version
        peernet.connection_owners = T:Cluster.Actor

        """;

    public static readonly TheoryData<string> Broken = new()
    {
        "class U { Cluster.Directory d = new(); void M(string n, byte[] p) { var h = d.HandlerFor(n); h.Deliver(",
        "class U { Cluster.Directory d = new(); void M(string n) { d.HandlerFor(n).Deliver(p",
        "class U { void M(Cluster.Snapshot s, string n) { var e = new Cluster.Envelope { Codec = s[n",
        "class U { void M(Cluster.Snapshot s, string n) { var e = new Cluster.Envelope(); e.Codec = s[",
        "class U { void M(Cluster.Snapshot s, string n, Cluster.Directory d, byte[] p) { if (s.Fresh) d.Send(n, s[n], s.Vers",
        "class U { void M(Cluster.Snapshot s, string n, Cluster.Directory d, byte[] p) { d.Send(n, s[n], s.Version, p, extra); } }",
        "namespace Cluster { partial class Actor { Snapshot s = new(); Directory d = new(); void M(string n, byte[] p) => d.Send(n, s[n], s.Version",
        "class U { void M(Cluster.Snapshot s, string n) { var e = new Cluster.Envelope(); e.Codec += s[n]; e.Codec ??= s; } }",
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task Half_typed_code_with_every_new_kind_configured_reports_nothing_and_never_throws(string broken)
    {
        var test = new AllRules(Api + broken, File(FileForm.GlobalConfig, Configuration));
        test.CompilerDiagnostics = CompilerDiagnostics.None;
        await test.RunAsync();
    }
}
