using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PeerNet.Analyzers.Flow;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// The gate answers each question backward (a search from the body asked about) until its budget of bound
/// units is spent, then from the forward cone (everything that reaches a seed, found once). The two must give
/// the same answers, so the diagnostics cannot depend on the budget; and the syntactic shortcuts in front of
/// them (a local is no member; a summary with nothing stale going in needs only the sources question) must
/// not lose a finding.
/// </summary>
public class PN0001PN0002GateConeTests
{
    private const string Shapes = AnalyzerVerifier<PN0001PN0002SnapshotRaceAnalyzer>.Usings + """
        interface IPicker { ProtocolId Pick(PeerNetworkId p); }
        class StorePicker : IPicker
        {
            readonly PeersAndMetadata _store;
            public StorePicker(PeersAndMetadata store) => _store = store;
            public ProtocolId Pick(PeerNetworkId p) => _store.GetMetadataForPeer(p).SupportedProtocols.First();
        }
        class ConstantPicker : IPicker { public ProtocolId Pick(PeerNetworkId p) => ProtocolId.ConsensusRpcBcs; }

        class Cache
        {
            readonly PeersAndMetadata _store;
            ProtocolIdSet cached;
            ProtocolIdSet other;
            int count;
            public Cache(PeersAndMetadata store) => _store = store;

            // A local named like the field, in a nested block; the field is stored after it.
            public void Refresh(PeerNetworkId p)
            {
                { var cached = 1; count += cached; }
                cached = _store.GetMetadataForPeer(p).SupportedProtocols;
            }

            // A lambda parameter named like the field: the store to the field is still seen.
            public void Refresh2(PeerNetworkId p)
            {
                Func<int, int> f = other => other + 1;
                count = f(count);
                this.other = _store.GetMetadataForPeer(p).SupportedProtocols;
            }

            public void Send(INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, cached.First(), m);
            public void Send2(INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, other.First(), m);
        }

        class Holder { public ProtocolIdSet Codecs; }
        class Initializers
        {
            readonly PeersAndMetadata _store;
            Holder _holder = new Holder();
            public Initializers(PeersAndMetadata store) => _store = store;

            // A local named like the member the object initializer sets: the initializer still sets the member.
            public void Fill(PeerNetworkId p)
            {
                var Codecs = 0;
                _holder = new Holder { Codecs = _store.GetMetadataForPeer(p).SupportedProtocols };
                Codecs++;
            }

            public void Send(INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, _holder.Codecs.First(), m);

            // Any Holder's Codecs: relevant to the gate only through the member the initializer sets (the engine
            // tracks the initialized object itself, so this send is not reported; the gate must still not lose it).
            public static void SendAny(Holder h, INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, h.Codecs.First(), m);
        }

        class Dispatcher
        {
            public void Send(IPicker picker, INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, picker.Pick(p), m);
        }

        class Wrappers
        {
            readonly PeersAndMetadata _store;
            public Wrappers(PeersAndMetadata store) => _store = store;
            ProtocolId Stale(PeerNetworkId p) => _store.GetMetadataForPeer(p).SupportedProtocols.First();
            void Forward(INetworkSender s, PeerNetworkId p, ProtocolId protocol, Message m) => s.SendTo(p.PeerId, protocol, m);
            void Log(string text) { }
            public void SendStale(INetworkSender s, PeerNetworkId p, Message m) { Log("sending"); Forward(s, p, Stale(p), m); }
            public void SendConstant(INetworkSender s, PeerNetworkId p, Message m) { Log("sending"); Forward(s, p, ProtocolId.ConsensusRpcBcs, m); }

            // A branch on snapshot data, constant arguments: the callee's sink matters through the path's condition.
            public void SendUnderBranch(INetworkSender s, PeerNetworkId p, Message m)
            {
                if (_store.GetMetadataForPeer(p).SupportedProtocols.Contains(ProtocolId.ConsensusRpcBcs)) Forward(s, p, ProtocolId.ConsensusRpcBcs, m);
            }
        }
        """;

