namespace PeerNet.Analyzers.CodeFixes.Tests.Coverage;

/// <summary>
/// The shapes issue 13 lists as having had no fix, one compiling input each (a NetworkClient always in reach).
/// Part of the coverage corpus: whatever of them the analyzers report must get a fix that compiles and removes
/// the finding. The exact output of the main ones is pinned in ClientPreferencesFixTests.
/// </summary>
internal static class FixCoverageShapes
{
    private const string Header = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using PeerNet;

        """;

    public static readonly IReadOnlyList<(string Name, string Source)> Cases = new (string, string)[]
    {
        ("ProtocolFromWrapperMethod", Header + """
            class C
            {
                private readonly NetworkClient _client;
                C(NetworkClient client) => _client = client;
                ProtocolId Pick(PeerNetworkId peer) => _client.GetPreferredProtocolForPeer(peer, _client.DirectSendProtocolsAndPreferences);
                void Send(PeerNetworkId peer, Message message)
                {
                    var protocol = Pick(peer);
                    _client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message);
                }
            }
            """),
        ("ProtocolFromProperty", Header + """
            class C
            {
                private readonly NetworkClient _client;
                private readonly PeerNetworkId _peer;
                C(NetworkClient client, PeerNetworkId peer) { _client = client; _peer = peer; }
                ProtocolId Protocol => _client.GetPreferredProtocolForPeer(_peer, _client.DirectSendProtocolsAndPreferences);
                void Send(Message message)
                {
                    _client.GetSenderForNetwork(_peer.NetworkId).SendTo(_peer.PeerId, Protocol, message);
                }
            }
            """),
        ("ProtocolFromOutParameterHelper", Header + """
            class C
            {
                private readonly NetworkClient _client;
                C(NetworkClient client) => _client = client;
                bool TryPick(PeerNetworkId peer, out ProtocolId protocol)
                {
                    protocol = _client.GetPreferredProtocolForPeer(peer, _client.DirectSendProtocolsAndPreferences);
                    return true;
                }
                void Send(PeerNetworkId peer, Message message)
                {
                    if (TryPick(peer, out var protocol))
                    {
                        _client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message);
                    }
                }
            }
            """),
        ("ProtocolFromExtensionMethod", Header + """
            static class Ext
            {
                public static ProtocolId Best(this NetworkClient client, PeerNetworkId peer) =>
                    client.GetPreferredProtocolForPeer(peer, client.DirectSendProtocolsAndPreferences);
            }
            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    var sender = client.GetSenderForNetwork(peer.NetworkId);
                    sender.SendTo(peer.PeerId, client.Best(peer), message);
                }
            }
            """),
        ("ProtocolFromCachedField", Header + """
            class C
            {
                private readonly NetworkClient _client;
                private ProtocolId _cached;
                C(NetworkClient client) => _client = client;
                void Refresh(PeerNetworkId peer) => _cached = _client.GetPreferredProtocolForPeer(peer, _client.DirectSendProtocolsAndPreferences);
                void Send(PeerNetworkId peer, Message message)
                {
                    _client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, _cached, message);
                }
            }
            """),
        ("MetadataChainFirst", Header + """
            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    var snapshot = client.PeersAndMetadata.GetSnapshot();
                    var protocol = snapshot.GetMetadataForPeer(peer).SupportedProtocols.First();
                    client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message);
                }
            }
            """),
        ("TryGetMetadataForPeer", Header + """
            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    if (client.PeersAndMetadata.TryGetMetadataForPeer(peer, out var metadata))
                    {
                        client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, metadata.SupportedProtocols.First(), message);
                    }
                }
            }
            """),
        ("ProtocolChosenOnOnePath", Header + """
            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message, bool fresh)
                {
                    var protocol = ProtocolId.MempoolDirectSend;
                    if (fresh)
                    {
                        protocol = client.GetPreferredProtocolForPeer(peer, client.DirectSendProtocolsAndPreferences);
                    }

                    client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message);
                }
            }
            """),
        ("SwitchExpressionOverMetadata", Header + """
            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    var metadata = client.PeersAndMetadata.GetMetadataForPeer(peer);
                    var protocol = metadata.SupportedProtocols.Count switch
                    {
                        0 => ProtocolId.MempoolDirectSend,
                        _ => metadata.SupportedProtocols.First(),
                    };
                    client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message);
                }
            }
            """),
        ("PatternOverMetadata", Header + """
            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    if (client.PeersAndMetadata.GetMetadataForPeer(peer) is { IsConnected: true } metadata)
                    {
                        var protocol = metadata.SupportedProtocols.Contains(ProtocolId.ConsensusDirectSendJson) ? ProtocolId.ConsensusDirectSendJson : ProtocolId.ConsensusDirectSendBcs;
                        client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message);
                    }
                }
            }
            """),
        ("RecordAndWith", Header + """
            record Plan(PeerNetworkId Peer, ProtocolId Protocol);
            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, PeerNetworkId other, Message message)
                {
                    var plan = new Plan(peer, client.GetPreferredProtocolForPeer(peer, client.DirectSendProtocolsAndPreferences));
                    var moved = plan with { Peer = other };
                    client.GetSenderForNetwork(moved.Peer.NetworkId).SendTo(moved.Peer.PeerId, moved.Protocol, message);
                }
            }
            """),
        ("LinqPlanSentInALoop", Header + """
            class C
            {
                void Broadcast(NetworkClient client, NetworkId network, Message message)
                {
                    var plan = client.PeersAndMetadata.GetConnectedPeers(network)
                        .Select(kv => (Peer: kv.Key, Protocol: kv.Value.SupportedProtocols.First()))
                        .ToList();
                    var sender = client.GetSenderForNetwork(network);
                    foreach (var (peer, protocol) in plan)
                    {
                        sender.SendTo(peer.PeerId, protocol, message);
                    }
                }
            }
            """),
        ("Indexer", Header + """
            class C
            {
                private readonly NetworkClient _client;
                private readonly Dictionary<PeerNetworkId, ProtocolId> _protocols = new();
                C(NetworkClient client) => _client = client;
                ProtocolId this[PeerNetworkId peer] => _client.GetPreferredProtocolForPeer(peer, _client.DirectSendProtocolsAndPreferences);
                void Send(PeerNetworkId peer, Message message)
                {
                    _client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, this[peer], message);
                }
            }
            """),
        ("ParallelRpcFanOut", Header + """
            class C
            {
                async Task<Message[]> FanOut(NetworkClient client, IReadOnlyList<PeerNetworkId> peers, Message request)
                {
                    var tasks = peers.Select(async peer =>
                    {
                        var protocol = client.GetPreferredProtocolForPeer(peer, client.RpcProtocolsAndPreferences);
                        return await client.GetSenderForNetwork(peer.NetworkId).SendRpcAsync(peer.PeerId, protocol, request, TimeSpan.FromSeconds(1));
                    });
                    return await Task.WhenAll(tasks);
                }
            }
            """),
        ("ParallelRpcFanOut_ExpressionLambda", Header + """
            class C
            {
                Task<Message[]> FanOut(NetworkClient client, IReadOnlyList<PeerNetworkId> peers, Message request) =>
                    Task.WhenAll(peers.Select(peer => client.GetSenderForNetwork(peer.NetworkId)
                        .SendRpcAsync(peer.PeerId, client.GetPreferredProtocolForPeer(peer, client.RpcProtocolsAndPreferences), request, TimeSpan.FromSeconds(1))));
            }
            """),
        ("VersionEqualityGuard", Header + """
            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    var store = client.PeersAndMetadata;
                    var snapshot = store.GetSnapshot();
                    var protocol = snapshot.GetMetadataForPeer(peer).SupportedProtocols.Contains(ProtocolId.MempoolDirectSend) ? ProtocolId.MempoolDirectSend : ProtocolId.StateSyncDirectSend;
                    if (snapshot.Version == store.CurrentVersion)
                    {
                        client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message);
                    }
                }
            }
            """),
        ("CurrentVersionGuardClauseThrows", Header + """
            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    var store = client.PeersAndMetadata;
                    var snapshot = store.GetSnapshot();
                    var protocol = snapshot.GetMetadataForPeer(peer).SupportedProtocols.First();
                    if (snapshot.Version != store.CurrentVersion)
                    {
                        throw new InvalidOperationException("stale");
                    }

                    client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message);
                }
            }
            """),
        ("LoopUntilConsistent", Header + """
            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    var store = client.PeersAndMetadata;
                    while (true)
                    {
                        var snapshot = store.GetSnapshot();
                        var protocol = snapshot.GetMetadataForPeer(peer).SupportedProtocols.First();
                        if (store.IsCurrent(snapshot.Version))
                        {
                            client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message);
                            break;
                        }
                    }
                }
            }
            """),
        ("Pn0003_ExpressionBodiedLambda", Header + """
            class C
            {
                void Announce(NetworkClient client, IEnumerable<PeerNetworkId> peers, Message message)
                {
                    foreach (var peer in peers)
                    {
                        Action send = () => client.TrySendWithCurrentProtocol(peer, message, out _);
                        send();
                    }
                }
            }
            """),
        ("Pn0003_ConditionalAccess", Header + """
            class C
            {
                private NetworkClient? _client;
                void Announce(PeerNetworkId peer, Message message)
                {
                    _client?.TrySendWithCurrentProtocol(peer, message, out _);
                }
            }
            """),
        ("ClientCapturedInLocalFunction", Header + """
            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, client.DirectSendProtocolsAndPreferences);
                    var sender = client.GetSenderForNetwork(peer.NetworkId);
                    void Go() => sender.SendTo(peer.PeerId, protocol, message);
                    Go();
                }
            }
            """),
        ("SendReturnsBool", Header + """
            class C
            {
                private NetworkClient Client { get; }
                C(NetworkClient client) => Client = client;
                bool Send(PeerNetworkId peer, Message message)
                {
                    var protocol = Client.PeersAndMetadata.GetMetadataForPeer(peer).SupportedProtocols.First();
                    Client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message);
                    return true;
                }
            }
            """),
    };
}
