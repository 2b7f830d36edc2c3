using System.Net.Sockets;
using PeerNet.Transport.Tcp;

namespace PeerNet.Tests.Transport.Tcp;

/// <summary>A hand-driven TCP peer: performs a valid handshake, then writes whatever bytes a test wants.</summary>
internal sealed class RawPeer : IDisposable
{
    private readonly TcpClient _client;

    private RawPeer(TcpClient client, PeerId peerId)
    {
        _client = client;
        PeerId = peerId;
        Stream = client.GetStream();
    }

    public PeerId PeerId { get; }

    public NetworkStream Stream { get; }

    public static async Task<RawPeer> ConnectAsync(TcpNode node, ProtocolIdSet announced)
    {
        var client = new TcpClient();
        await client.ConnectAsync(node.LocalEndPoint.Address, node.LocalEndPoint.Port).WaitAsync(TcpTestKit.Step);
        var peer = new RawPeer(client, PeerId.Random());
        var hello = TcpFrameCodec.EncodeHello(new Hello(node.NetworkId, peer.PeerId, PeerRole.Validator, TcpNodeOptions.DefaultMaxFrameSize, announced));
        await peer.Stream.WriteAsync(hello).AsTask().WaitAsync(TcpTestKit.Step);
        var header = new byte[4];
        await peer.Stream.ReadExactlyAsync(header).AsTask().WaitAsync(TcpTestKit.Step);
        var body = new byte[BitConverter.ToInt32(header)];
        await peer.Stream.ReadExactlyAsync(body).AsTask().WaitAsync(TcpTestKit.Step);
        Assert.NotNull(TcpFrameCodec.DecodeHello(body, out var error));
        Assert.Equal(string.Empty, error);
        return peer;
    }

    /// <summary>Reads until the node closes or resets the connection; returns the bytes read (0 when it sent nothing more).</summary>
    public async Task<int> ReadToEndOrResetAsync()
    {
        var total = 0;
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await Stream.ReadAsync(buffer)) > 0)
            {
                total += n;
            }
        }
        catch (IOException)
        {
            // Reset by the node: also a close.
        }

        return total;
    }

    public void Dispose() => _client.Dispose();
}
