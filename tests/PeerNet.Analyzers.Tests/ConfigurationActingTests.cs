using Microsoft.CodeAnalysis.Testing;
using static PeerNet.Analyzers.Tests.ConfigurationTestKit;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// Each list key with three entries, given in a real .globalconfig or .editorconfig, separated in each
/// accepted way: every entry acts (each produces the diagnostic it exists for) and nothing is reported
/// as PN0000.
/// </summary>
public class ConfigurationActingTests
{
    /// <summary>Uses of <see cref="ConfigurationTestKit.ClusterApi"/>: one finding per configured entry.</summary>
    private const string Uses = ClusterApi + """
        namespace Cluster
        {
            public sealed class Gossip
            {
                private readonly MembershipCache cache = new MembershipCache();
                private readonly Transport transport = new Transport();

                // Each source reaches one sink: PN0001.
                public void ByMethod(string node, byte[] payload)
                {
                    var codec = cache.CodecFor(node);
                    {|#0:transport.Send(node, codec, payload)|};
                }

                public void ByProperty(string node, byte[] payload) => {|#1:transport.SendFramed(node, payload, cache.PreferredCodec)|};

                public async Task ByField(string node, byte[] payload) => await {|#2:transport.SendAsync(node, cache.LastNegotiated, payload)|};

                // Each version check guards a separate send: PN0002.
                public void CheckedOnce(string node, byte[] payload)
                {
                    var version = cache.Version;
                    var codec = cache.CodecFor(node);
                    if (cache.IsCurrent(version)) {|#3:transport.Send(node, codec, payload)|};
                }

                public void CheckedPerNode(string node, byte[] payload)
                {
                    var version = cache.Version;
                    var codec = cache.PreferredCodec;
                    if (!cache.Unchanged(node, version)) return;
                    {|#4:transport.Send(node, codec, payload)|};
                }

                public void CheckedStill(string node, byte[] payload)
                {
                    var version = cache.Version;
                    var codec = cache.LastNegotiated;
                    if (cache.StillValid(version)) {|#5:transport.SendFramed(node, payload, codec)|};
                }

                // Each Try-send's result is dropped: PN0003.
                public void Dropped(string node, byte[] payload)
                {
                    {|#6:transport.TrySend(node, payload)|};
                    _ = {|#7:transport.TryBroadcast(payload)|};
                    var sent = {|#8:transport.TrySendUrgent(node, payload)|};
                }
            }
        }
        """;

    private static readonly DiagnosticResult[] Expected =
    {
        At("PN0001", 0), At("PN0001", 1), At("PN0001", 2),
        At("PN0002", 3), At("PN0002", 4), At("PN0002", 5),
        At("PN0003", 6), At("PN0003", 7), At("PN0003", 8),
    };

    public static readonly TheoryData<FileForm, string> FormsAndSeparators = new()
    {
        { FileForm.GlobalConfig, ", " },
        { FileForm.GlobalConfig, "," },
        { FileForm.GlobalConfig, " " },
        { FileForm.GlobalConfig, " \t , " },
        { FileForm.EditorConfig, ", " },
        { FileForm.EditorConfig, "," },
        { FileForm.EditorConfig, " " },
        { FileForm.EditorConfig, " \t , " },
    };

    [Theory]
    [MemberData(nameof(FormsAndSeparators))]
    public async Task Three_entries_per_key_all_act(FileForm form, string separator)
    {
        await new AllRules(Uses, File(form, ClusterConfiguration(separator))).Expect(Expected).RunAsync();
    }

    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task The_same_with_PeerNet_referenced(FileForm form)
    {
        await new AllRules(Uses, File(form, ClusterConfiguration(", "))).WithPeerNet().Expect(Expected).RunAsync();
    }

    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task Without_configuration_the_user_API_is_not_analyzed(FileForm form)
    {
        await new AllRules(StripMarkup(Uses), File(form, "")).RunAsync();
    }

    /// <summary>
    /// Why ';' cannot separate entries: the compiler's parser ends the value at ';' (and '#'), so only the
    /// first entry of each key reaches the analyzer, and it cannot tell. The docs never show ';'.
    /// </summary>
    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task A_semicolon_or_hash_ends_the_value_before_the_analyzer_sees_it(FileForm form)
    {
        var semicolons = ClusterConfiguration(";");
        var hashes = ClusterConfiguration(" # ");
        var firstOnly = new[] { At("PN0001", 0), At("PN0002", 3), At("PN0003", 6) };
        await new AllRules(Uses, File(form, semicolons)).Expect(firstOnly).RunAsync();
        await new AllRules(Uses, File(form, hashes)).Expect(firstOnly).RunAsync();
    }

