namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>
/// Issue 13: a fix wherever a NetworkClient is in reach. The sender's preference list is kept when it can be traced
/// (<see cref="EquivalenceKeys.StaleProtocol"/>, <see cref="EquivalenceKeys.CheckThenSend"/>); otherwise, and also
/// where it differs from the client's configured list, the client's preferences
/// (<see cref="EquivalenceKeys.StaleProtocolClientPreferences"/>, <see cref="EquivalenceKeys.CheckThenSendClientPreferences"/>);
/// several clients in reach and none named: one action per client (key + ".Via." + name). PN0003 in an
/// expression-bodied lambda and on a conditional access. Where no fix is possible, none with either key.
/// </summary>
public class PN0001PN0002ClientInReachFixTests
{
    internal static readonly FixCaseTable Cases = new()
    {
        ["SenderOfOneClient_ProtocolOfAnother_UsesTheSendersClient"] = FixCase.Fix(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient a, NetworkClient b, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var protocol = a.GetPreferredProtocolForPeer(peer, preferences);
                    {|PN0001:b.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                }
            }
            """,
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient a, NetworkClient b, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    if (!b.TrySendWithCurrentProtocol(peer, preferences, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["ConditionalAccessSend_KeepsTheNullCheck"] = FixCase.Fix(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, INetworkSender? sender, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, preferences);
                    sender?{|PN0001:.SendTo(peer.PeerId, protocol, message)|};
                }
            }
            """,
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, INetworkSender? sender, PeerNetworkId peer, Message message, IReadOnlyList<ProtocolId> preferences)
                {
                    if (sender != null)
                    {
                        if (!client.TrySendWithCurrentProtocol(peer, preferences, message, out var failure))
                        {
                            throw new PeerNetException(failure, peer);
                        }
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["SelectionNotUnderstood_ClientPreferences"] = FixCase.Fix(
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message, bool compressed)
                {
                    var supported = client.GetSupportedProtocols(peer);
                    var protocol = compressed && supported.Count > 1 ? ProtocolId.ConsensusDirectSendCompressed : ProtocolId.ConsensusDirectSendBcs;
                    {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                }
            }
            """,
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message, bool compressed)
                {
                    if (!client.TrySendWithCurrentProtocol(peer, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["PreferencesFromACall_ClientPreferences"] = FixCase.Fix(
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                IReadOnlyList<ProtocolId> Prefs() => new[] { ProtocolId.MempoolDirectSend };

                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, Prefs());
                    System.Console.WriteLine(protocol);
                    {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                }
            }
            """,
            """
            using System.Collections.Generic;
            using PeerNet;

            class C
            {
                IReadOnlyList<ProtocolId> Prefs() => new[] { ProtocolId.MempoolDirectSend };

                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    var protocol = client.GetPreferredProtocolForPeer(peer, Prefs());
                    System.Console.WriteLine(protocol);
                    if (!client.TrySendWithCurrentProtocol(peer, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["TwoClientsInReach_OneActionPerClient_ViaA"] = FixCase.Fix(
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient a, NetworkClient b, PeersAndMetadata store, INetworkSender sender, PeerNetworkId peer, Message message)
                {
                    var supported = store.GetMetadataForPeer(peer).SupportedProtocols;
                    {|PN0001:sender.SendTo(peer.PeerId, supported.Contains(ProtocolId.MempoolDirectSend) ? ProtocolId.MempoolDirectSend : ProtocolId.MempoolRpc, message)|};
                }
            }
            """,
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient a, NetworkClient b, PeersAndMetadata store, INetworkSender sender, PeerNetworkId peer, Message message)
                {
                    if (!a.TrySendWithCurrentProtocol(peer, new[] { ProtocolId.MempoolDirectSend, ProtocolId.MempoolRpc }, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol + ".Via.a"),

        ["TwoClientsInReach_OneActionPerClient_ClientPreferencesViaB"] = FixCase.Fix(
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient a, NetworkClient b, PeersAndMetadata store, INetworkSender sender, PeerNetworkId peer, Message message)
                {
                    var supported = store.GetMetadataForPeer(peer).SupportedProtocols;
                    {|PN0001:sender.SendTo(peer.PeerId, supported.Contains(ProtocolId.MempoolDirectSend) ? ProtocolId.MempoolDirectSend : ProtocolId.MempoolRpc, message)|};
                }
            }
            """,
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient a, NetworkClient b, PeersAndMetadata store, INetworkSender sender, PeerNetworkId peer, Message message)
                {
                    if (!b.TrySendWithCurrentProtocol(peer, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocolClientPreferences + ".Via.b"),

        ["MetadataChainFirst"] = FixCase.Fix(
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using PeerNet;
            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    var snapshot = client.PeersAndMetadata.GetSnapshot();
                    var protocol = snapshot.GetMetadataForPeer(peer).SupportedProtocols.First();
                    {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using PeerNet;
            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    var snapshot = client.PeersAndMetadata.GetSnapshot();
                    var protocol = snapshot.GetMetadataForPeer(peer).SupportedProtocols.First();
                    if (!client.TrySendWithCurrentProtocol(peer, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["ProtocolChosenOnOnePath_ClientPreferences"] = FixCase.Fix(
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using PeerNet;
            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message, bool fresh)
                {
                    var protocol = ProtocolId.MempoolDirectSend;
                    if (fresh)
                    {
                        protocol = client.GetPreferredProtocolForPeer(peer, client.DirectSendProtocolsAndPreferences);
                    }

                    {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using PeerNet;
            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message, bool fresh)
                {
                    var protocol = ProtocolId.MempoolDirectSend;
                    if (fresh)
                    {
                        protocol = client.GetPreferredProtocolForPeer(peer, client.DirectSendProtocolsAndPreferences);
                    }

                    if (!client.TrySendWithCurrentProtocol(peer, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["ProtocolFromCachedField_ClientPreferences"] = FixCase.Fix(
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using PeerNet;
            class C
            {
                private readonly NetworkClient _client;
                private ProtocolId _cached;
                C(NetworkClient client) => _client = client;
                void Refresh(PeerNetworkId peer) => _cached = _client.GetPreferredProtocolForPeer(peer, _client.DirectSendProtocolsAndPreferences);
                void Send(PeerNetworkId peer, Message message)
                {
                    {|PN0001:_client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, _cached, message)|};
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using PeerNet;
            class C
            {
                private readonly NetworkClient _client;
                private ProtocolId _cached;
                C(NetworkClient client) => _client = client;
                void Refresh(PeerNetworkId peer) => _cached = _client.GetPreferredProtocolForPeer(peer, _client.DirectSendProtocolsAndPreferences);
                void Send(PeerNetworkId peer, Message message)
                {
                    if (!_client.TrySendWithCurrentProtocol(peer, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocolClientPreferences),

        ["LinqPlanSentInALoop_ClientPreferences"] = FixCase.Fix(
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using PeerNet;
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
                        {|PN0001:sender.SendTo(peer.PeerId, protocol, message)|};
                    }
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using PeerNet;
            class C
            {
                void Broadcast(NetworkClient client, NetworkId network, Message message)
                {
                    var plan = client.PeersAndMetadata.GetConnectedPeers(network)
                        .Select(kv => (Peer: kv.Key, Protocol: kv.Value.SupportedProtocols.First()))
                        .ToList();
                    foreach (var (peer, protocol) in plan)
                    {
                        var peer1 = new PeerNetworkId(network, peer.PeerId);
                        if (!client.TrySendWithCurrentProtocol(peer1, message, out var failure))
                        {
                            throw new PeerNetException(failure, peer1);
                        }
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["ProtocolFromOutParameterHelper_ClientPreferences"] = FixCase.Fix(
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using PeerNet;
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
                        {|PN0001:_client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                    }
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using PeerNet;
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
                        if (!_client.TrySendWithCurrentProtocol(peer, message, out var failure))
                        {
                            throw new PeerNetException(failure, peer);
                        }
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol),

        ["VersionEqualityGuard"] = FixCase.Fix(
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using PeerNet;
            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    var store = client.PeersAndMetadata;
                    var snapshot = store.GetSnapshot();
                    var protocol = snapshot.GetMetadataForPeer(peer).SupportedProtocols.Contains(ProtocolId.MempoolDirectSend) ? ProtocolId.MempoolDirectSend : ProtocolId.StateSyncDirectSend;
                    if (snapshot.Version == store.CurrentVersion)
                    {
                        {|PN0002:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                    }
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using PeerNet;
            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    if (!client.TrySendWithCurrentProtocol(peer, new[] { ProtocolId.MempoolDirectSend, ProtocolId.StateSyncDirectSend }, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            EquivalenceKeys.CheckThenSend),

        ["VersionEqualityGuard_ClientPreferences"] = FixCase.Fix(
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using PeerNet;
            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    var store = client.PeersAndMetadata;
                    var snapshot = store.GetSnapshot();
                    var protocol = snapshot.GetMetadataForPeer(peer).SupportedProtocols.Contains(ProtocolId.MempoolDirectSend) ? ProtocolId.MempoolDirectSend : ProtocolId.StateSyncDirectSend;
                    if (snapshot.Version == store.CurrentVersion)
                    {
                        {|PN0002:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                    }
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using PeerNet;
            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    if (!client.TrySendWithCurrentProtocol(peer, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            EquivalenceKeys.CheckThenSendClientPreferences),

        ["CurrentVersionGuardClauseThrows"] = FixCase.Fix(
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using PeerNet;
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

                    {|PN0002:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message)|};
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using PeerNet;
            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message message)
                {
                    var store = client.PeersAndMetadata;
                    var snapshot = store.GetSnapshot();
                    var protocol = snapshot.GetMetadataForPeer(peer).SupportedProtocols.First();

                    if (!client.TrySendWithCurrentProtocol(peer, message, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                }
            }
            """,
            EquivalenceKeys.CheckThenSend),

        ["Pn0003_ExpressionBodiedLambda"] = FixCase.Fix(
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using PeerNet;
            class C
            {
                void Announce(NetworkClient client, IEnumerable<PeerNetworkId> peers, Message message)
                {
                    foreach (var peer in peers)
                    {
                        Action send = () => {|PN0003:client.TrySendWithCurrentProtocol(peer, message, out _)|};
                        send();
                    }
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using PeerNet;
            class C
            {
                void Announce(NetworkClient client, IEnumerable<PeerNetworkId> peers, Message message)
                {
                    foreach (var peer in peers)
                    {
                        Action send = () =>
                        {
                            if (!client.TrySendWithCurrentProtocol(peer, message, out var failure))
                            {
                                throw new PeerNetException(failure, peer);
                            }
                        };
                        send();
                    }
                }
            }
            """,
            EquivalenceKeys.ThrowOnFailure),

        ["Pn0003_ConditionalAccess"] = FixCase.Fix(
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using PeerNet;
            class C
            {
                private NetworkClient? _client;
                void Announce(PeerNetworkId peer, Message message)
                {
                    _client?{|PN0003:.TrySendWithCurrentProtocol(peer, message, out _)|};
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using PeerNet;
            class C
            {
                private NetworkClient? _client;
                void Announce(PeerNetworkId peer, Message message)
                {
                    if (_client is { } client)
                    {
                        if (!client.TrySendWithCurrentProtocol(peer, message, out var failure))
                        {
                            throw new PeerNetException(failure, peer);
                        }
                    }
                }
            }
            """,
            EquivalenceKeys.ThrowOnFailure),

        ["FixAll_ClientPreferences_TwoSends"] = FixCase.Fix(
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message first, Message second, bool compressed)
                {
                    var supported = client.GetSupportedProtocols(peer);
                    var protocol = compressed && supported.Count > 1 ? ProtocolId.ConsensusDirectSendCompressed : ProtocolId.ConsensusDirectSendBcs;
                    {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, first)|};
                    {|PN0001:client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, second)|};
                }
            }
            """,
            """
            using PeerNet;

