using PeerNet.Transport.Tcp;

namespace PeerNet.Tests.Transport.Tcp;

/// <summary>
/// The test assembly's entry point (the test SDK's generated one is turned off): <c>dotnet PeerNet.Tests.dll tcp-node-host</c>
/// runs one <see cref="TcpNode"/> in its own process, so a test can start it under a descriptor limit
/// (<c>ulimit -n</c>) and flood it. Prints <c>LISTENING port peer-id</c>; answers <c>stats</c> with one line of
/// counters, <c>figures</c> and <c>figures-collect</c> with its <see cref="ResourceBaseline.Figures"/> (without or with
/// full collections); <c>exit</c> disposes the node and exits 0. Any other use exits 2.
/// </summary>
public static class NodeHost
{
    public const string Verb = "tcp-node-host";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 1 || args[0] != Verb)
        {
            Console.Error.WriteLine($"usage: dotnet PeerNet.Tests.dll {Verb} (the tests run through dotnet test)");
            return 2;
        }

        var options = new TcpNodeOptions
        {
            NetworkId = NetworkId.Public, // any authenticated peer: the parent's good peers are not known in advance
            MaxInboundConnections = 10_000, // caps above the descriptor limit: this host is about running out of descriptors
            MaxInboundConnectionsPerAddress = 10_000,
            HandshakeTimeout = TimeSpan.FromSeconds(2),
            Log = line => Console.Error.WriteLine(line),
        };
        await using var node = new TcpNode(null, options);
        var target = new Target(node);
        Console.WriteLine($"LISTENING {node.LocalEndPoint.Port} {node.PeerId.ToHexString()}");
        string? command;
        while ((command = await Console.In.ReadLineAsync()) is not null)
        {
            if (command == "stats")
            {
                var s = node.Statistics;
                Console.WriteLine($"STATS acceptFailures={s.AcceptFailures} refused={s.InboundConnectionsRefused} inbound={s.InboundConnections} handshakesFailed={s.HandshakesFailed} opened={s.ConnectionsOpened} delivered={target.Delivered} rpcs={s.RpcHandled}");
            }
            else if (command == "figures" || command == "figures-collect")
            {
                Console.WriteLine("FIGURES " + ResourceBaseline.Figures.Read(new[] { node }, collect: command == "figures-collect").Format());
            }
            else if (command == "exit")
            {
                break;
            }
        }

        return 0;
    }
}