    /// <summary>A delegate type's Invoke is a sink: calling the delegate (directly or through Invoke) is the send.</summary>
    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task A_delegate_types_Invoke_acts_as_a_sink(FileForm form)
    {
        var source = ClusterApi + """
            namespace Cluster
            {
                public delegate void Deliver(string node, Codec codec, byte[] payload);

                public sealed class Router
                {
                    private readonly MembershipCache cache = new MembershipCache();

                    public void Route(string node, byte[] payload, Deliver deliver)
                    {
                        var codec = cache.CodecFor(node);
                        {|#0:deliver(node, codec, payload)|};
                        {|#1:deliver.Invoke(node, codec, payload)|};
                        deliver(node, Codec.Json, payload);
                    }
                }
            }
            """;
        await new AllRules(source, File(form, """
                peernet.sources = M:Cluster.MembershipCache.CodecFor(System.String)
                peernet.sinks = M:Cluster.Deliver.Invoke(System.String,Cluster.Codec,System.Byte[])|codec
                """))
            .Expect(At("PN0001", 0), At("PN0001", 1))
            .RunAsync();
    }

    /// <summary>
    /// A helper that only calls a delegate it is given names no sink (the call `deliver(...)` does not spell
    /// `Invoke`), yet a stale value handed to it is sent: the helper's parameter flow is followed whatever it mentions.
    /// </summary>
    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task A_delegate_sink_called_inside_a_helper_is_a_send_of_the_helpers_argument(FileForm form)
    {
        var source = ClusterApi + """
            namespace Cluster
            {
                public delegate void Deliver(string node, Codec codec, byte[] payload);

                public sealed class Router
                {
                    private readonly MembershipCache cache = new MembershipCache();

                    private static void Forward(string node, Codec codec, byte[] payload, Deliver deliver) => deliver(node, codec, payload);

                    public void Route(string node, byte[] payload, Deliver deliver)
                    {
                        {|#0:Forward(node, cache.CodecFor(node), payload, deliver)|};
                        Forward(node, Codec.Json, payload, deliver);
                    }
                }
            }
            """;
        await new AllRules(source, File(form, """
                peernet.sources = M:Cluster.MembershipCache.CodecFor(System.String)
                peernet.sinks = M:Cluster.Deliver.Invoke(System.String,Cluster.Codec,System.Byte[])|codec
                """))
            .Expect(At("PN0001", 0))
            .RunAsync();
    }

    /// <summary>A method that hands its value out through an out parameter acts as a source.</summary>
    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task A_method_with_an_out_parameter_acts_as_a_source(FileForm form)
    {
        var source = ClusterApi + """
            namespace Cluster
            {
                public sealed class Directory
                {
                    public void Lookup(string node, out Codec codec) => codec = Codec.Json;
                }

                public sealed class Sender
                {
                    public void Send(Directory directory, Transport transport, string node, byte[] payload)
                    {
                        directory.Lookup(node, out var codec);
                        {|#0:transport.Send(node, codec, payload)|};
                    }
                }
            }
            """;
        await new AllRules(source, File(form, """
                peernet.sources = M:Cluster.Directory.Lookup(System.String,Cluster.Codec@)
                peernet.sinks = M:Cluster.Transport.Send(System.String,Cluster.Codec,System.Byte[])|codec
                """))
            .Expect(At("PN0001", 0))
            .RunAsync();
    }

    /// <summary>An entry in an .editorconfig section for other files still applies to the whole compilation.</summary>
    [Fact]
    public async Task An_entry_in_a_section_for_other_files_applies_to_every_file()
    {
        var editorconfig = ("/.editorconfig", "root = true\n\n[Unrelated*.cs]\n" + ClusterConfiguration(", "));
        var test = new AllRules(Uses, editorconfig).Expect(Expected);
        test.TestState.Sources.Add(("/0/Unrelated.cs", "namespace Cluster { internal static class Unrelated { } }"));
        await test.RunAsync();
    }
}
