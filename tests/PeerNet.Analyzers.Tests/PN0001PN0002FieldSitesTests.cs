using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PeerNet.Analyzers.Flow;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// Where a field is assigned: the sites in units that reference a source. When the sources question is answered from
/// its cone, only the confirmed units among those assigning the field's name are bound, not every constructor of every
/// class with a field of that name; the sites and the diagnostics are those the backward search finds.
/// </summary>
public class PN0001PN0002FieldSitesTests
{
    // Twenty classes with a public field Protocol, each assigned from a constant in its constructor; Holder0 also
    // assigns it from the snapshot, and Sender sends Holder0's.
    private static readonly string Source = AnalyzerVerifier<PN0001PN0002SnapshotRaceAnalyzer>.Usings +
        string.Join("\n", Enumerable.Range(0, 20).Select(i => $$"""
            class Holder{{i}}
            {
                public ProtocolId Protocol;
                public Holder{{i}}() { Protocol = ProtocolId.ConsensusRpcBcs; }
                {{(i == 0 ? "public void Refresh(PeersAndMetadata s, PeerNetworkId p) => Protocol = s.GetMetadataForPeer(p).SupportedProtocols.First();" : "")}}
            }
            """)) + """

        class Sender
        {
            void Send(Holder0 h, INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, h.Protocol, m);
            void SendOther(Holder7 h, INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, h.Protocol, m);
        }
        """;

    [Fact]
    public async Task From_the_cone_only_the_confirmed_assigning_units_are_bound()
    {
        var compilation = await DirectRunner.CompileAsync(new[] { ("/0/Holders.cs", Source) });
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var symbols = WellKnownSymbols.TryCreate(compilation, new DirectRunner.DictionaryOptionsProvider(new Dictionary<string, string>()))!;
        IFieldSymbol Field(int i) => (IFieldSymbol)compilation.GetTypeByMetadataName($"Holder{i}")!.GetMembers("Protocol").Single();

        var forward = new CompilationAnalysis(symbols, 0);
        var backward = new CompilationAnalysis(symbols, int.MaxValue);
        forward.Prepare(default);
        backward.Prepare(default);
        Assert.Equal((true, false), forward.RelevantSymbols.UsesCones);

        var before = forward.RelevantSymbols.BoundUnitCount;
        var sites = forward.RelevantSymbols.AssignmentSites(Field(0), default);
        var others = forward.RelevantSymbols.AssignmentSites(Field(7), default);
        Assert.Equal(before, forward.RelevantSymbols.BoundUnitCount); // the confirmed units were bound by the cone already

        static string Show(SyntaxNode site) => site is MethodDeclarationSyntax m ? m.Identifier.ValueText : site.Kind().ToString();
        Assert.Equal(new[] { "ConstructorDeclaration", "Refresh" }, sites.Select(Show));
        Assert.Empty(others);
        Assert.Equal(sites.Select(s => s.Span), backward.RelevantSymbols.AssignmentSites(Field(0), default).Select(s => s.Span));
        Assert.Empty(backward.RelevantSymbols.AssignmentSites(Field(7), default));
        Assert.True(backward.RelevantSymbols.BoundUnitCount >= 20); // the backward search binds every constructor assigning a Protocol
    }

    [Fact]
    public async Task The_diagnostics_do_not_depend_on_it()
    {
        var cone = await GateAnswers.SameDiagnosticsEitherWayAsync("/0/Holders.cs", Source);
        Assert.Single(cone);
        Assert.Contains("'h.Protocol'", cone[0], StringComparison.Ordinal);
    }
}
