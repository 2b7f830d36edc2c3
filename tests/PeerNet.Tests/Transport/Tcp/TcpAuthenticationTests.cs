using System.Security.Cryptography.X509Certificates;
using PeerNet.Transport.Tcp;
using static PeerNet.Tests.Transport.Tcp.TcpTestKit;

namespace PeerNet.Tests.Transport.Tcp;

/// <summary>Mutual authentication bound to the PeerId: impostors on dial and on accept, the trusted-peer set, the relay.</summary>
[Collection(SerialCollection.Name)]
public class TcpAuthenticationTests
{
    private const ProtocolId Bcs = Target.Bcs;

    [Fact]
    public async Task A_nodes_peer_id_is_the_hash_of_its_public_key_and_cannot_be_chosen()
    {
        using var identity = TcpNodeIdentity.Create();
        Assert.Equal(identity.PeerId, TcpNodeIdentity.PeerIdOf(identity.Certificate));
        using var other = TcpNodeIdentity.Create();
        Assert.NotEqual(identity.PeerId, other.PeerId);

        var options = new TcpNodeOptions { Identity = identity, TrustedPeers = Trusted };
        await using (var node = new TcpNode(null, options))
        {
            Assert.Equal(identity.PeerId, node.PeerId);
        }

        var wrongId = Assert.Throws<ArgumentException>(() => new TcpNode(other.PeerId, options));
        Assert.Contains("identity", wrongId.Message);

        using var publicOnly = X509CertificateLoader.LoadCertificate(identity.Certificate.Export(X509ContentType.Cert));
        Assert.Throws<ArgumentException>(() => TcpNodeIdentity.FromCertificate(publicOnly));
    }

