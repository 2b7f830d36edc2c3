using static PeerNet.Analyzers.Tests.ConfigurationTestKit;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// PN0000, through real .globalconfig / .editorconfig files: every entry that names nothing, or names
/// something the analysis cannot act on, and every retired, unknown or misvalued key is reported once, with
/// the entry and what is wrong, and nothing else is.
/// </summary>
public class PN0000Tests
{
    private const string Source = ClusterApi + """
        namespace Cluster
        {
            public delegate void Deliver(string node, Codec codec);

            public sealed class Registry
            {
                public Registry() { }
                public Codec this[string node] => Codec.Json;
                public Codec Current { get; set; }
                public Codec WriteOnly { set { } }
                public event System.Action? Changed;
                public void Refresh() { Changed?.Invoke(); }
                public static Registry operator +(Registry a, Registry b) => a;
            }
        }
        """;

    private const string Send = "M:Cluster.Transport.Send(System.String,Cluster.Codec,System.Byte[])";

    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task Sources_that_name_nothing_or_cannot_be_read_are_each_reported(FileForm form)
    {
        await new AllRules(Source, File(form, "peernet.sources = " + string.Join(", ",
                "M:Cluster.MembershipCache.CodecFor(System.String)",
                "M:Cluster.MembershipCache.Typo",
                "garbage",
                "M:Cluster.MembershipCache.CodecFor(System.String",
                "T:Cluster.Registry",
                "E:Cluster.Registry.Changed",
                "M:Cluster.Registry.get_Current",
                "P:Cluster.Registry.WriteOnly",
                "M:Cluster.Registry.Refresh",
                "M:Cluster.Registry.op_Addition(Cluster.Registry,Cluster.Registry)",
                "M:Cluster.MembershipCache.CodecFor(System.String)trailing",
                "M:Cluster.Registry.Refresh()") + "\n"))
            .Expect(
                Pn0000("peernet.sources: 'E:Cluster.Registry.Changed' is an event; a source must be a method (M:), a property (P:) or a field (F:)"),
                Pn0000("peernet.sources: 'M:Cluster.MembershipCache.CodecFor(System.String' names no symbol of this compilation (a bracket is not closed)"),
                Pn0000("peernet.sources: 'M:Cluster.MembershipCache.CodecFor(System.String)trailing' names no symbol of this compilation; did you mean 'M:Cluster.MembershipCache.CodecFor(System.String)'?"),
                Pn0000("peernet.sources: 'M:Cluster.MembershipCache.Typo' names no symbol of this compilation"),
                Pn0000("peernet.sources: 'M:Cluster.Registry.Refresh()' names no symbol of this compilation; did you mean 'M:Cluster.Registry.Refresh'?"),
                Pn0000("peernet.sources: 'M:Cluster.Registry.Refresh' returns nothing (void, no out or ref parameter), so no cached value comes from it"),
                Pn0000("peernet.sources: 'M:Cluster.Registry.get_Current' is the getter of a property; name the property itself: 'P:Cluster.Registry.Current'"),
                Pn0000("peernet.sources: 'M:Cluster.Registry.op_Addition(Cluster.Registry,Cluster.Registry)' is an operator; a source must be an ordinary method, a property or a field"),
                Pn0000("peernet.sources: 'P:Cluster.Registry.WriteOnly' has no getter, so nothing is read from it"),
                Pn0000("peernet.sources: 'T:Cluster.Registry' is a type; a source must be a method (M:), a property (P:) or a field (F:)"),
                Pn0000("peernet.sources: 'garbage' is not a documentation comment ID (M:, P:, F: or T: followed by the member's or type's full name)"))
            .RunAsync();
    }

    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task Sinks_that_name_nothing_or_no_usable_parameter_are_each_reported(FileForm form)
    {
        await new AllRules(Source, File(form, "peernet.sinks = " + string.Join(" ",
                Send + "|codec",
                Send + "|nope",
                Send + "|7",
                Send,
                Send + "|",
                "M:Cluster.Transport.Sned(System.String,Cluster.Codec,System.Byte[])|codec",
                "P:Cluster.Registry.Current|codec",
                "P:Cluster.Registry.Item(System.String)|value",
                "M:Cluster.Registry.set_Current(Cluster.Codec)|value",
                "M:Cluster.Registry.Refresh|this",
                "M:Cluster.Registry.op_Addition(Cluster.Registry,Cluster.Registry)|this",
                "T:Cluster.Deliver",
                "F:Cluster.MembershipCache.LastNegotiated") + "\n"))
            .Expect(
                Pn0000("peernet.sinks: 'F:Cluster.MembershipCache.LastNegotiated' is a field; a sink must be a method (M:) with '|parameter' or '|this', or a property (P:) with '|value'"),
                Pn0000("peernet.sinks: 'M:Cluster.Registry.set_Current(Cluster.Codec)|value' is a property setter; name the property: 'P:Cluster.Registry.Current|value'"),
                Pn0000($"peernet.sinks: '{Send}' has no PeerNet.ProtocolId parameter; name the sink parameter with '|parameterName' or '|index', or the receiver with '|this'"),
                Pn0000($"peernet.sinks: '{Send}|' names no parameter after '|' (write the parameter's name or zero-based index)"),
                Pn0000($"peernet.sinks: '{Send}|7' has no parameter at index 7 (it has 3)"),
                Pn0000($"peernet.sinks: '{Send}|nope' has no parameter named 'nope'"),
                Pn0000("peernet.sinks: 'M:Cluster.Transport.Sned(System.String,Cluster.Codec,System.Byte[])|codec' names no symbol of this compilation"),
                Pn0000("peernet.sinks: 'M:Cluster.Registry.op_Addition(Cluster.Registry,Cluster.Registry)|this' is an operator; a sink must be a parameter of an ordinary method or of a delegate type's Invoke"),
                Pn0000("peernet.sinks: 'P:Cluster.Registry.Current|codec' names 'codec' of a property; a property sink takes '|value' (the assigned value) or nothing"),
                Pn0000("peernet.sinks: 'P:Cluster.Registry.Item(System.String)|value' has no setter, so nothing is sent by assigning it"),
                Pn0000("peernet.sinks: 'T:Cluster.Deliver' is a delegate type; name its Invoke method with the parameter: 'M:Cluster.Deliver.Invoke(System.String,Cluster.Codec)|parameter'"))
            .RunAsync();
    }

    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task Version_checks_and_Try_sends_that_cannot_act_are_each_reported(FileForm form)
    {
        await new AllRules(Source, File(form, """
                peernet.version_checks = M:Cluster.MembershipCache.IsCurrent(System.Int64), P:Cluster.MembershipCache.Version, F:Cluster.MembershipCache.LastNegotiated, M:Cluster.MembershipCache.IsCurent(System.Int64), P:Cluster.Registry.WriteOnly, M:Cluster.MembershipCache.get_Version, E:Cluster.Registry.Changed
                peernet.try_sends = M:Cluster.Transport.TrySend(System.String,System.Byte[]), M:Cluster.Registry.Refresh, P:Cluster.Registry.Current, M:Cluster.Transport.TrySend
                """))
            .Expect(
                Pn0000("peernet.version_checks: 'E:Cluster.Registry.Changed' is an event; a version check must be a method (M:), a property (P:) or a field (F:)"),
                Pn0000("peernet.version_checks: 'M:Cluster.MembershipCache.IsCurent(System.Int64)' names no symbol of this compilation"),
                Pn0000("peernet.version_checks: 'M:Cluster.MembershipCache.get_Version' is the getter of a property; name the property itself: 'P:Cluster.MembershipCache.Version'"),
                Pn0000("peernet.version_checks: 'P:Cluster.Registry.WriteOnly' has no getter, so it is never read as a check"),
                Pn0000("peernet.try_sends: 'M:Cluster.Registry.Refresh' returns void, so there is no result to observe"),
                Pn0000("peernet.try_sends: 'M:Cluster.Transport.TrySend' names no symbol of this compilation"),
                Pn0000("peernet.try_sends: 'P:Cluster.Registry.Current' is a property; a Try-send must be a method (M:)"))
            .RunAsync();
    }

