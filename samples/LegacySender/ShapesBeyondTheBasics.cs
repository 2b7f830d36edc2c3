using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using PeerNet;

namespace LegacySender
{
    // protocol from wrapper method.
    public sealed class ProtocolFromWrapperMethod
    {
        private readonly NetworkClient _client;
        public ProtocolFromWrapperMethod(NetworkClient client) => _client = client;
        private ProtocolId Pick(PeerNetworkId peer) => _client.GetPreferredProtocolForPeer(peer, _client.DirectSendProtocolsAndPreferences);
        public void Send(PeerNetworkId peer, Message message)
        {
            var protocol = Pick(peer);
            _client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message);
        }
    }

    // protocol from property.
    public sealed class ProtocolFromProperty
    {
        private readonly NetworkClient _client;
        private readonly PeerNetworkId _peer;
        public ProtocolFromProperty(NetworkClient client, PeerNetworkId peer) { _client = client; _peer = peer; }
        public ProtocolId Protocol => _client.GetPreferredProtocolForPeer(_peer, _client.DirectSendProtocolsAndPreferences);
        public void Send(Message message)
        {
            _client.GetSenderForNetwork(_peer.NetworkId).SendTo(_peer.PeerId, Protocol, message);
        }
    }

    // protocol from out parameter helper.
    public sealed class ProtocolFromOutParameterHelper
    {
        private readonly NetworkClient _client;
        public ProtocolFromOutParameterHelper(NetworkClient client) => _client = client;
        private bool TryPick(PeerNetworkId peer, out ProtocolId protocol)
        {
            protocol = _client.GetPreferredProtocolForPeer(peer, _client.DirectSendProtocolsAndPreferences);
            return true;
        }
        public void Send(PeerNetworkId peer, Message message)
        {
            if (TryPick(peer, out var protocol))
            {
                _client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message);
            }
        }
    }

    // protocol from extension method.
    public static class ProtocolExtensions
    {
        public static ProtocolId Best(this NetworkClient client, PeerNetworkId peer) =>
            client.GetPreferredProtocolForPeer(peer, client.DirectSendProtocolsAndPreferences);
    }
    public sealed class ProtocolFromExtensionMethod
    {
        public void Send(NetworkClient client, PeerNetworkId peer, Message message)
        {
            var sender = client.GetSenderForNetwork(peer.NetworkId);
            sender.SendTo(peer.PeerId, client.Best(peer), message);
        }
    }

    // protocol from cached field.
    public sealed class ProtocolFromCachedField
    {
        private readonly NetworkClient _client;
        private ProtocolId _cached;
        public ProtocolFromCachedField(NetworkClient client) => _client = client;
        public void Refresh(PeerNetworkId peer) => _cached = _client.GetPreferredProtocolForPeer(peer, _client.DirectSendProtocolsAndPreferences);
        public void Send(PeerNetworkId peer, Message message)
        {
            _client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, _cached, message);
        }
    }

    // metadata chain first.
    public sealed class MetadataChainFirst
    {
        public void Send(NetworkClient client, PeerNetworkId peer, Message message)
        {
            var snapshot = client.PeersAndMetadata.GetSnapshot();
            var protocol = snapshot.GetMetadataForPeer(peer).SupportedProtocols.First();
            client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message);
        }
    }

    // try get metadata for peer.
    public sealed class TryGetMetadataForPeer
    {
        public void Send(NetworkClient client, PeerNetworkId peer, Message message)
        {
            if (client.PeersAndMetadata.TryGetMetadataForPeer(peer, out var metadata))
            {
                client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, metadata.SupportedProtocols.First(), message);
            }
        }
    }

    // protocol chosen on one path.
    public sealed class ProtocolChosenOnOnePath
    {
        public void Send(NetworkClient client, PeerNetworkId peer, Message message, bool fresh)
        {
            var protocol = ProtocolId.MempoolDirectSend;
            if (fresh)
            {
                protocol = client.GetPreferredProtocolForPeer(peer, client.DirectSendProtocolsAndPreferences);
            }

            client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message);
        }
    }

    // switch expression over metadata.
    public sealed class SwitchExpressionOverMetadata
    {
        public void Send(NetworkClient client, PeerNetworkId peer, Message message)
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

    // pattern over metadata.
    public sealed class PatternOverMetadata
    {
        public void Send(NetworkClient client, PeerNetworkId peer, Message message)
        {
            if (client.PeersAndMetadata.GetMetadataForPeer(peer) is { IsConnected: true } metadata)
            {
                var protocol = metadata.SupportedProtocols.Contains(ProtocolId.ConsensusDirectSendJson) ? ProtocolId.ConsensusDirectSendJson : ProtocolId.ConsensusDirectSendBcs;
                client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message);
            }
        }
    }

    // record and with.
    public sealed record Plan(PeerNetworkId Peer, ProtocolId Protocol);
    public sealed class RecordAndWith
    {
        public void Send(NetworkClient client, PeerNetworkId peer, PeerNetworkId other, Message message)
        {
            var plan = new Plan(peer, client.GetPreferredProtocolForPeer(peer, client.DirectSendProtocolsAndPreferences));
            var moved = plan with { Peer = other };
            client.GetSenderForNetwork(moved.Peer.NetworkId).SendTo(moved.Peer.PeerId, moved.Protocol, message);
        }
    }

    // linq plan sent in a loop.
    public sealed class LinqPlanSentInALoop
    {
        public void Broadcast(NetworkClient client, NetworkId network, Message message)
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

    // parallel rpc fan out.
    public sealed class ParallelRpcFanOut
    {
        public async Task<Message[]> FanOut(NetworkClient client, IReadOnlyList<PeerNetworkId> peers, Message request)
        {
            var tasks = peers.Select(async peer =>
            {
                var protocol = client.GetPreferredProtocolForPeer(peer, client.RpcProtocolsAndPreferences);
                return await client.GetSenderForNetwork(peer.NetworkId).SendRpcAsync(peer.PeerId, protocol, request, TimeSpan.FromSeconds(1));
            });
            return await Task.WhenAll(tasks);
        }
    }

    // version equality guard.
    public sealed class VersionEqualityGuard
    {
        public void Send(NetworkClient client, PeerNetworkId peer, Message message)
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

    // current version guard clause throws.
    public sealed class CurrentVersionGuardClauseThrows
    {
        public void Send(NetworkClient client, PeerNetworkId peer, Message message)
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

    // loop until consistent.
    public sealed class LoopUntilConsistent
    {
        public void Send(NetworkClient client, PeerNetworkId peer, Message message)
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

    // PN0003 in an expression-bodied lambda.
    public sealed class DiscardedResultInExpressionLambda
    {
        public void Announce(NetworkClient client, IEnumerable<PeerNetworkId> peers, Message message)
        {
            foreach (var peer in peers)
            {
                Action send = () => client.TrySendWithCurrentProtocol(peer, message, out _);
                send();
            }
        }
    }

    // PN0003 on a conditional access.
    public sealed class DiscardedResultOnConditionalAccess
    {
        private NetworkClient? _client = null; // attached later, maybe never
        public void Announce(PeerNetworkId peer, Message message)
        {
            _client?.TrySendWithCurrentProtocol(peer, message, out _);
        }
    }

    // client captured in local function.
    public sealed class ClientCapturedInLocalFunction
    {
        public void Send(NetworkClient client, PeerNetworkId peer, Message message)
        {
            var protocol = client.GetPreferredProtocolForPeer(peer, client.DirectSendProtocolsAndPreferences);
            var sender = client.GetSenderForNetwork(peer.NetworkId);
            void Go() => sender.SendTo(peer.PeerId, protocol, message);
            Go();
        }
    }

    // send returns bool.
    public sealed class SendReturnsBool
    {
        private NetworkClient Client { get; }
        public SendReturnsBool(NetworkClient client) => Client = client;
        public bool Send(PeerNetworkId peer, Message message)
        {
            var protocol = Client.PeersAndMetadata.GetMetadataForPeer(peer).SupportedProtocols.First();
            Client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message);
            return true;
        }
    }
}
