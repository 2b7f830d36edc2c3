using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// PN0001 and PN0002 share one analysis per compilation and one flow analysis per body (the first rule to
/// reach a body computes it, the other reads it). Each rule must still report exactly what it reports
/// alone, together or apart, and again when the same compilation is analyzed a second time.
/// </summary>
public class SharedAnalysisTests
{
    private const string Source = AnalyzerVerifier<PN0001StaleProtocolAnalyzer>.Usings + """
        class C
        {
            NetworkClient client = null!;
            PeersAndMetadata store = null!;
            PeerNetworkId peer;
            IReadOnlyList<ProtocolId> prefs = null!;
            Message msg = null!;
            INetworkSender Sender => client.GetSenderForNetwork(peer.NetworkId);

            void Racy() => Sender.SendTo(peer.PeerId, client.GetPreferredProtocolForPeer(peer, prefs), msg);

            void Guarded()
            {
                var snapshot = store.GetSnapshot();
                var protocol = snapshot.GetMetadataForPeer(peer).SupportedProtocols.First();
                if (store.IsCurrent(snapshot.Version))
                {
                    Sender.SendTo(peer.PeerId, protocol, msg);
                }
            }

            void Both()
            {
                var snapshot = store.GetSnapshot();
                var protocol = snapshot.GetMetadataForPeer(peer).SupportedProtocols.First();
                Sender.SendTo(peer.PeerId, protocol, msg);
                if (store.IsCurrent(snapshot.Version))
                {
                    Sender.SendTo(peer.PeerId, protocol, msg);
                }
            }

            bool Atomic() => client.TrySendWithCurrentProtocol(peer, prefs, msg, out _);
        }
        """;

    [Fact]
    public async Task Each_rule_reports_the_same_alone_together_and_on_a_second_analysis_of_the_same_compilation()
    {
        var compilation = await DirectRunner.CompileAsync(new[] { ("/0/Test0.cs", Source) });
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var pn0001Alone = Describe(await DirectRunner.RunAsync(new PN0001StaleProtocolAnalyzer(), await Fresh()));
        var pn0002Alone = Describe(await DirectRunner.RunAsync(new PN0002VersionCheckGuardAnalyzer(), await Fresh()));
        Assert.Equal(new[] { "PN0001 Racy", "PN0001 Both" }, pn0001Alone);
        Assert.Equal(new[] { "PN0002 Guarded", "PN0002 Both" }, pn0002Alone);

        var both = ImmutableArray.Create<DiagnosticAnalyzer>(new PN0001StaleProtocolAnalyzer(), new PN0002VersionCheckGuardAnalyzer());
        var first = Describe(await DirectRunner.RunAsync(both, compilation));
        var second = Describe(await DirectRunner.RunAsync(both, compilation)); // same Compilation: the shared analysis is reused
        var expected = pn0001Alone.Concat(pn0002Alone).OrderBy(s => s, StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, first.OrderBy(s => s, StringComparer.Ordinal));
        Assert.Equal(expected, second.OrderBy(s => s, StringComparer.Ordinal));

        // One rule alone on the compilation the pair has already analyzed.
        Assert.Equal(pn0002Alone, Describe(await DirectRunner.RunAsync(new PN0002VersionCheckGuardAnalyzer(), compilation)));

        Task<Microsoft.CodeAnalysis.CSharp.CSharpCompilation> Fresh() => DirectRunner.CompileAsync(new[] { ("/0/Test0.cs", Source) });
    }

    private static string[] Describe(ImmutableArray<Diagnostic> diagnostics) =>
        diagnostics.Select(d =>
        {
            var method = d.Location.SourceTree!.GetRoot().FindNode(d.Location.SourceSpan)
                .AncestorsAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().First();
            return $"{d.Id} {method.Identifier.ValueText}";
        }).ToArray();
}