    /// <summary>The 0.1-preview keys are no longer read: each is reported with its replacement and the value as the compiler cut it.</summary>
    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task Retired_keys_are_reported_with_the_migration(FileForm form)
    {
        await new AllRules(Source, File(form, """
                peernet.extra_sources = M:Cluster.MembershipCache.CodecFor(System.String);P:Cluster.MembershipCache.PreferredCodec
                peernet.extra_sinks = M:Cluster.Transport.Send(System.String,Cluster.Codec,System.Byte[])|codec; M:Cluster.Transport.SendFramed(System.String,System.Byte[],Cluster.Codec)|2
                peernet.extra_version_checks = M:Cluster.MembershipCache.IsCurrent(System.Int64)
                peernet.extra_try_sends = M:Cluster.Transport.TrySend(System.String,System.Byte[])
                """))
            .Expect(
                Pn0000("peernet.extra_sources is no longer read: rename it peernet.sources and separate its entries with ',' or spaces (the compiler ends a value at the first ';' or '#', so this value arrived as 'M:Cluster.MembershipCache.CodecFor(System.String)')"),
                Pn0000("peernet.extra_sinks is no longer read: rename it peernet.sinks and separate its entries with ',' or spaces (the compiler ends a value at the first ';' or '#', so this value arrived as 'M:Cluster.Transport.Send(System.String,Cluster.Codec,System.Byte[])|codec')"),
                Pn0000("peernet.extra_version_checks is no longer read: rename it peernet.version_checks and separate its entries with ',' or spaces (the compiler ends a value at the first ';' or '#', so this value arrived as 'M:Cluster.MembershipCache.IsCurrent(System.Int64)')"),
                Pn0000("peernet.extra_try_sends is no longer read: rename it peernet.try_sends and separate its entries with ',' or spaces (the compiler ends a value at the first ';' or '#', so this value arrived as 'M:Cluster.Transport.TrySend(System.String,System.Byte[])')"))
            .RunAsync();
    }

    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task Unknown_keys_and_a_switch_that_is_neither_true_nor_false_are_reported(FileForm form)
    {
        await new AllRules(Source, File(form, """
                peernet.source = M:Cluster.MembershipCache.CodecFor(System.String)
                PeerNet.Sink = M:Cluster.Transport.Send(System.String,Cluster.Codec,System.Byte[])|codec
                peernet.analyze_generated_code = yes
                """))
            .Expect(
                Pn0000("peernet.sink is not a key of the PeerNet analyzers (they read peernet.sources, peernet.sinks, peernet.version_checks, peernet.try_sends, peernet.validated_versions, peernet.connection_owners, peernet.analyze_generated_code)"),
                Pn0000("peernet.source is not a key of the PeerNet analyzers (they read peernet.sources, peernet.sinks, peernet.version_checks, peernet.try_sends, peernet.validated_versions, peernet.connection_owners, peernet.analyze_generated_code)"),
                Pn0000("peernet.analyze_generated_code: 'yes' is neither true nor false; generated code stays skipped"))
            .RunAsync();
    }

