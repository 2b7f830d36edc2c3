using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// Every prefix of realistic code (cut every few characters, as while typing) is analyzed by all rules:
/// no analyzer may throw (AD0001).
/// </summary>
public class TruncationFuzzTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using PeerNet;
        using PeerNet.Annotations;

        class C
        {
            NetworkClient client = null!;
            PeersAndMetadata store = null!;
            ProtocolId cached;
            [CachedSnapshotRead] ProtocolId Pick(PeerNetworkId p, IReadOnlyList<ProtocolId> prefs) => client.GetPreferredProtocolForPeer(p, prefs);
            void Forward(INetworkSender s, PeerId id, [RequiresCurrentProtocol] ProtocolId p, Message m) => s.SendTo(id, p, m);

            async Task<Message?> M(PeerNetworkId peer, IReadOnlyList<ProtocolId> prefs, Message msg, bool b)
            {
                var snapshot = store.GetSnapshot();
                var set = client.GetSupportedProtocols(peer);
                ProtocolId chosen = ProtocolId.ConsensusRpcBcs;
                foreach (var p in prefs) { if (set.Contains(p)) { chosen = p; break; } }
                var (first, n) = (set.FirstOrDefault(x => prefs.Contains(x)), 1);
                cached = b ? Pick(peer, prefs) : chosen;
                var sender = client.GetSenderForNetwork(peer.NetworkId);
                if (store.IsCurrent(snapshot.Version)) sender.SendTo(peer.PeerId, chosen, msg);
                Forward(sender, peer.PeerId, first, msg);
                client.TrySendWithCurrentProtocol(peer, msg, out _);
                void Local() => sender.SendTo(peer.PeerId, cached, msg);
                Local();
                switch (chosen) { case ProtocolId.MempoolRpc: return await sender.SendRpcAsync(peer.PeerId, chosen, msg, TimeSpan.FromSeconds(n)); }
                return null;
            }
        }
        """;

    [Fact]
    public async Task Every_prefix_analyzes_without_exceptions()
    {
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(
            new PN0000ConfigurationAnalyzer(), new PN0001PN0002SnapshotRaceAnalyzer(), new PN0003DiscardedTrySendResultAnalyzer());
        int runs = 0;
        int start = Source.IndexOf("class C", StringComparison.Ordinal);
        for (int cut = start; cut <= Source.Length; cut += 23)
        {
            var compilation = await DirectRunner.CompileAsync(new[] { ("/0/Cut.cs", Source.Substring(0, cut)) });
            // Throws "the analyzer threw (AD0001)" on any analyzer exception.
            var diagnostics = await DirectRunner.RunAsync(analyzers, compilation);
            Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
            runs++;
        }

        Assert.True(runs > 50, $"only {runs} prefixes analyzed");

        // The complete source is analyzed and produces the findings it should.
        var full = await DirectRunner.RunAsync(analyzers, await DirectRunner.CompileAsync(new[] { ("/0/Full.cs", Source) }));
        // After the IsCurrent check every stale send is PN0002: SendTo(chosen), Forward(first), the local
        // function's SendTo(cached) and SendRpcAsync(chosen).
        Assert.Equal(4, full.Count(d => d.Id == "PN0002"));
        Assert.DoesNotContain(full, d => d.Id == "PN0001");
        Assert.Single(full, d => d.Id == "PN0003");
    }
}
