using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

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

    private static readonly AnalyzerConfigSet NoConfiguration = AnalyzerConfigSet.Create(ImmutableArray<AnalyzerConfig>.Empty);

    private static Task<(long BodyActions, long CallActions)> ActionsAsync(AnalyzerConfigSet set, params string[] sources) =>
        ActionsAsync(new ConfigSetProvider(set), sources);

    private static async Task<(long BodyActions, long CallActions)> ActionsAsync(AnalyzerConfigOptionsProvider provider, params string[] sources)
    {
        var compilation = await DirectRunner.CompileAsync(sources.Select((s, i) => ($"/0/F{i}.cs", s)));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var race = new PN0001PN0002SnapshotRaceAnalyzer();
        var discarded = new PN0003DiscardedTrySendResultAnalyzer();
        var withAnalyzers = compilation.WithAnalyzers(
            ImmutableArray.Create<DiagnosticAnalyzer>(race, discarded),
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, provider),
                onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false));
        await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        var raceInfo = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(race, CancellationToken.None);
        var discardedInfo = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(discarded, CancellationToken.None);
        return (raceInfo.SyntaxNodeActionsCount, discardedInfo.SyntaxNodeActionsCount);
    }

    [Fact]
    public async Task Nothing_is_registered_where_the_code_cannot_reach_PeerNet()
    {
        Assert.Equal((0L, 0L), await ActionsAsync(NoConfiguration, LookAlikes));
    }

    [Fact]
    public async Task Naming_the_namespace_registers_both()
    {
        var (bodies, calls) = await ActionsAsync(NoConfiguration, LookAlikes, "global using PeerNet;");
        Assert.True(bodies > 0, "PN0001/PN0002 registered no body action");
        Assert.True(calls > 0, "PN0003 registered no invocation action");
    }

    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task Configured_members_register_both_without_PeerNet_in_reach(ConfigurationTestKit.FileForm form)
    {
        // The configuration file is read by the compiler's own parser (AnalyzerConfig, AnalyzerConfigSet).
        var (path, text) = ConfigurationTestKit.File(form, ConfigurationTestKit.ClusterConfiguration(", "));
        var set = AnalyzerConfigSet.Create(ImmutableArray.Create(AnalyzerConfig.Parse(SourceText.From(text), path)));
        var user = """
            namespace Cluster
            {
                class Gossip
                {
                    void Push(MembershipCache cache, Transport transport, byte[] payload)
                    {
                        transport.Send("n1", cache.CodecFor("n1"), payload);
                        transport.TrySend("n1", payload);
                    }
                }
            }
            """;
        var (bodies, calls) = await ActionsAsync(set, LookAlikes, ConfigurationTestKit.ClusterApi, user);
        Assert.True(bodies > 0, "PN0001/PN0002 registered no body action for configured sources");
        Assert.True(calls > 0, "PN0003 registered no invocation action for configured Try-sends");
    }

    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task Configuration_naming_nothing_here_registers_nothing(ConfigurationTestKit.FileForm form)
    {
        // The same file in a project without the configured API: its entries resolve to nothing.
        var (path, text) = ConfigurationTestKit.File(form, ConfigurationTestKit.ClusterConfiguration(", "));
        var set = AnalyzerConfigSet.Create(ImmutableArray.Create(AnalyzerConfig.Parse(SourceText.From(text), path)));
        Assert.Equal((0L, 0L), await ActionsAsync(set, LookAlikes));
    }

    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task Where_sources_are_configured_every_tree_s_words_are_read_while_resolving(ConfigurationTestKit.FileForm form)
    {
        // The analysis looks for the sources' names in every tree: their texts are read as the configuration is
        // resolved, ahead of the first symbol lookup (TreeText.ReadWords), not after it.
        var (path, text) = ConfigurationTestKit.File(form, ConfigurationTestKit.ClusterConfiguration(", "));
        var set = AnalyzerConfigSet.Create(ImmutableArray.Create(AnalyzerConfig.Parse(SourceText.From(text), path)));
        var compilation = await CompileAsync(LookAlikes, ConfigurationTestKit.ClusterApi, "class Other { int X => 1; }");
        Assert.NotNull(WellKnownSymbols.TryCreate(compilation, new ConfigSetProvider(set)));
        Assert.All(compilation.SyntaxTrees, tree => Assert.True(Flow.TreeText.HasReadWords(tree), tree.FilePath));
    }

    [Fact]
    public async Task Where_code_can_reach_PeerNet_every_tree_s_words_are_read_while_resolving_and_where_it_cannot_none()
    {
        var reaching = await CompileAsync(LookAlikes, "global using PeerNet;", "class Other { int X => 1; }");
        Assert.NotNull(WellKnownSymbols.TryCreate(reaching, new ConfigSetProvider(NoConfiguration)));
        Assert.All(reaching.SyntaxTrees, tree => Assert.True(Flow.TreeText.HasReadWords(tree), tree.FilePath));

        // PeerNet referenced but never named, nothing configured: no symbol is asked for and no text is read for words.
        var unused = await CompileAsync(LookAlikes, "class Other { int X => 1; }");
        Assert.Null(WellKnownSymbols.TryCreate(unused, new ConfigSetProvider(NoConfiguration)));
        Assert.All(unused.SyntaxTrees, tree => Assert.False(Flow.TreeText.HasReadWords(tree), tree.FilePath));

        // Configured, but with no source: nothing to look for in every tree.
        var (path, text) = ConfigurationTestKit.File(ConfigurationTestKit.FileForm.GlobalConfig, "peernet.sinks = M:Cluster.Transport.Send(System.String,Cluster.Codec,System.Byte[])|codec");
        var sinksOnly = await CompileAsync(LookAlikes, ConfigurationTestKit.ClusterApi);
        var set = AnalyzerConfigSet.Create(ImmutableArray.Create(AnalyzerConfig.Parse(SourceText.From(text), path)));
        Assert.NotNull(WellKnownSymbols.TryCreate(sinksOnly, new ConfigSetProvider(set)));
        Assert.All(sinksOnly.SyntaxTrees, tree => Assert.False(Flow.TreeText.HasReadWords(tree), tree.FilePath));
    }

    private static async Task<Compilation> CompileAsync(params string[] sources)
    {
        var compilation = await DirectRunner.CompileAsync(sources.Select((s, i) => ($"/0/F{i}.cs", s)));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return compilation;
    }

    /// <summary>Options from the compiler's own configuration set, per tree as csc hands them to analyzers.</summary>
    internal sealed class ConfigSetProvider : AnalyzerConfigOptionsProvider
    {
        private readonly AnalyzerConfigSet _set;

        public ConfigSetProvider(AnalyzerConfigSet set)
        {
            _set = set;
            GlobalOptions = new Options(set.GlobalConfigOptions.AnalyzerOptions);
        }

        public override AnalyzerConfigOptions GlobalOptions { get; }

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(_set.GetOptionsForSourcePath(tree.FilePath).AnalyzerOptions);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(_set.GetOptionsForSourcePath(textFile.Path).AnalyzerOptions);

        private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }
}
