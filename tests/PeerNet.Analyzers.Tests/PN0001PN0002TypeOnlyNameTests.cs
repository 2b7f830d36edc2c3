using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PeerNet.Analyzers.Flow;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// Where a member and a type share a name (a property <c>Snapshot</c> of type <c>Snapshot</c>), the sources cone binds
/// only the units that name it where a member can be meant, not those naming only the type (a declaration's type, a
/// type argument, <c>new Snapshot()</c>); the answers and the diagnostics are those of the backward search.
/// </summary>
public class PN0001PN0002TypeOnlyNameTests
{
    private const string Source = AnalyzerVerifier<PN0001PN0002SnapshotRaceAnalyzer>.Usings + """
        class Snapshot { public ProtocolIdSet Protocols = ProtocolIdSet.Empty; }
        class Manager
        {
            readonly PeersAndMetadata _store = new PeersAndMetadata();
            public Snapshot Snapshot { get; private set; } = new Snapshot();
            public void Refresh(PeerNetworkId p) => Snapshot = new Snapshot { Protocols = _store.GetMetadataForPeer(p).SupportedProtocols };

            // The type only: a return type, new, parameter types, a type argument, typeof, a cast.
            public Snapshot Make() => new Snapshot();
            public static int Count(Snapshot s, List<Snapshot> all) => all.Count + (typeof(Snapshot) == s.GetType() ? 1 : 0);
            public static Snapshot Cast(object o) => (Snapshot)o;

            // The property (the type's name in an expression: C#'s "Color Color" rule binds the member).
            public void Send(INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, Snapshot.Protocols.First(), m);
            public void SendThis(INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, this.Snapshot.Protocols.First(), m);
        }
        """;

    private static SyntaxNode Method(Compilation compilation, string name) =>
        compilation.SyntaxTrees.SelectMany(t => t.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()).Single(m => m.Identifier.ValueText == name);

    [Fact]
    public async Task The_cone_binds_only_the_units_naming_the_member()
    {
        var compilation = await DirectRunner.CompileAsync(new[] { ("/0/Manager.cs", Source) });
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var symbols = WellKnownSymbols.TryCreate(compilation, new DirectRunner.DictionaryOptionsProvider(new Dictionary<string, string>()))!;
        var forward = new CompilationAnalysis(symbols, 0);
        var backward = new CompilationAnalysis(symbols, int.MaxValue);
        forward.Prepare(default);
        backward.Prepare(default);
        Assert.Equal((true, false), forward.RelevantSymbols.UsesCones);

        // Refresh (which reads the snapshot and assigns the property), Send and SendThis: not the property's own
        // declaration, Make, Count, Cast, nor the field Protocols' declaration.
        Assert.Equal(3, forward.RelevantSymbols.BoundUnitCount);

        foreach (var name in new[] { "Refresh", "Make", "Count", "Cast", "Send", "SendThis" })
        {
            var answer = backward.RelevantSymbols.IsMentionedIn(Method(compilation, name), default);
            Assert.True(answer == forward.RelevantSymbols.IsMentionedIn(Method(compilation, name), default), $"IsMentionedIn differs for {name}");
            Assert.True(answer == name is "Refresh" or "Send" or "SendThis", $"{name}: {answer}");
        }
    }

    [Fact]
    public async Task The_diagnostics_do_not_depend_on_it()
    {
        var cone = await GateAnswers.SameDiagnosticsEitherWayAsync("/0/Manager.cs", Source);
        Assert.Equal(2, cone.Count(d => d.StartsWith("PN0001", StringComparison.Ordinal) && d.Contains("Snapshot.Protocols.First()", StringComparison.Ordinal)));
    }
}
