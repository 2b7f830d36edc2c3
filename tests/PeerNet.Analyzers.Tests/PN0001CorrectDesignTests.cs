using static PeerNet.Analyzers.Tests.ConfigurationTestKit;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// Issue 11.4: correct designs declared by key and by attribute get no diagnostic. (a) A send that passes
/// the version of the very snapshot its protocol came from to a parameter its receiver validates
/// (<c>peernet.validated_versions</c>, [ValidatedSnapshotVersion]); a version of another snapshot, a
/// reassigned snapshot variable, a constant or an inline fresh snapshot does not count. (b) A read by the
/// owner of the connection on its own state (<c>peernet.connection_owners</c>, [ConnectionOwner]); the same
/// read through another object, or in a type that is not the owner, still counts.
/// </summary>
public class PN0001CorrectDesignTests
{
    private const string Api = """
        namespace Cluster
        {
            public enum Codec { Json, Bincode }

            public sealed class Snapshot
            {
                public long Version => 1;
                public Codec CodecFor(string node) => Codec.Json;
            }

            public sealed class Store
            {
                public Snapshot GetSnapshot() => new Snapshot();
            }

            public sealed class Directory
            {
                public void Send(string node, Codec codec, long version, byte[] payload) { }
            }

            public sealed class Connection
            {
                public Codec Negotiated => Codec.Json;
            }

            public sealed class Transport
            {
                public void Send(string node, Codec codec, byte[] payload) { }
            }
        }

        """;

    private const string ValidatedUses = Api + """
        namespace Cluster
        {
            public sealed class Sender
            {
                private readonly Store store = new Store();
                private readonly Directory dir = new Directory();

                public void Bound(string n, byte[] p)
                {
                    var s = store.GetSnapshot();
                    var c = s.CodecFor(n);
                    dir.Send(n, c, s.Version, p);
                }

                public void BoundParameter(Snapshot s, string n, byte[] p) => dir.Send(n, s.CodecFor(n), s.Version, p);

                public void OtherSnapshot(string n, byte[] p)
                {
                    var s = store.GetSnapshot();
                    var other = store.GetSnapshot();
                    var c = s.CodecFor(n);
                    {|#0:dir.Send(n, c, other.Version, p)|};
                }

                public void OtherParameter(Snapshot s, Snapshot t, string n, byte[] p) => {|#1:dir.Send(n, s.CodecFor(n), t.Version, p)|};

                public void Reassigned(string n, byte[] p)
                {
                    var s = store.GetSnapshot();
                    var c = s.CodecFor(n);
                    s = store.GetSnapshot();
                    {|#2:dir.Send(n, c, s.Version, p)|};
                }

                public void ConstantVersion(string n, byte[] p)
                {
                    var s = store.GetSnapshot();
                    {|#3:dir.Send(n, s.CodecFor(n), 0, p)|};
                }

                public void FreshSnapshotInline(string n, byte[] p)
                {
                    var s = store.GetSnapshot();
                    {|#4:dir.Send(n, s.CodecFor(n), store.GetSnapshot().Version, p)|};
                }
            }
        }
        """;

    private const string ValidatedConfiguration = """
        peernet.sources = M:Cluster.Store.GetSnapshot, M:Cluster.Snapshot.CodecFor(System.String)
        peernet.sinks = M:Cluster.Directory.Send(System.String,Cluster.Codec,System.Int64,System.Byte[])|codec

        """;

    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task A_send_bound_to_its_snapshots_version_by_key(FileForm form)
    {
        await new AllRules(ValidatedUses, File(form, ValidatedConfiguration +
                "peernet.validated_versions = M:Cluster.Directory.Send(System.String,Cluster.Codec,System.Int64,System.Byte[])|version\n"))
            .Expect(At("PN0001", 0), At("PN0001", 1), At("PN0001", 2), At("PN0001", 3), At("PN0001", 4))
            .RunAsync();
    }

    /// <summary>Without the declaration the bound sends are reported like the others: the key is what clears them.</summary>
    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task Without_the_declaration_the_bound_sends_are_PN0001(FileForm form)
    {
        var source = ValidatedUses
            .Replace("dir.Send(n, c, s.Version, p);\n", "{|#5:dir.Send(n, c, s.Version, p)|};\n")
            .Replace("=> dir.Send(n, s.CodecFor(n), s.Version, p);", "=> {|#6:dir.Send(n, s.CodecFor(n), s.Version, p)|};");
        await new AllRules(source, File(form, ValidatedConfiguration))
            .Expect(At("PN0001", 0), At("PN0001", 1), At("PN0001", 2), At("PN0001", 3), At("PN0001", 4), At("PN0001", 5), At("PN0001", 6))
            .RunAsync();
    }

    [Fact]
    public async Task A_send_bound_to_its_snapshots_version_by_attribute_on_PeerNets_snapshot()
    {
        const string source = """
            using System.Linq;
            using PeerNet;
            using PeerNet.Annotations;

            public sealed class DirectoryClient
            {
                public void Send(PeerId peer, [RequiresCurrentProtocol] ProtocolId protocol, [ValidatedSnapshotVersion] SnapshotVersion version, Message m) { }
            }

            public sealed class User
            {
                private readonly PeersAndMetadata store = new PeersAndMetadata(NetworkId.Validator);
                private readonly DirectoryClient client = new DirectoryClient();

                public void Bound(PeerNetworkId peer, Message m)
                {
                    var s = store.GetSnapshot();
                    var meta = s.GetMetadataForPeer(peer);
                    var protocol = meta.SupportedProtocols.First();
                    client.Send(peer.PeerId, protocol, s.Version, m);
                }

                public void Other(PeerNetworkId peer, Message m)
                {
                    var s = store.GetSnapshot();
                    var later = store.GetSnapshot();
                    var protocol = s.GetMetadataForPeer(peer).SupportedProtocols.First();
                    {|#0:client.Send(peer.PeerId, protocol, later.Version, m)|};
                }

                public void ThroughTheStore(PeerNetworkId peer, Message m)
                {
                    var s = store.GetSnapshot();
                    var protocol = store.GetMetadataForPeer(peer).SupportedProtocols.First();
                    {|#1:client.Send(peer.PeerId, protocol, s.Version, m)|};
                }
            }
            """;
        await new AllRules(source).WithPeerNet()
            .Expect(At("PN0001", 0), At("PN0001", 1))
            .RunAsync();
    }

