using static PeerNet.Analyzers.Tests.ConfigurationTestKit;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// Issue 11.2 / 12.4: every member kind a key accepts acts as its attribute does, through real
/// .globalconfig / .editorconfig files: an indexer (<c>P:Type.Item(...)</c>) is a source, a property
/// (<c>P:</c>) or a field (<c>F:</c>) named as a version check is a guard (PN0002, not PN0001); the same
/// with [CachedSnapshotRead] on an indexer and [SnapshotVersionCheck] on a property.
/// </summary>
public class ConfigurationMemberKindsTests
{
    private const string Api = """
        namespace Cluster
        {
            public enum Codec { Json, Bincode }

            public sealed class Registry
            {
                public Codec this[string node] => Codec.Json;
                public Codec this[int slot] => Codec.Json;
                public bool IsFresh => true;
                public bool Valid;
                public long Version => 1;
            }

            public sealed class Transport
            {
                public void Send(string node, Codec codec, byte[] payload) { }
            }
        }

        """;

    private const string Uses = Api + """
        namespace Cluster
        {
            public sealed class User
            {
                private readonly Registry reg = new Registry();
                private readonly Transport t = new Transport();

                public void Indexer(string n, byte[] p)
                {
                    var c = reg[n];
                    {|#0:t.Send(n, c, p)|};
                }

                public void PropertyCheck(string n, byte[] p)
                {
                    var c = reg[n];
                    if (!reg.IsFresh) return;
                    {|#1:t.Send(n, c, p)|};
                }

                public void FieldCheck(string n, byte[] p)
                {
                    var c = reg[n];
                    if (reg.Valid) {|#2:t.Send(n, c, p)|};
                }

                // A property that is not a check leaves PN0001.
                public void NotACheck(string n, byte[] p)
                {
                    var c = reg[n];
                    if (reg.Version > 0) {|#3:t.Send(n, c, p)|};
                }

                // Another indexer of the same type, not named: no source.
                public void OtherIndexer(string n, byte[] p) => t.Send(n, reg[3], p);

                // A check with nothing stale sent: nothing.
                public void CheckOnly(string n, byte[] p)
                {
                    if (reg.IsFresh && reg.Valid) t.Send(n, Codec.Json, p);
                }
            }
        }
        """;

    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task Indexer_sources_and_property_and_field_version_checks_act(FileForm form)
    {
        await new AllRules(Uses, File(form, """
                peernet.sources = P:Cluster.Registry.Item(System.String)
                peernet.sinks = M:Cluster.Transport.Send(System.String,Cluster.Codec,System.Byte[])|codec
                peernet.version_checks = P:Cluster.Registry.IsFresh, F:Cluster.Registry.Valid
                """))
            .Expect(At("PN0001", 0), At("PN0002", 1), At("PN0002", 2), At("PN0001", 3))
            .RunAsync();
    }

    /// <summary>The same keys without the checks: every guarded send falls back to PN0001 (the checks above are what made PN0002).</summary>
    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task Without_the_checks_the_same_sends_are_PN0001(FileForm form)
    {
        await new AllRules(Uses, File(form, """
                peernet.sources = P:Cluster.Registry.Item(System.String)
                peernet.sinks = M:Cluster.Transport.Send(System.String,Cluster.Codec,System.Byte[])|codec
                """))
            .Expect(At("PN0001", 0), At("PN0001", 1), At("PN0001", 2), At("PN0001", 3))
            .RunAsync();
    }

    [Fact]
    public async Task CachedSnapshotRead_on_an_indexer_is_a_source_and_SnapshotVersionCheck_on_a_property_a_guard()
    {
        const string source = """
            using PeerNet.Annotations;

            namespace Cluster
            {
                public enum Codec { Json, Bincode }

                public sealed class Registry
                {
                    [CachedSnapshotRead] public Codec this[string node] => Codec.Json;
                    public Codec this[int slot] => Codec.Json;
                    [SnapshotVersionCheck] public bool IsFresh => true;
                    public bool Looks => true;
                }

                public sealed class Transport
                {
                    public void Send(string node, [RequiresCurrentProtocol] Codec codec, byte[] payload) { }
                }

                public sealed class User
                {
                    private readonly Registry reg = new Registry();
                    private readonly Transport t = new Transport();

                    public void Stale(string n, byte[] p) => {|#0:t.Send(n, reg[n], p)|};

                    public void Checked(string n, byte[] p)
                    {
                        var c = reg[n];
                        if (reg.IsFresh) {|#1:t.Send(n, c, p)|};
                    }

                    public void NotAnnotatedCheck(string n, byte[] p)
                    {
                        var c = reg[n];
                        if (reg.Looks) {|#2:t.Send(n, c, p)|};
                    }

                    public void NotAnnotatedIndexer(string n, byte[] p) => t.Send(n, reg[1], p);
                }
            }
            """;
        await new AllRules(source).WithPeerNet()
            .Expect(At("PN0001", 0), At("PN0002", 1), At("PN0001", 2))
            .RunAsync();
    }
}
