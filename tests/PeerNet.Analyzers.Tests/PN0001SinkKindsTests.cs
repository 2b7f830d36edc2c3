using static PeerNet.Analyzers.Tests.ConfigurationTestKit;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// Issue 11.3: sinks beyond parameters. The object a method is called on (<c>M:...|this</c>,
/// [RequiresCurrentReceiver]): a negotiated handler or per-peer proxy read from a snapshot. The value
/// assigned to a property (<c>P:...|value</c>, [RequiresCurrentProtocol] on the property), in a plain
/// assignment or an object initializer. (A delegate type's Invoke: ConfigurationActingTests.)
/// </summary>
public class PN0001SinkKindsTests
{
    private const string Uses = """
        namespace Cluster
        {
            public enum Codec { Json, Bincode }

            public sealed class Handler
            {
                public void Deliver(byte[] payload) { }
                public void Describe() { }
            }

            public sealed class Envelope
            {
                public Codec Codec { get; set; }
                public Codec Note { get; set; }
            }

            public sealed class Directory
            {
                public Handler HandlerFor(string node) => new Handler();
                public Codec CodecFor(string node) => Codec.Json;
                public long Version => 1;
                public bool IsCurrent(long version) => true;
            }

            public sealed class User
            {
                private readonly Directory dir = new Directory();

                public void StaleReceiver(string n, byte[] p)
                {
                    var h = dir.HandlerFor(n);
                    {|#0:h.Deliver(p)|};
                    h.Describe();
                }

                public void FreshReceiver(byte[] p) => new Handler().Deliver(p);

                public void CheckedReceiver(string n, byte[] p)
                {
                    var v = dir.Version;
                    var h = dir.HandlerFor(n);
                    if (dir.IsCurrent(v)) {|#1:h.Deliver(p)|};
                }

                public void StaleAssigned(string n)
                {
                    var e = new Envelope();
                    {|#2:e.Codec = dir.CodecFor(n)|};
                    e.Note = dir.CodecFor(n);
                    e.Codec = Codec.Bincode;
                }

                public Envelope StaleInitializer(string n) => new Envelope { {|#3:Codec = dir.CodecFor(n)|}, Note = dir.CodecFor(n) };

                public Envelope ConstantInitializer() => new Envelope { Codec = Codec.Json };
            }
        }
        """;

    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task Receiver_and_setter_sinks_by_key(FileForm form)
    {
        await new AllRules(Uses, File(form, """
                peernet.sources = M:Cluster.Directory.HandlerFor(System.String), M:Cluster.Directory.CodecFor(System.String)
                peernet.sinks = M:Cluster.Handler.Deliver(System.Byte[])|this, P:Cluster.Envelope.Codec|value
                peernet.version_checks = M:Cluster.Directory.IsCurrent(System.Int64)
                """))
            .Expect(At("PN0001", 0), At("PN0002", 1), At("PN0001", 2), At("PN0001", 3))
            .RunAsync();
    }

    /// <summary>`P:Id` without '|value' names the setter too; the receiver key does not make the arguments sinks.</summary>
    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task A_property_without_value_is_its_setter_and_other_members_stay_quiet(FileForm form)
    {
        await new AllRules(Uses, File(form, """
                peernet.sources = M:Cluster.Directory.HandlerFor(System.String), M:Cluster.Directory.CodecFor(System.String)
                peernet.sinks = P:Cluster.Envelope.Codec
                """))
            .Expect(At("PN0001", 2), At("PN0001", 3))
            .RunAsync();
    }

    [Fact]
    public async Task Receiver_and_setter_sinks_by_attribute()
    {
        const string source = """
            using PeerNet.Annotations;

            namespace Cluster
            {
                public enum Codec { Json, Bincode }

                public interface IHandler
                {
                    [RequiresCurrentReceiver] void Deliver(byte[] payload);
                    void Describe();
                }

                public sealed class Handler : IHandler
                {
                    public void Deliver(byte[] payload) { }
                    public void Describe() { }
                }

                public sealed class Envelope
                {
                    [RequiresCurrentProtocol] public Codec Codec { get; set; }
                    public Codec Note { get; set; }
                }

                public sealed class Directory
                {
                    [CachedSnapshotRead] public IHandler HandlerFor(string node) => new Handler();
                    [CachedSnapshotRead] public Codec CodecFor(string node) => Codec.Json;
                }

                public sealed class User
                {
                    private readonly Directory dir = new Directory();

                    public void Stale(string n, byte[] p)
                    {
                        var h = dir.HandlerFor(n);
                        {|#0:h.Deliver(p)|};
                        h.Describe();
                        new Handler().Deliver(p);
                    }

                    // Through the implementation: the interface's attribute applies.
                    public void StaleConcrete(string n, byte[] p)
                    {
                        var h = (Handler)dir.HandlerFor(n);
                        {|#1:h.Deliver(p)|};
                    }

                    public Envelope Assigned(string n) => new Envelope { {|#2:Codec = dir.CodecFor(n)|}, Note = dir.CodecFor(n) };

                    public Envelope Constant() => new Envelope { Codec = Codec.Json, Note = Codec.Bincode };
                }
            }
            """;
        await new AllRules(source).WithPeerNet()
            .Expect(At("PN0001", 0), At("PN0001", 1), At("PN0001", 2))
            .RunAsync();
    }
}