    /// <summary>
    /// '#' starts a comment even inside a value, so IDs that contain it (constructors '#ctor', explicit
    /// interface implementations) arrive cut: reported as naming nothing, never silently dropped.
    /// </summary>
    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task An_ID_cut_at_a_hash_is_reported(FileForm form)
    {
        await new AllRules(Source, File(form, "peernet.sources = M:Cluster.Registry.#ctor\n"))
            .Expect(Pn0000("peernet.sources: 'M:Cluster.Registry.' names no symbol of this compilation"))
            .RunAsync();
    }

    /// <summary>
    /// The same entry in both files (and in several .editorconfig sections) is one entry; an entry in a
    /// section for other files still applies to the whole compilation; the messages are the same on every run.
    /// </summary>
    [Fact]
    public async Task Each_problem_is_reported_once_whatever_the_number_of_files_naming_it()
    {
        var editorconfig = ("/.editorconfig", """
            root = true

            [*.cs]
            peernet.sources = M:Cluster.MembershipCache.Typo
            peernet.extra_sinks = x

            [Other*.cs]
            peernet.sources = M:Cluster.MembershipCache.Typo, M:Cluster.MembershipCache.Typo2
            """);
        var globalconfig = File(FileForm.GlobalConfig, "peernet.sources = M:Cluster.MembershipCache.Typo\npeernet.extra_sinks = x\n");
        for (int run = 0; run < 2; run++)
        {
            var test = new AllRules(Source, editorconfig, globalconfig).Expect(
                Pn0000("peernet.extra_sinks is no longer read: rename it peernet.sinks and separate its entries with ',' or spaces (the compiler ends a value at the first ';' or '#', so this value arrived as 'x')"),
                Pn0000("peernet.sources: 'M:Cluster.MembershipCache.Typo' names no symbol of this compilation"),
                Pn0000("peernet.sources: 'M:Cluster.MembershipCache.Typo2' names no symbol of this compilation"));
            test.TestState.Sources.Add(("/0/Other.cs", "namespace Cluster { class Other { } }"));
            await test.RunAsync();
        }
    }

    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task A_valid_configuration_and_no_configuration_report_nothing(FileForm form)
    {
        await new AllRules(Source, File(form, ClusterConfiguration(", ") + "peernet.analyze_generated_code = TRUE\n")).RunAsync();
        await new AllRules(Source, File(form, "")).RunAsync();
        await new AllRules(Source).RunAsync();
    }
}
