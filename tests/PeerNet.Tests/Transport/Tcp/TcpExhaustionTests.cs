using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PeerNet.Transport.Tcp;
using static PeerNet.Tests.Transport.Tcp.TcpTestKit;

namespace PeerNet.Tests.Transport.Tcp;

/// <summary>
/// An idle-connection flood against a node in its own process limited to 256 file descriptors: the accepts that fail
/// are counted and backed off, the process survives, its connected peer keeps being served, and it accepts again
/// once the flood's handshakes time out.
/// </summary>
[Collection(SerialCollection.Name)]
public class TcpExhaustionTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public TcpExhaustionTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task An_idle_connection_flood_beyond_the_descriptor_limit_does_not_take_the_node_process_down()
    {
        using var host = HostProcess.Start(descriptorLimit: 256);
        try
        {
            var (port, peer) = await host.ListeningAsync().Within(TimeSpan.FromSeconds(30));
            var endPoint = new IPEndPoint(IPAddress.Loopback, port);
            var options = new TcpNodeOptions { NetworkId = NetworkId.Public };

            // A peer connected before the flood.
            await using var before = Node(options);
            before.RegisterDirectSendHandler(Target.Bcs, _ => { });
            before.RegisterRpcHandler(Target.Rpc, (m, _) => Task.FromResult(m.Message));
            var connection = await before.ConnectAsync(endPoint, peer).Within();
            await RpcAsync(before, peer, connection.ConnectionId);
            var baseline = await ResourceBaseline.CaptureAsync(host.Figures);
            _output.WriteLine($"host baseline: {baseline}");

            // The flood: more idle sockets than the node has descriptors.
            var flood = new List<Socket>();
            try
            {
                for (var i = 0; i < 400; i++)
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    flood.Add(socket);
                    try
                    {
                        await socket.ConnectAsync(endPoint).WaitAsync(Step);
                    }
                    catch (SocketException)
                    {
                        // The backlog may be full: still a flood.
                    }
                }

                // Configured caps above the descriptor limit: the node lowers them to what the limit leaves (DescriptorBudget), so the
                // flood is refused at accept, counted, before the process runs out of descriptors (without the cap the runtime
                // itself could abort the process, "Out of memory.", once the last descriptor was taken).
                await WaitUntilAsync(() => host.Stats().Refused > 0, "the node refuses the flood beyond its descriptor budget, counted", TimeSpan.FromSeconds(20));

                // Exhausted, and still serving the peer it has.
                await RpcAsync(before, peer, connection.ConnectionId);
            }
            finally
            {
                flood.ForEach(s => s.Dispose());
            }

            // The node process gives back every socket, slot, handshake, buffer, thread and byte the flood took.
            await baseline.ReturnedAsync(TimeSpan.FromSeconds(30));

            // Once the flood is gone (or its handshakes timed out), a new peer connects.
            await using var after = Node(options);
            after.RegisterDirectSendHandler(Target.Bcs, _ => { });
            after.RegisterRpcHandler(Target.Rpc, (m, _) => Task.FromResult(m.Message));
            var sw = Stopwatch.StartNew();
            ConnectionMetadata? fresh = null;
            while (fresh is null)
            {
                try
                {
                    fresh = await after.ConnectAsync(endPoint, peer).Within();
                }
                catch (PeerNetException) when (sw.Elapsed < TimeSpan.FromSeconds(20))
                {
                    await Task.Delay(100); // still draining the flood's backlog: retry, bounded
                }
            }

            await RpcAsync(after, peer, fresh.ConnectionId);
            await RpcAsync(before, peer, connection.ConnectionId);
            var stats = host.Stats();
            _output.WriteLine($"host: {stats.Line}");
            Assert.Equal(0, await host.ExitAsync().Within(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            _output.WriteLine("host log (tail):\n" + host.LogTail());
        }
    }

    private static async Task RpcAsync(TcpNode node, PeerId peer, ConnectionId connection)
    {
        var answer = await node.Sender.SendRpcOnConnectionAsync(peer, connection, Target.Rpc, new Message(new byte[] { 9 }), Step).Within();
        Assert.Equal(new byte[] { 9 }, answer.Payload.ToArray());
    }

    /// <summary>The node process: this test assembly run as <see cref="NodeHost"/> under <c>ulimit -n</c>.</summary>
    private sealed class HostProcess : IDisposable
    {
        private readonly Process _process;
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();
        private readonly System.Threading.Channels.Channel<string> _lines = System.Threading.Channels.Channel.CreateUnbounded<string>();

        private HostProcess(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    _lines.Writer.TryWrite(e.Data);
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    _log.Enqueue(e.Data);
                    while (_log.Count > 40 && _log.TryDequeue(out string? _))
                    {
                    }
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public static HostProcess Start(int descriptorLimit)
        {
            var assembly = typeof(NodeHost).Assembly.Location;
            var start = new ProcessStartInfo("bash")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"ulimit -n {descriptorLimit}; exec dotnet \"$0\" {NodeHost.Verb}");
            start.ArgumentList.Add(assembly);
            return new HostProcess(Process.Start(start)!);
        }

        public async Task<(int Port, PeerId Peer)> ListeningAsync()
        {
            var line = await _lines.Reader.ReadAsync();
            var parts = line.Split(' ');
            Assert.Equal("LISTENING", parts[0]);
            return (int.Parse(parts[1]), PeerId.Parse(parts[2]));
        }

        public (long AcceptFailures, long Refused, string Line) Stats()
        {
            _process.StandardInput.WriteLine("stats");
            _process.StandardInput.Flush();
            var line = _lines.Reader.ReadAsync().AsTask().WaitAsync(Step).GetAwaiter().GetResult();
            Assert.StartsWith("STATS ", line);
            long Field(string name) => long.Parse(line.Split(' ').Single(p => p.StartsWith(name + "=")).Split('=')[1]);
            return (Field("acceptFailures"), Field("refused"), line);
        }

        public ResourceBaseline.Figures Figures(bool collect)
        {
            _process.StandardInput.WriteLine(collect ? "figures-collect" : "figures");
            _process.StandardInput.Flush();
            var line = _lines.Reader.ReadAsync().AsTask().WaitAsync(Step).GetAwaiter().GetResult();
            Assert.StartsWith("FIGURES ", line);
            return ResourceBaseline.Figures.Parse(line["FIGURES ".Length..]);
        }

        public async Task<int> ExitAsync()
        {
            _process.StandardInput.WriteLine("exit");
            _process.StandardInput.Flush();
            await _process.WaitForExitAsync();
            return _process.ExitCode;
        }

        public string LogTail() => string.Join("\n", _log);

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }
}
