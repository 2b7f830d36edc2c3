using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// Whether a NetworkClient is in scope at a send decides the fix's availability (NoFixReason). It is asked
/// name by name (PN0001PN0002ClientInScope) instead of listing every symbol in scope; at every call of the corpus the
/// answer must be the full lookup's.
/// </summary>
public class PN0001PN0002ClientInScopeTests
{
    private const string Shapes = AnalyzerVerifier<PN0001PN0002SnapshotRaceAnalyzer>.Usings + """
        class Base { protected NetworkClient BaseClient = null!; private NetworkClient _hidden = null!; public void Touch() => _hidden.ToString(); }
        class Derived : Base { void M(INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, ProtocolId.ConsensusRpcBcs, m); }
        class Grand : Derived { void N(INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, ProtocolId.ConsensusRpcBcs, m); }
        class PrivateBase : Other { void M(INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, ProtocolId.ConsensusRpcBcs, m); }
        class Other { private NetworkClient _mine = null!; public override string ToString() => _mine.ToString()!; }
        class Outer
        {
            static NetworkClient Shared = null!;
            class Inner { void M(INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, ProtocolId.ConsensusRpcBcs, m); }
            void Use() => Shared.ToString();
        }
        class Shadow
        {
            NetworkClient client = null!;
            void M(INetworkSender s, PeerNetworkId p, Message m) { int client = 0; s.SendTo(p.PeerId, ProtocolId.ConsensusRpcBcs, m); client++; }
            void N(INetworkSender s, PeerNetworkId p, Message m) { s.SendTo(p.PeerId, ProtocolId.ConsensusRpcBcs, m); this.client.ToString(); }
        }
        class Primary(NetworkClient client)
        {
            void M(INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, ProtocolId.ConsensusRpcBcs, m);
            public override string ToString() => client.ToString()!;
        }
        class Lambdas
        {
            void M(INetworkSender s, PeerNetworkId p, Message m)
            {
                Action<NetworkClient> a = c => s.SendTo(p.PeerId, ProtocolId.ConsensusRpcBcs, m);
                s.SendTo(p.PeerId, ProtocolId.ConsensusRpcBcs, m);
                if (m is { } message && Get() is NetworkClient found) s.SendTo(p.PeerId, ProtocolId.ConsensusRpcBcs, message);
                foreach (var each in new[] { Get() }) s.SendTo(p.PeerId, ProtocolId.ConsensusRpcBcs, m);
                var q = from c in new[] { Get() } let k = Pick(c) select Pick(c) + k;
                Local(null!);
                void Local(NetworkClient local) => s.SendTo(p.PeerId, ProtocolId.ConsensusRpcBcs, m);
            }

            NetworkClient? Get() => null;
            static int Pick(NetworkClient? c) => 0;
            NetworkClient this[int i] => null!;
        }
        class WithProperty { NetworkClient Property { get; } = null!; void M(INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, ProtocolId.ConsensusRpcBcs, m); }
        class NoClient
        {
            void M(INetworkSender s, PeerNetworkId p, Message m) { s.SendTo(p.PeerId, ProtocolId.ConsensusRpcBcs, m); s.SendTo(p.PeerId, ProtocolId.ConsensusRpcBcs, m); }
            static void N(INetworkSender s, PeerNetworkId p, Message m) => s.SendTo(p.PeerId, ProtocolId.ConsensusRpcBcs, m);
        }
        """;

    [Fact]
    public async Task The_answer_at_every_call_is_the_full_lookups()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "PeerNet.Analyzers.sln"))) root = root.Parent;
        var sample = Path.Combine(root!.FullName, "samples", "LegacySender");
        var sources = Directory.GetFiles(sample, "*.cs").OrderBy(f => f, StringComparer.Ordinal).Select(f => (f, File.ReadAllText(f))).Append(("/0/Shapes.cs", Shapes));
        var compilation = await DirectRunner.CompileAsync(sources);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var client = compilation.GetTypeByMetadataName("PeerNet.NetworkClient")!;

        int inScope = 0, outOfScope = 0;
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var call in tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                var full = model.LookupSymbols(call.SpanStart).Any(s => IsClient(s, client));
                Assert.True(full == PN0001PN0002ClientInScope.At(model, call, client, anyUsingStatic: false), $"{Path.GetFileName(tree.FilePath)}:{call.GetLocation().GetLineSpan().StartLinePosition}: {call}");
                if (full) inScope++;
                else outOfScope++;
            }
        }

        Assert.True(inScope > 10 && outOfScope >= 5, $"in scope {inScope}, out of scope {outOfScope}");
    }

    private static bool IsClient(ISymbol symbol, INamedTypeSymbol client) => symbol switch
    {
        ILocalSymbol l => SymbolEqualityComparer.Default.Equals(l.Type, client),
        IParameterSymbol p => SymbolEqualityComparer.Default.Equals(p.Type, client),
        IFieldSymbol f => SymbolEqualityComparer.Default.Equals(f.Type, client),
        IPropertySymbol { IsIndexer: false } p => SymbolEqualityComparer.Default.Equals(p.Type, client),
        _ => false,
    };
}
