using System.Net;
using System.Net.Sockets;

namespace PeerNet.Tests.Transport.Tcp;

/// <summary>An on-path attacker on loopback: relays one connection to <c>target</c> and, once armed, flips one bit of the next bytes the dialer sends.</summary>
internal sealed class FlippingRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private int _armed;

    public FlippingRelay(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _run = Task.Run(RunAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Bytes flipped so far (0 or 1).</summary>
    public int Flipped { get; private set; }

    public void Arm() => Volatile.Write(ref _armed, 1);

    private async Task RunAsync()
    {
        try
        {
            using var dialer = await _listener.AcceptTcpClientAsync(_stop.Token);
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(_target, _stop.Token);
            var toTarget = PumpAsync(dialer.GetStream(), upstream.GetStream(), flip: true);
            var toDialer = PumpAsync(upstream.GetStream(), dialer.GetStream(), flip: false);
            await Task.WhenAny(toTarget, toDialer);
        }
        catch (Exception)
        {
            // Stopped, or a side closed.
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool flip)
    {
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            if (flip && Interlocked.Exchange(ref _armed, 0) == 1)
            {
                buffer[n - 1] ^= 0x01; // e.g. "pay 10 to alice" becomes "pay 10 to alicd"
                Flipped++;
            }

            await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
        }

        to.Socket.Shutdown(SocketShutdown.Send);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _run.WaitAsync(TcpTestKit.Step);
    }
}
