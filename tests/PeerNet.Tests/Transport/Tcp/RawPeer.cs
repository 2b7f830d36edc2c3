using System.Net.Sockets;
using PeerNet.Transport.Tcp;

namespace PeerNet.Tests.Transport.Tcp;

/// <summary>
/// A hand-driven TCP peer: authenticates (mutual TLS with its own identity, or plaintext when the node is insecure),
/// performs a valid hello, then writes whatever bytes a test wants.
/// </summary>
internal sealed class RawPeer : IDisposable
{
    private readonly TcpClient _client;
    private readonly TcpNodeIdentity? _identity;

    private RawPeer(TcpClient client, Stream stream, PeerId peerId, TcpNodeIdentity? identity)
    {
        _client = client;
        _identity = identity;
        PeerId = peerId;
        Stream = stream;
    }

    public PeerId PeerId { get; }

    public Stream Stream { get; }

    public static async Task<RawPeer> ConnectAsync(TcpNode node, ProtocolIdSet announced)
    {
        var client = new TcpClient();
        await client.ConnectAsync(node.LocalEndPoint.Address, node.LocalEndPoint.Port).WaitAsync(TcpTestKit.Step);
        Stream stream = client.GetStream();
        TcpNodeIdentity? identity = null;
        PeerId id;
        if (node.Options.Security == TcpSecurity.MutualTls)
        {
            identity = TcpNodeIdentity.Create();
            TcpTestKit.Trusted.Add(identity.PeerId);
            var (ssl, peer) = await new TcpTls(identity).AuthenticateAsync(stream, asClient: true, p => p == node.PeerId ? null : "not the node", CancellationToken.None).WaitAsync(TcpTestKit.Step);
            Assert.Equal(node.PeerId, peer);
            stream = ssl;
            id = identity.PeerId;
        }
        else
        {
            id = PeerId.Random();
        }

        var peerNode = new RawPeer(client, stream, id, identity);
        var hello = TcpFrameCodec.EncodeHello(new Hello(node.NetworkId, id, PeerRole.Validator, TcpNodeOptions.DefaultMaxFrameSize, announced));
        await stream.WriteAsync(hello).AsTask().WaitAsync(TcpTestKit.Step);
        var header = new byte[4];
        await stream.ReadExactlyAsync(header).AsTask().WaitAsync(TcpTestKit.Step);
        var body = new byte[BitConverter.ToInt32(header)];
        await stream.ReadExactlyAsync(body).AsTask().WaitAsync(TcpTestKit.Step);
        Assert.NotNull(TcpFrameCodec.DecodeHello(body, out var error));
        Assert.Equal(string.Empty, error);
        return peerNode;
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

    public void Dispose()
    {
        Stream.Dispose();
        _client.Dispose();
        _identity?.Dispose();
    }
}

/// <summary>Frames a raw peer writes by hand.</summary>
internal static class RawFrames
{
    public static byte[] RpcRequest(ulong id, ProtocolId protocol, byte[] payload)
    {
        var frame = new byte[4 + TcpFrameCodec.RpcRequestOverhead + payload.Length];
        BitConverter.TryWriteBytes(frame.AsSpan(0, 4), TcpFrameCodec.RpcRequestOverhead + payload.Length);
        frame[4] = 3;
        BitConverter.TryWriteBytes(frame.AsSpan(5, 8), id);
        frame[13] = (byte)protocol;
        payload.CopyTo(frame, 14);
        return frame;
    }

    public static byte[] RpcError(ulong id, SendFailure failure, int reasonBytes)
    {
        var frame = new byte[4 + TcpFrameCodec.RpcErrorOverhead + reasonBytes];
        BitConverter.TryWriteBytes(frame.AsSpan(0, 4), TcpFrameCodec.RpcErrorOverhead + reasonBytes);
        frame[4] = 5;
        BitConverter.TryWriteBytes(frame.AsSpan(5, 8), id);
        frame[13] = (byte)failure;
        frame.AsSpan(14).Fill((byte)'x');
        return frame;
    }
}