    [Fact]
    public void A_validator_node_without_a_trusted_peer_set_is_refused_at_construction()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TcpNode(null, new TcpNodeOptions { NetworkId = NetworkId.Validator }));
        Assert.Equal("TrustedPeers", ex.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TcpNode(null, new TcpNodeOptions { NetworkId = NetworkId.Public, MaxConcurrentInboundRpcs = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TcpNode(null, new TcpNodeOptions { NetworkId = NetworkId.Public, OutboundQueueMaxBytes = 1024 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TcpNode(null, new TcpNodeOptions { NetworkId = NetworkId.Public, Role = (PeerRole)250 }));
    }

    [Fact]
    public async Task Dialing_expects_one_peer_and_refuses_an_impostor_listening_at_its_address()
    {
        var victim = new Target(Node());
        await using var targetNode = victim.Node;
        await using var impostor = Node(); // trusted, authenticated, but not the victim
        impostor.Record(Bcs);
        await using var a = Node();
        a.Record(Bcs);
        var baseline = await ResourceBaseline.CaptureAsync(victim.Node, impostor, a);

        var ex = await Assert.ThrowsAsync<PeerNetException>(() => a.ConnectAsync(impostor.LocalEndPoint, victim.Node.PeerId).Within());
        Assert.Equal(SendFailure.Unauthenticated, ex.Failure);
        Assert.Contains("not the expected", ex.Message);
        Assert.Equal(0, a.PeersAndMetadata.GetSnapshot().TotalPeerCount);
        Assert.Equal(1, a.Statistics.AuthenticationFailures);
        await WaitUntilAsync(() => impostor.Statistics.HandshakesFailed == 1, "the impostor's side fails too");
        Assert.Equal(0, impostor.Statistics.ConnectionsOpened);

        await victim.GoodPeerGetsThroughAsync();
        await baseline.ReturnedAsync();
    }

    [Fact]
    public async Task An_impostor_claiming_a_connected_peers_id_without_its_key_is_refused_and_replaces_nothing()
    {
        var victim = new Target(Node());
        await using var targetNode = victim.Node;
        await using var validator = Node();
        validator.Record(Bcs);
        var real = await validator.Dial(victim.Node).Within();
        await WaitUntilAsync(() => victim.Node.TryGetCurrentConnection(validator.PeerId, out _), "the victim installs the validator");
        Assert.True(victim.Node.TryGetCurrentConnection(validator.PeerId, out var before));
        var baseline = await ResourceBaseline.CaptureAsync(victim.Node, validator);

        // 1. Its own key, the validator's id in its hello.
        using var impostorKey = TcpNodeIdentity.Create();
        Trusted.Add(impostorKey.PeerId);
        using (var client = new System.Net.Sockets.TcpClient())
        {
            await client.ConnectAsync(victim.Node.LocalEndPoint).WaitAsync(Step);
            var (ssl, peer) = await new TcpTls(impostorKey).AuthenticateAsync(client.GetStream(), asClient: true, _ => null, CancellationToken.None).Within();
            await using var stream = ssl;
            var hello = TcpFrameCodec.EncodeHello(new Hello(NetworkId.Validator, validator.PeerId, PeerRole.Validator, TcpNodeOptions.DefaultMaxFrameSize, ProtocolIdSet.Of(Bcs)));
            await stream.WriteAsync(hello).AsTask().Within();
            await ReadUntilClosedAsync(stream).Within();
        }

        await WaitUntilAsync(() => victim.Node.Statistics.AuthenticationFailures == 1, "the victim refuses the forged hello");

        // 2. The validator's certificate (public), without its private key: TLS itself fails.
        using var stolen = X509CertificateLoader.LoadCertificate(validator.Identity!.Certificate.Export(X509ContentType.Cert));
        using (var client = new System.Net.Sockets.TcpClient())
        {
            await client.ConnectAsync(victim.Node.LocalEndPoint).WaitAsync(Step);
            using var ssl = new System.Net.Security.SslStream(client.GetStream(), false, (_, _, _, _) => true, (_, _, _, _, _) => stolen);
            try
            {
                // TLS 1.3: the client may finish before the server judged its certificate; then it only sees the close.
                await ssl.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions { TargetHost = "peernet", EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls13 }).Within();
                Assert.Equal(0, await ReadUntilClosedAsync(ssl).Within());
            }
            catch (System.Security.Authentication.AuthenticationException)
            {
            }
        }

        await WaitUntilAsync(() => victim.Node.Statistics.AuthenticationFailures == 2, "the victim refuses a certificate without its key");

        // The real validator's connection is untouched on both sides, and still carries traffic.
        Assert.True(victim.Node.TryGetCurrentConnection(validator.PeerId, out var after));
        Assert.Equal(before.ConnectionId, after.ConnectionId);
        Assert.Equal(1, victim.Node.Statistics.ConnectionsOpened);
        Assert.Equal(SendFailure.None, validator.Sender.TrySendOnConnection(victim.Node.PeerId, real.ConnectionId, Bcs, new Message(new byte[] { 7 })));
        await WaitUntilAsync(() => victim.Delivered == 1, "the real validator still gets through");
        await victim.GoodPeerGetsThroughAsync();
        await baseline.ReturnedAsync();
    }

    [Fact]
    public async Task The_trusted_peer_set_refuses_outsiders_both_ways_and_is_updated_at_run_time()
    {
        var set = new TrustedPeerSet();
        var victim = new Target(Node(new TcpNodeOptions { TrustedPeers = set }));
        await using var targetNode = victim.Node;
        await using var outsider = Node();
        outsider.Record(Bcs);
        outsider.RegisterRpcHandler(Target.Rpc, (m, _) => Task.FromResult(m.Message));
        var baseline = await ResourceBaseline.CaptureAsync(victim.Node, outsider);

        var inbound = await Assert.ThrowsAnyAsync<PeerNetException>(() => outsider.Dial(victim.Node).Within());
        Assert.NotEqual(SendFailure.None, inbound.Failure);
        var outbound = await Assert.ThrowsAsync<PeerNetException>(() => victim.Node.Dial(outsider).Within());
        Assert.Equal(SendFailure.Unauthenticated, outbound.Failure);
        Assert.Contains("trusted-peer set", outbound.Message);
        await WaitUntilAsync(() => victim.Node.Statistics.AuthenticationFailures == 2, "the victim counts both refusals");
        Assert.Equal(0, victim.Node.PeersAndMetadata.GetSnapshot().TotalPeerCount);

        // Joins the set: connects. Leaves it: its connection is closed, counted with the reason.
        set.Add(outsider.PeerId);
        var closed = new TaskCompletionSource<TcpCloseReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        victim.Node.ConnectionClosed += (_, e) => closed.TrySetResult(e.Reason);
        await outsider.Dial(victim.Node).Within();
        await WaitUntilAsync(() => victim.Node.TryGetCurrentConnection(outsider.PeerId, out _), "the victim installs the now trusted peer");
        set.Replace(Array.Empty<PeerId>());
        Assert.Equal(TcpCloseReason.NotTrusted, await closed.Task.Within());
        Assert.False(victim.Node.TryGetCurrentConnection(outsider.PeerId, out _));
        await baseline.ReturnedAsync();
    }

    [Fact]
    public async Task An_on_path_relay_that_flips_one_bit_breaks_the_connection_and_nothing_is_delivered()
    {
        var b = new Target(Node());
        await using var targetNode = b.Node;
        await using var a = Node();
        a.Record(Bcs);
        var baseline = await ResourceBaseline.CaptureAsync(b.Node, a);
        await using var relay = new FlippingRelay(b.Node.LocalEndPoint);
        var ab = await a.ConnectAsync(relay.EndPoint, b.Node.PeerId).Within();
        await WaitUntilAsync(() => b.Node.ConnectedPeers.Contains(a.PeerId), "b installs the relayed connection");

        var closed = new TaskCompletionSource<TcpConnectionClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.Node.ConnectionClosed += (_, e) => closed.TrySetResult(e);
        relay.Arm();
        Assert.Equal(SendFailure.None, a.Sender.TrySendOnConnection(b.Node.PeerId, ab.ConnectionId, Bcs, new Message("pay 10 to alice"u8.ToArray())));
        var e = await closed.Task.Within();
        Assert.Equal(TcpCloseReason.IoError, e.Reason);
        Assert.Equal(1, relay.Flipped);
        Assert.Equal(0, b.Delivered);
        Assert.Equal(0, b.Node.Statistics.DirectSendDelivered);
        await relay.DisposeAsync(); // the attack ends (disposing twice is harmless)
        await WaitUntilAsync(() => a.LiveConnectionCount == 0, "a's relayed connection closes too");
        await b.GoodPeerGetsThroughAsync();
        await baseline.ReturnedAsync();
    }

    [Fact]
    public async Task Insecure_plaintext_is_an_explicit_opt_in_and_does_not_talk_to_a_tls_node()
    {
        var plain = new TcpNodeOptions { Security = TcpSecurity.InsecurePlaintext };
        await using var a = Node(plain);
        await using var b = Node(new TcpNodeOptions { Security = TcpSecurity.InsecurePlaintext });
        var tls = new Target(Node());
        await using var targetNode = tls.Node;
        a.Record(Bcs);
        b.Record(Bcs);
        await a.Dial(b).Within();
        await WaitUntilAsync(() => b.LiveConnectionCount == 1, "b installs a");
        var baseline = await ResourceBaseline.CaptureAsync(tls.Node, a, b);
        var ex = await Assert.ThrowsAsync<PeerNetException>(() => a.Dial(tls.Node).Within());
        Assert.NotEqual(SendFailure.None, ex.Failure);
        await WaitUntilAsync(() => tls.Node.Statistics.AuthenticationFailures == 1, "the TLS node refuses the plaintext hello");
        await tls.GoodPeerGetsThroughAsync();
        await baseline.ReturnedAsync();
    }

    [Fact]
    public async Task A_bad_hello_is_logged_with_the_real_remote_address_and_an_undefined_role_is_refused()
    {
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var target = new Target(Node(new TcpNodeOptions { Security = TcpSecurity.InsecurePlaintext, Log = log.Enqueue }));
        await using var node = target.Node;
        var baseline = await ResourceBaseline.CaptureAsync(node);

        using (var client = new System.Net.Sockets.TcpClient())
        {
            await client.ConnectAsync(node.LocalEndPoint).WaitAsync(Step);
            var hello = TcpFrameCodec.EncodeHello(new Hello(node.NetworkId, PeerId.Random(), PeerRole.Validator, TcpNodeOptions.DefaultMaxFrameSize, ProtocolIdSet.Of(Bcs)));
            hello[4 + 7 + PeerId.Length] = 250; // the role byte
            await client.GetStream().WriteAsync(hello).AsTask().Within();
            await WaitUntilAsync(() => node.Statistics.HandshakesFailed == 1, "the node refuses the hello");
            var port = ((System.Net.IPEndPoint)client.Client.LocalEndPoint!).Port;
            Assert.Contains(log, l => l.Contains($"tcp://127.0.0.1:{port}") && l.Contains("unknown role 250"));
        }

        Assert.Equal(0, node.Statistics.ConnectionsOpened);
        await target.GoodPeerGetsThroughAsync(new TcpNodeOptions { Security = TcpSecurity.InsecurePlaintext });
        await baseline.ReturnedAsync();
    }
}
