using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PeerNet.Analyzers.Flow;

namespace PeerNet.Analyzers.Tests;

/// <summary>The engine's cost gates: bodies without a possible source are not given a control flow graph.</summary>
public class PN0001PN0002EngineGateTests
{
    private static async Task<(CompilationAnalysis Analysis, Dictionary<string, IOperation> Bodies)> LoadAsync(string source)
    {
        var compilation = await DirectRunner.CompileAsync(new[] { ("/0/E.cs", AnalyzerVerifier<PN0001PN0002SnapshotRaceAnalyzer>.Usings + source) });
        var symbols = WellKnownSymbols.TryCreate(compilation, new DirectRunner.DictionaryOptionsProvider(new Dictionary<string, string>()))!;
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var bodies = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
            .ToDictionary(m => m.Identifier.ValueText, m => model.GetOperation(m)!);
        return (new CompilationAnalysis(symbols), bodies);
    }

    private const string Source = """
        class C
        {
            int Plain(int a) { var b = a * 2; return b + 1; }
            ProtocolId GetSnapshot() => ProtocolId.MempoolRpc;
            void LookAlike(INetworkSender s, PeerId p, Message m) => s.SendTo(p, GetSnapshot(), m);
            void Real(NetworkClient c, PeerNetworkId p, IReadOnlyList<ProtocolId> prefs, Message m) =>
                c.GetSenderForNetwork(p.NetworkId).SendTo(p.PeerId, c.GetPreferredProtocolForPeer(p, prefs), m);
        }
        """;

    [Theory]
    [InlineData("Plain")]
    [InlineData("LookAlike")]
    public async Task Body_without_a_possible_source_gets_no_graph(string method)
    {
        var (analysis, bodies) = await LoadAsync(Source);
        int graphs = 0;
        var findings = analysis.AnalyzeBody(bodies[method], () => { graphs++; return BodyGraphs.Create(bodies[method], default); }, default);
        Assert.Empty(findings);
        Assert.Equal(0, graphs);
    }

    [Fact]
    public async Task Body_with_a_source_gets_a_graph_and_a_finding()
    {
        var (analysis, bodies) = await LoadAsync(Source);
        int graphs = 0;
        var findings = analysis.AnalyzeBody(bodies["Real"], () => { graphs++; return BodyGraphs.Create(bodies["Real"], default); }, default);
        Assert.Equal(1, graphs);
        var finding = Assert.Single(findings);
        Assert.Equal("SendTo", finding.SinkName);
        Assert.Equal("GetPreferredProtocolForPeer", finding.Taint.FirstSource()!.Member);
    }
}
