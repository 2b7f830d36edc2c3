using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// Every project that installs the package references PeerNet.dll, most of its code never touches PeerNet:
/// there the analyzers must register nothing per body or per call (the driver then calls nothing of ours),
/// and as soon as one file names PeerNet's namespace, or a source is configured, they must.
/// </summary>
public class AnalyzerRegistrationTests
{
    // Names PeerNet's members use (GetSnapshot, Metadata, SendTo, TrySendWithCurrentProtocol) on types of its own.
    private const string LookAlikes = """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class Storage
        {
            public Storage GetSnapshot() => this;
            public Dictionary<string, string> Metadata { get; } = new();
            public void SendTo(string key, string value) => Metadata[key] = value;
            public bool TrySendWithCurrentProtocol(string key) => Metadata.ContainsKey(key);
            public void Copy(Storage other) { foreach (var pair in other.GetSnapshot().Metadata) SendTo(pair.Key, pair.Value); }
            public Task<bool> Later(string key) => Task.FromResult(TrySendWithCurrentProtocol(key));
        }
        """;

    private static async Task<(long BodyActions, long CallActions)> ActionsAsync(IReadOnlyDictionary<string, string>? options, params string[] sources)
    {
        var compilation = await DirectRunner.CompileAsync(sources.Select((s, i) => ($"/0/F{i}.cs", s)));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var race = new PN0001PN0002SnapshotRaceAnalyzer();
        var discarded = new PN0003DiscardedTrySendResultAnalyzer();
        var withAnalyzers = compilation.WithAnalyzers(
            ImmutableArray.Create<DiagnosticAnalyzer>(race, discarded),
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new DirectRunner.DictionaryOptionsProvider(options ?? new Dictionary<string, string>())),
                onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false));
        await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        var raceInfo = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(race, CancellationToken.None);
        var discardedInfo = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(discarded, CancellationToken.None);
        return (raceInfo.SyntaxNodeActionsCount, discardedInfo.SyntaxNodeActionsCount);
    }

    [Fact]
    public async Task Nothing_is_registered_where_the_code_cannot_reach_PeerNet()
    {
        Assert.Equal((0L, 0L), await ActionsAsync(null, LookAlikes));
    }

    [Fact]
    public async Task Naming_the_namespace_registers_both()
    {
        var (bodies, calls) = await ActionsAsync(null, LookAlikes, "global using PeerNet;");
        Assert.True(bodies > 0, "PN0001/PN0002 registered no body action");
        Assert.True(calls > 0, "PN0003 registered no invocation action");
    }

    [Fact]
    public async Task A_configured_source_registers_the_body_action_without_PeerNet_in_reach()
    {
        var (bodies, _) = await ActionsAsync(new Dictionary<string, string> { ["peernet.sources"] = "M:Storage.GetSnapshot" }, LookAlikes);
        Assert.True(bodies > 0, "PN0001/PN0002 registered no body action for a configured source");
    }
}