            class C
            {
                void Send(NetworkClient client, PeerNetworkId peer, Message first, Message second, bool compressed)
                {
                    if (!client.TrySendWithCurrentProtocol(peer, first, out var failure))
                    {
                        throw new PeerNetException(failure, peer);
                    }
                    if (!client.TrySendWithCurrentProtocol(peer, second, out var failure1))
                    {
                        throw new PeerNetException(failure1, peer);
                    }
                }
            }
            """,
            EquivalenceKeys.StaleProtocol)
            .WithFixAll(incremental: 2),

        ["NoClientInReach_NoFix_NorWithClientPreferences"] = FixCase.NoFix(PN0001NoFixTests.Cases["NoClientInReach_NoFix"].Markup, EquivalenceKeys.StaleProtocolClientPreferences),

        ["PeerOfReadDiffersFromTarget_NetworkUnknown_NoFix_NorWithClientPreferences"] = FixCase.NoFix(PN0001NoFixTests.Cases["PeerOfReadDiffersFromTarget_NetworkUnknown_NoFix"].Markup, EquivalenceKeys.StaleProtocolClientPreferences),

        ["UserTypeNamedNetworkClient_NoFix_NorWithClientPreferences"] = FixCase.NoFix(PN0001NoFixTests.Cases["UserTypeNamedNetworkClient_NoFix"].Markup, EquivalenceKeys.StaleProtocolClientPreferences),

        ["UserSinkMethod_NotPeerNetSend_NoFix_NorWithClientPreferences"] = FixCase.NoFix(PN0001NoFixTests.Cases["UserSinkMethod_NotPeerNetSend_NoFix"].Markup, EquivalenceKeys.StaleProtocolClientPreferences),
    };

    public static TheoryData<string> Names => Cases.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public Task Fix(string name) => Cases[name].ValidateAsync();
}
