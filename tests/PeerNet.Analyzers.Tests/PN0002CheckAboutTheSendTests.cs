using static PeerNet.Analyzers.Tests.ConfigurationTestKit;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// Issue 12.6: PN0002 only for a version check about the send. A check about another peer, another
/// snapshot, or in another loop does not turn a later send into check-then-act: PN0001 stands. Each
/// negative has the positive it differs from by the one thing checked.
/// </summary>
public class PN0002CheckAboutTheSendTests
{
    private const string ClusterUses = ClusterApi + """
        namespace Cluster
        {
            public sealed class Gossip
            {
                private readonly MembershipCache cache = new MembershipCache();
                private readonly Transport transport = new Transport();

                public void SamePeer(string node, byte[] payload)
                {
                    var version = cache.Version;
                    var codec = cache.CodecFor(node);
                    if (!cache.Unchanged(node, version)) return;
                    {|#0:transport.Send(node, codec, payload)|};
                }

                public void OtherPeer(string node, string neighbour, byte[] payload)
                {
                    var version = cache.Version;
                    var codec = cache.CodecFor(node);
                    if (!cache.Unchanged(neighbour, version)) return;
                    {|#1:transport.Send(node, codec, payload)|};
                }

                public void SameLoop(string[] nodes, byte[] payload)
                {
                    var version = cache.Version;
                    foreach (var node in nodes)
                    {
                        var codec = cache.CodecFor(node);
                        if (cache.IsCurrent(version)) {|#2:transport.Send(node, codec, payload)|};
                    }
                }

                public void OtherLoop(string[] nodes, byte[] payload)
                {
                    var version = cache.Version;
                    int stale = 0;
                    foreach (var node in nodes)
                    {
                        if (!cache.IsCurrent(version)) stale++;
                    }

                    foreach (var node in nodes)
                    {
                        var codec = cache.CodecFor(node);
                        {|#3:transport.Send(node, codec, payload)|};
                    }
                }

                // A loop left on the check (wait until current, then send) guards what follows it.
                public void LoopLeftOnTheCheck(string node, byte[] payload)
                {
                    var version = cache.Version;
                    var codec = cache.CodecFor(node);
                    for (int i = 0; i < 3; i++)
                    {
                        if (cache.IsCurrent(version)) break;
                        version = cache.Version;
                    }

                    {|#4:transport.Send(node, codec, payload)|};
                }
            }
        }
        """;

    [Theory]
    [MemberData(nameof(ConfigurationTestKit.BothForms), MemberType = typeof(ConfigurationTestKit))]
    public async Task Checks_about_another_peer_or_in_another_loop_leave_PN0001(FileForm form)
    {
        await new AllRules(ClusterUses, File(form, """
                peernet.sources = M:Cluster.MembershipCache.CodecFor(System.String)
                peernet.sinks = M:Cluster.Transport.Send(System.String,Cluster.Codec,System.Byte[])|codec
                peernet.version_checks = M:Cluster.MembershipCache.IsCurrent(System.Int64), M:Cluster.MembershipCache.Unchanged(System.String,System.Int64)
                """))
            .Expect(At("PN0002", 0), At("PN0001", 1), At("PN0002", 2), At("PN0001", 3), At("PN0002", 4))
            .RunAsync();
    }

    [Fact]
    public async Task A_check_of_another_snapshot_leaves_PN0001()
    {
        const string source = """
            using System.Linq;
            using PeerNet;

            public sealed class User
            {
                private readonly PeersAndMetadata store = new PeersAndMetadata(NetworkId.Validator);
                private readonly INetworkSender sender = null!;

                public void SameSnapshot(PeerNetworkId peer, Message m)
                {
                    var s = store.GetSnapshot();
                    var protocol = s.GetMetadataForPeer(peer).SupportedProtocols.First();
                    if (!store.IsCurrent(s.Version)) return;
                    {|#0:sender.SendTo(peer.PeerId, protocol, m)|};
                }

                public void OtherSnapshot(PeerNetworkId peer, Message m)
                {
                    var s = store.GetSnapshot();
                    var other = store.GetSnapshot();
                    var protocol = s.GetMetadataForPeer(peer).SupportedProtocols.First();
                    if (!store.IsCurrent(other.Version)) return;
                    {|#1:sender.SendTo(peer.PeerId, protocol, m)|};
                }

                public void OtherSnapshotThroughALocal(PeerNetworkId peer, Message m)
                {
                    var s = store.GetSnapshot();
                    var other = store.GetSnapshot();
                    var version = other.Version;
                    var protocol = s.GetMetadataForPeer(peer).SupportedProtocols.First();
                    if (store.IsCurrent(version)) {|#2:sender.SendTo(peer.PeerId, protocol, m)|};
                }

                // Read through the store (no snapshot variable): any check of the store stays PN0002.
                public void ThroughTheStore(PeerNetworkId peer, Message m)
                {
                    var s = store.GetSnapshot();
                    var protocol = store.GetMetadataForPeer(peer).SupportedProtocols.First();
                    if (store.IsCurrent(s.Version)) {|#3:sender.SendTo(peer.PeerId, protocol, m)|};
                }
            }
            """;
        await new AllRules(source).WithPeerNet()
            .Expect(At("PN0002", 0), At("PN0001", 1), At("PN0001", 2), At("PN0002", 3))
            .RunAsync();
    }
}
