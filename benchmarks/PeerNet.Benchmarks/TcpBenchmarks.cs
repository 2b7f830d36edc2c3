using BenchmarkDotNet.Attributes;
using PeerNet.Transport.Tcp;

namespace PeerNet.Benchmarks;

/// <summary>
/// Two <see cref="TcpNode"/>s on 127.0.0.1, authenticated (mutual TLS 1.3) against plaintext (the insecure opt-in):
/// direct-send throughput (a burst of <see cref="Burst"/> messages, timed until the receiver handled the last; reported
/// per message) and RPC round-trip latency, for 64 B, 1 KiB and 64 KiB payloads.
/// <c>dotnet run -c Release --project benchmarks/PeerNet.Benchmarks -- --filter '*TcpBenchmarks*' --job short</c>
/// </summary>
[MemoryDiagnoser]
public class TcpBenchmarks
{
    private const int Burst = 256;
    private const ProtocolId Direct = ProtocolId.ConsensusDirectSendBcs;
    private const ProtocolId Rpc = ProtocolId.ConsensusRpcBcs;
    private TcpNode _sender = null!;
    private TcpNode _receiver = null!;
    private ConnectionId _connection;
    private Message _message = null!;
    private long _received;
    private long _target;
    private volatile TaskCompletionSource _burstDone = new();

    [Params(64, 1024, 65536)]
    public int Size { get; set; }

    [Params(TcpSecurity.MutualTls, TcpSecurity.InsecurePlaintext)]
    public TcpSecurity Security { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = new TcpNodeOptions { NetworkId = NetworkId.Public, Security = Security };
        _sender = new TcpNode(null, options);
        _receiver = new TcpNode(null, options);
        _sender.RegisterDirectSendHandler(Direct, _ => { });
        _sender.RegisterRpcHandler(Rpc, (m, _) => Task.FromResult(m.Message));
        _receiver.RegisterDirectSendHandler(Direct, _ =>
        {
            if (Interlocked.Increment(ref _received) == Volatile.Read(ref _target))
            {
                _burstDone.TrySetResult();
            }
        });
        _receiver.RegisterRpcHandler(Rpc, (m, _) => Task.FromResult(m.Message));
        _connection = _sender.ConnectAsync(_receiver.LocalEndPoint, _receiver.PeerId).GetAwaiter().GetResult().ConnectionId;
        while (!_receiver.ConnectedPeers.Contains(_sender.PeerId))
        {
            Thread.Sleep(1);
        }

        _message = new Message(new byte[Size]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver.Dispose();
    }

    /// <summary>Direct sends: one burst, until the receiver's handler saw its last message (time per message).</summary>
    [Benchmark(OperationsPerInvoke = Burst)]
    public void DirectSendThroughput()
    {
        _burstDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _target, Interlocked.Read(ref _received) + Burst);
        for (var i = 0; i < Burst; i++)
        {
            var spin = default(SpinWait);
            while (_sender.Sender.TrySendOnConnection(_receiver.PeerId, _connection, Direct, _message) == SendFailure.QueueFull)
            {
                spin.SpinOnce(); // back pressure: wait for the writer
            }
        }

        _burstDone.Task.GetAwaiter().GetResult();
    }

    /// <summary>One RPC, request and response of <see cref="Size"/> bytes.</summary>
    [Benchmark]
    public Message RpcRoundTrip() =>
        _sender.Sender.SendRpcOnConnectionAsync(_receiver.PeerId, _connection, Rpc, _message, TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
}