    private static string SampleRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PeerNet.Analyzers.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "samples", "LegacySender");
    }

    private static IEnumerable<(string Path, string Text)> Corpus() =>
        Directory.GetFiles(SampleRoot(), "*.cs").OrderBy(f => f, StringComparer.Ordinal).Select(f => (f, File.ReadAllText(f)))
            .Append(("/0/Shapes.cs", Shapes));

    private static async Task<List<string>> DiagnosticsAsync(int budget)
    {
        var compilation = await DirectRunner.CompileAsync(Corpus());
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var analyzer = new PN0001PN0002SnapshotRaceAnalyzer { BackwardBudget = budget };
        var diagnostics = await DirectRunner.RunAsync(analyzer, compilation);
        return diagnostics.Select(d => $"{d.Id} {Path.GetFileName(d.Location.SourceTree?.FilePath)}:{d.Location.GetLineSpan().StartLinePosition} {d.GetMessage()}").ToList();
    }

    [Fact]
    public async Task Diagnostics_do_not_depend_on_the_backward_budget()
    {
        var backwardOnly = await DiagnosticsAsync(int.MaxValue);
        var coneAtOnce = await DiagnosticsAsync(0);
        var byDefault = await DiagnosticsAsync(RelevantSymbols.DefaultBackwardBudget);
        Assert.True(backwardOnly.Count >= 25, $"the corpus should have findings, got {backwardOnly.Count}");
        Assert.Equal(backwardOnly, coneAtOnce);
        Assert.Equal(backwardOnly, byDefault);

        // The shapes above: the store after a same-named local, the store through this. beside a same-named
        // lambda parameter, dispatch to the picker reading the snapshot, a stale argument to a forwarding
        // wrapper, the wrapper under a branch on snapshot data (constant arguments); not the constant send.
        Assert.Contains(backwardOnly, d => d.StartsWith("PN0001 Shapes.cs:", StringComparison.Ordinal) && d.Contains("'cached'", StringComparison.Ordinal));
        Assert.Contains(backwardOnly, d => d.StartsWith("PN0001 Shapes.cs:", StringComparison.Ordinal) && d.Contains("'other'", StringComparison.Ordinal));
        var shapes = backwardOnly.Where(d => d.Contains(" Shapes.cs:", StringComparison.Ordinal)).ToList();
        Assert.Contains(shapes, d => d.Contains("'_holder.Codecs.First()'", StringComparison.Ordinal));
        Assert.True(shapes.Count == 6, string.Join("\n", shapes));
    }

    [Fact]
    public async Task Backward_and_forward_answers_agree_on_every_body_and_method()
    {
        var compilation = await DirectRunner.CompileAsync(Corpus());
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var symbols = WellKnownSymbols.TryCreate(compilation, new DirectRunner.DictionaryOptionsProvider(new Dictionary<string, string>()))!;
        var backward = new CompilationAnalysis(symbols, int.MaxValue);
        var forward = new CompilationAnalysis(symbols, 0);

        // Prepared as the compilation-start action does: the sources cone is computed then when every question
        // is to be answered from it (a budget of 0), and not otherwise.
        backward.Prepare(default);
        forward.Prepare(default);
        Assert.Equal((true, false), forward.RelevantSymbols.UsesCones);
        Assert.Equal((false, false), backward.RelevantSymbols.UsesCones);

        var bodies = compilation.SyntaxTrees
            .SelectMany(t => t.GetRoot().DescendantNodes().Where(n => n is BaseMethodDeclarationSyntax or PropertyDeclarationSyntax or AccessorDeclarationSyntax))
            .ToList();
        var methods = bodies.OfType<MethodDeclarationSyntax>()
            .Select(m => compilation.GetSemanticModel(m.SyntaxTree).GetDeclaredSymbol(m)!)
            .ToList();
        Assert.True(bodies.Count > 50);

        var mentioned = GateAnswers.AssertSame(backward, forward, bodies, methods).Count;

        // The member an object initializer sets beside a same-named local is a stored member (the gate's closure).
        var sendAny = bodies.OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == "SendAny");
        Assert.True(backward.RelevantSymbols.IsMentionedIn(sendAny, default));
        Assert.True(forward.RelevantSymbols.IsMentionedIn(sendAny, default));

        // Both kinds of answer were really exercised: some yes, some no; one analysis searched, the other used the cones.
        Assert.InRange(mentioned, 5, bodies.Count - 5);
        Assert.Equal((true, true), forward.RelevantSymbols.UsesCones);
        Assert.Equal((false, false), backward.RelevantSymbols.UsesCones);
    }
}