    private const string OwnerUses = Api + """
        namespace Cluster
        {
            public class PeerActor
            {
                private readonly Connection conn = new Connection();
                private Connection Current => conn;
                private readonly Transport t = new Transport();

                public void Flush(string n, byte[] p) => t.Send(n, conn.Negotiated, p);

                public void FlushThroughProperty(string n, byte[] p) => t.Send(n, this.Current.Negotiated, p);

                public void ForAnother(Connection other, string n, byte[] p) => {|#0:t.Send(n, other.Negotiated, p)|};

                public void ThroughLocal(string n, byte[] p)
                {
                    var c = new Connection();
                    {|#1:t.Send(n, c.Negotiated, p)|};
                }
            }

            public sealed class DerivedActor : PeerActor
            {
                private readonly Connection mine = new Connection();
                private readonly Transport t2 = new Transport();

                public void Own(string n, byte[] p) => t2.Send(n, mine.Negotiated, p);
            }

            public sealed class Router
            {
                private readonly Connection conn = new Connection();
                private readonly Transport t = new Transport();

                public void Route(string n, byte[] p) => {|#2:t.Send(n, conn.Negotiated, p)|};
            }
        }
        """;

    private const string OwnerConfiguration = """
        peernet.sources = P:Cluster.Connection.Negotiated
        peernet.sinks = M:Cluster.Transport.Send(System.String,Cluster.Codec,System.Byte[])|codec

        """;

    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task A_read_by_the_connection_owner_by_key(FileForm form)
    {
        await new AllRules(OwnerUses, File(form, OwnerConfiguration + "peernet.connection_owners = T:Cluster.PeerActor\n"))
            .Expect(At("PN0001", 0), At("PN0001", 1), At("PN0001", 2))
            .RunAsync();
    }

    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task Without_an_owner_every_read_counts(FileForm form)
    {
        var source = OwnerUses
            .Replace("=> t.Send(n, conn.Negotiated, p);", "=> {|#3:t.Send(n, conn.Negotiated, p)|};")
            .Replace("=> t.Send(n, this.Current.Negotiated, p);", "=> {|#4:t.Send(n, this.Current.Negotiated, p)|};")
            .Replace("=> t2.Send(n, mine.Negotiated, p);", "=> {|#5:t2.Send(n, mine.Negotiated, p)|};");
        await new AllRules(source, File(form, OwnerConfiguration))
            .Expect(At("PN0001", 0), At("PN0001", 1), At("PN0001", 2), At("PN0001", 3), At("PN0001", 4), At("PN0001", 5))
            .RunAsync();
    }

    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task A_read_by_the_connection_owner_through_its_primary_constructor_parameter(FileForm form)
    {
        // A primary-constructor parameter used in the type's members is the instance's own state, like a field; the same
        // shape in a type that is not an owner, or a connection handed to a method, still counts.
        const string source = Api + """
            namespace Cluster.Actors
            {
                public sealed class PeerActor(Connection conn, Transport t)
                {
                    public void Flush(string n, byte[] p) => t.Send(n, conn.Negotiated, p);

                    public void ForAnother(Connection other, string n, byte[] p) => {|#0:t.Send(n, other.Negotiated, p)|};
                }

                public sealed class Router(Connection conn, Transport t)
                {
                    public void Route(string n, byte[] p) => {|#1:t.Send(n, conn.Negotiated, p)|};
                }
            }
            """;
        await new AllRules(source, File(form, OwnerConfiguration + "peernet.connection_owners = T:Cluster.Actors.PeerActor\n"))
            .Expect(At("PN0001", 0), At("PN0001", 1))
            .RunAsync();
    }

    [Fact]
    public async Task A_read_by_the_connection_owner_by_attribute()
    {
        const string source = """
            using PeerNet.Annotations;

            namespace Cluster
            {
                public enum Codec { Json, Bincode }

                public sealed class Connection
                {
                    [CachedSnapshotRead] public Codec Negotiated => Codec.Json;
                }

                public sealed class Transport
                {
                    public void Send(string node, [RequiresCurrentProtocol] Codec codec, byte[] payload) { }
                }

                [ConnectionOwner]
                public sealed class PeerActor
                {
                    private readonly Connection conn = new Connection();
                    private readonly Transport t = new Transport();

                    public void Flush(string n, byte[] p) => t.Send(n, conn.Negotiated, p);

                    public void ForAnother(Connection other, string n, byte[] p) => {|#0:t.Send(n, other.Negotiated, p)|};
                }

                public sealed class Router
                {
                    private readonly Connection conn = new Connection();
                    private readonly Transport t = new Transport();

                    public void Route(string n, byte[] p) => {|#1:t.Send(n, conn.Negotiated, p)|};
                }
            }
            """;
        await new AllRules(source).WithPeerNet()
            .Expect(At("PN0001", 0), At("PN0001", 1))
            .RunAsync();
    }
}
