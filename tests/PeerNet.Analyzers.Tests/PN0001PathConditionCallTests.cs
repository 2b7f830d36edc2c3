using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PeerNet.Analyzers.Flow;
using Verify = PeerNet.Analyzers.Tests.AnalyzerVerifier<PeerNet.Analyzers.PN0001PN0002SnapshotRaceAnalyzer>;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// A call made under a stale condition with nothing stale going in: the condition reaches the callee's sends only
/// through an argument it mentions (`if (set.Contains(X)) Forward(X)`), so only then is the callee summarized for
/// its sinks. A condition that mentions none of the arguments (`while (!metadata.SupportedProtocols.IsEmpty) Refresh(false)`)
/// adds nothing a summary could report: the callee, and everything it calls, is not bound for it.
/// </summary>
public class PN0001PathConditionCallTests
{
    private const string Fields = """
            NetworkClient client = null!;
            PeersAndMetadata store = null!;
            PeerNetworkId peer;
            Message msg = null!;
            INetworkSender Sender => client.GetSenderForNetwork(peer.NetworkId);
        """;

    // Forward0 -> Forward1 -> ... -> Forward5, which sends the protocol it was handed.
    private static readonly string Chain = string.Join("\n", Enumerable.Range(0, 6).Select(i => i < 5
        ? $"    void Forward{i}(ProtocolId protocol) => Forward{i + 1}(protocol);"
        : $"    void Forward{i}(ProtocolId protocol) => Sender.SendTo(peer.PeerId, protocol, msg);"));

    private static string Class(string members) => "class C\n{\n" + Fields + "\n" + members + "\n" + Chain + "\n}\n";

    [Fact]
    public async Task A_condition_about_the_argument_reaches_the_send_five_calls_down()
    {
        // The constant is sent because the stale set holds it: check-then-act through the helpers' summaries.
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    if ({|#1:client.GetSupportedProtocols(peer)|}.Contains(ProtocolId.DKGRpcCompressed))
                        {|#0:Forward0(ProtocolId.DKGRpcCompressed)|};
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task A_condition_about_a_local_passed_on_reaches_the_send()
    {
        await Verify.VerifyAsync(Class("""
                void M(ProtocolId wanted)
                {
                    var set = {|#1:store.GetMetadataForPeer(peer)|}.SupportedProtocols;
                    while (set.Contains(wanted))
                    {
                        {|#0:Forward0(wanted)|};
                        break;
                    }
                }
            """),
            Verify.Diagnostic("PN0001", 0, 1));
    }

    [Fact]
    public async Task A_condition_that_mentions_no_argument_makes_no_finding()
    {
        // The loop runs while the stale set is not empty; what it calls sends a constant the condition never mentions.
        await Verify.VerifyAsync(Class("""
                void M()
                {
                    while (!store.GetMetadataForPeer(peer).SupportedProtocols.IsEmpty)
                    {
                        Forward0(ProtocolId.MempoolRpc);
                        Refresh();
                    }
                }

                void Refresh() => Forward0(ProtocolId.StateSyncDirectSend);
            """));
    }

    [Fact]
    public async Task A_condition_that_mentions_no_argument_does_not_bind_the_callees()
    {
        var source = AnalyzerVerifier<PN0001PN0002SnapshotRaceAnalyzer>.Usings + Class("""
                void M()
                {
                    while (!store.GetMetadataForPeer(peer).SupportedProtocols.IsEmpty)
                    {
                        Forward0(ProtocolId.MempoolRpc);
                    }
                }
            """);
        var compilation = await DirectRunner.CompileAsync(new[] { ("/0/C.cs", source) });
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var symbols = WellKnownSymbols.TryCreate(compilation, new DirectRunner.DictionaryOptionsProvider(new Dictionary<string, string>()))!;
        var analysis = new CompilationAnalysis(symbols);
        analysis.Prepare(default);

        var tree = compilation.SyntaxTrees.Single();
        var method = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == "M");
        var model = compilation.GetSemanticModel(tree);
        var root = model.GetOperation(method)!;
        var before = analysis.RelevantSymbols.BoundUnitCount;
        var findings = analysis.AnalyzeBody(root, () => Microsoft.CodeAnalysis.FlowAnalysis.ControlFlowGraph.Create((Microsoft.CodeAnalysis.Operations.IMethodBodyOperation)root), default);

        Assert.Empty(findings);

        // The call's argument is a constant the stale condition never mentions: no helper of the chain is asked
        // about or summarized (asking whether Forward0 leads to a send binds each of the six).
        Assert.True(analysis.RelevantSymbols.BoundUnitCount - before < 2, $"bound {analysis.RelevantSymbols.BoundUnitCount - before} units");
    }
}
