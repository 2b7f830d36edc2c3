namespace PeerNet.Analyzers.Tests;

/// <summary>PN0000: configuration entries that resolve to nothing are reported, never silently ignored.</summary>
public class PN0000Tests
{
    private const string Source = """
        namespace My
        {
            class Cache { public int GetProto(string peer) => 1; }
            class Wire { public void Push(string peer, int proto) { } }
        }
        """;

    [Fact]
    public async Task Unresolvable_entries_are_each_reported()
    {
        var diagnostics = await DirectRunner.RunAsync(new PN0000ConfigurationAnalyzer(), new[] { ("/0/A.cs", Source) }, new Dictionary<string, string>
        {
            ["peernet.extra_sources"] = "M:My.Cache.GetProto(System.String); M:My.Cache.Typo",
            ["peernet.extra_sinks"] = "M:My.Wire.Push(System.String,System.Int32)|nope; M:My.Wire.Push(System.String,System.Int32)|7; M:My.Wire.Push(System.String,System.Int32)",
            ["peernet.extra_version_checks"] = "T:My.Cache",
        });
        var messages = diagnostics.Select(d => d.GetMessage()).ToList();
        Assert.All(diagnostics, d => Assert.Equal("PN0000", d.Id));
        Assert.Contains(messages, m => m.Contains("'M:My.Cache.Typo' names no symbol"));
        Assert.Contains(messages, m => m.Contains("has no parameter named 'nope'"));
        Assert.Contains(messages, m => m.Contains("has no parameter at index 7"));
        Assert.Contains(messages, m => m.Contains("has no PeerNet.ProtocolId parameter"));
        Assert.Contains(messages, m => m.Contains("'T:My.Cache' is not a method, property or field"));
        Assert.Equal(5, diagnostics.Length);
    }

    [Fact]
    public async Task Valid_entries_and_no_configuration_report_nothing()
    {
        Assert.Empty(await DirectRunner.RunAsync(new PN0000ConfigurationAnalyzer(), new[] { ("/0/A.cs", Source) }, new Dictionary<string, string>
        {
            ["peernet.extra_sources"] = "M:My.Cache.GetProto(System.String)",
            ["peernet.extra_sinks"] = "M:My.Wire.Push(System.String,System.Int32)|proto",
        }));
        Assert.Empty(await DirectRunner.RunAsync(new PN0000ConfigurationAnalyzer(), new[] { ("/0/A.cs", Source) }));
    }
}
