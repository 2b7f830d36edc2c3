using System.Buffers;

namespace PeerNet.Transport.Tcp
{
    // The connection's pooled buffers: every one is rented and returned through these two, so the node knows the bytes
    // its connections hold (TcpNode.RentedBufferBytes; back to zero once every connection closed).
    internal sealed partial class TcpConnection
    {
        private byte[] RentBuffer(int minimumLength)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(minimumLength);
            _node.OnBufferRented(buffer.Length);
            return buffer;
        }

        private void ReturnBuffer(byte[] buffer)
        {
            _node.OnBufferReturned(buffer.Length);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
