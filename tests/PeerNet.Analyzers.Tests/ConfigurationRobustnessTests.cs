using Microsoft.CodeAnalysis.Testing;
using static PeerNet.Analyzers.Tests.ConfigurationTestKit;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// Malformed configuration, through the compiler's parser, with every rule running: no analyzer throws
/// (an AD0001 would fail the comparison), each malformed entry gets its own PN0000, and the same on every run.
/// </summary>
public class ConfigurationRobustnessTests
{
    private const string Send = "M:Cluster.Transport.Send(System.String,Cluster.Codec,System.Byte[])";

    private static readonly string Lines = $"""
        peernet.sources = M:Nope( , ,garbage, T:, P:, M:, :, M:Cluster..X, M:Cluster.MembershipCache.CodecFor(System.String)) , M:Cluster.MembershipCache.CodecFor(System.String], M:Cluster.MembershipCache.CodecFor(System.String)|node
        peernet.sinks = | , |0, {Send}||codec, {Send}|-1, {Send}|99999999999999999999, {Send}|Codec
        peernet.version_checks = !!, M:Cluster.MembershipCache.IsCurrent(System.Int64)|0, é:x
        peernet.try_sends = M:C.M(), M:C.M, M:C.M``1, N:Cluster
        peernet. = x

        """;

    private static readonly DiagnosticResult[] Expected =
    {
        Pn0000("peernet. is not a key of the PeerNet analyzers (they read peernet.sources, peernet.sinks, peernet.version_checks, peernet.try_sends, peernet.validated_versions, peernet.connection_owners, peernet.analyze_generated_code)"),
        Pn0000($"peernet.sinks: '{Send}|-1' has no parameter named '-1'"),
        Pn0000($"peernet.sinks: '{Send}|99999999999999999999' has no parameter named '99999999999999999999'"),
        Pn0000($"peernet.sinks: '{Send}|Codec' has no parameter named 'Codec'"),
        Pn0000($"peernet.sinks: '{Send}||codec' names no symbol of this compilation; did you mean '{Send}'?"),
        Pn0000("peernet.sinks: '|' names no parameter after '|' (write the parameter's name or zero-based index)"),
        Pn0000("peernet.sinks: '|0' is not a documentation comment ID (M:, P:, F: or T: followed by the member's or type's full name)"),
        Pn0000("peernet.sources: ':' is not a documentation comment ID (M:, P:, F: or T: followed by the member's or type's full name)"),
        Pn0000("peernet.sources: 'M:' is not a documentation comment ID (M:, P:, F: or T: followed by the member's or type's full name)"),
        Pn0000("peernet.sources: 'M:Cluster..X' names no symbol of this compilation"),
        Pn0000("peernet.sources: 'M:Cluster.MembershipCache.CodecFor(System.String))' names no symbol of this compilation (a bracket is not closed)"),
        Pn0000("peernet.sources: 'M:Cluster.MembershipCache.CodecFor(System.String)|node' names a parameter with '|', which only peernet.sinks and peernet.validated_versions take"),
        Pn0000("peernet.sources: 'M:Cluster.MembershipCache.CodecFor(System.String]' names no symbol of this compilation; did you mean 'M:Cluster.MembershipCache.CodecFor(System.String)'?"),
        Pn0000("peernet.sources: 'M:Nope(,,garbage' names no symbol of this compilation (a bracket is not closed)"),
        Pn0000("peernet.sources: 'P:' is not a documentation comment ID (M:, P:, F: or T: followed by the member's or type's full name)"),
        Pn0000("peernet.sources: 'T:' is not a documentation comment ID (M:, P:, F: or T: followed by the member's or type's full name)"),
        Pn0000("peernet.try_sends: 'M:C.M' returns void, so there is no result to observe"),
        Pn0000("peernet.try_sends: 'M:C.M()' names no symbol of this compilation; did you mean 'M:C.M'?"),
        Pn0000("peernet.try_sends: 'M:C.M``1' names no symbol of this compilation"),
        Pn0000("peernet.try_sends: 'N:Cluster' is a namespace; a Try-send must be a method (M:)"),
        Pn0000("peernet.version_checks: '!!' is not a documentation comment ID (M:, P:, F: or T: followed by the member's or type's full name)"),
        Pn0000("peernet.version_checks: 'M:Cluster.MembershipCache.IsCurrent(System.Int64)|0' names a parameter with '|', which only peernet.sinks and peernet.validated_versions take"),
        Pn0000("peernet.version_checks: 'é:x' names no symbol of this compilation"),
    };

    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task Malformed_entries_are_each_reported_and_nothing_throws(FileForm form)
    {
        for (int run = 0; run < 2; run++)
        {
            await new AllRules(ClusterApi + "class C { void M() { } }", File(form, Lines)).Expect(Expected).RunAsync();
        }
    }

    /// <summary>Half-typed code and a configuration naming its members: still no exception, still the PN0000s.</summary>
    [Fact]
    public async Task Malformed_configuration_over_broken_code_throws_nothing()
    {
        var test = new AllRules(ClusterApi + "class C { void M() { var x = new Cluster.Transport().Send(\"n\", ; } }", File(FileForm.GlobalConfig, Lines)).Expect(Expected);
        test.CompilerDiagnostics = CompilerDiagnostics.None;
        await test.RunAsync();
    }
}
