using PeerNet;
using PeerNet.Transport;
using PeerNet.Transport.Tcp;

namespace RollingUpgrade;

/// <summary>
/// One world over real TCP on 127.0.0.1: a broadcaster and the validators, each a <see cref="TcpNode"/> with its own key;
/// every connection mutually authenticated (TLS 1.3), every node trusting only the validator set. A restart redials the
/// broadcaster (expecting its id) with the new protocol set; the new connection replaces the old one.
/// </summary>
internal sealed class TcpWorld : World
{
    private readonly DirectSendHandler _count;
    private readonly TcpNode _broadcaster;
    private readonly TcpNode[] _validators;
    private long _delivered;

    public TcpWorld(string name, int validators)
    {
        Name = name;
        var identities = Enumerable.Range(0, validators + 1).Select(_ => TcpNodeIdentity.Create()).ToArray();
        var trusted = new TrustedPeerSet(identities.Select(i => i.PeerId));
        TcpNode NewNode(TcpNodeIdentity identity) => new TcpNode(null, new TcpNodeOptions
        {
            Identity = identity,
            TrustedPeers = trusted,
            CloseTimeout = TimeSpan.FromSeconds(10),
        });

        _broadcaster = NewNode(identities[0]);
        _broadcaster.RegisterDirectSendHandler(ProtocolId.ConsensusDirectSendBcs, _ => { });
        _broadcaster.RegisterDirectSendHandler(ProtocolId.ConsensusDirectSendCompressed, _ => { });
        _count = _ => Interlocked.Increment(ref _delivered);
        _validators = new TcpNode[validators];
        for (var i = 0; i < validators; i++)
        {
            _validators[i] = NewNode(identities[i + 1]);
            _validators[i].RegisterDirectSendHandler(ProtocolId.ConsensusDirectSendBcs, _count);
            Dial(i);
        }

        Peers = _validators.Select(v => v.Id).ToArray();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!Peers.All(p => _broadcaster.PeersAndMetadata.TryGetMetadataForPeer(p, out _)) && DateTime.UtcNow < until)
        {
            Thread.Sleep(1); // the broadcaster installs each inbound connection just after the validator does
        }

        Client = _broadcaster.CreateClient(Preferences, new[] { ProtocolId.ConsensusRpcCompressed, ProtocolId.ConsensusRpcBcs });
        RawSender = Client.GetSenderForNetwork(NetworkId.Validator);
    }

    public override long Delivered => Interlocked.Read(ref _delivered);

    public override long Dropped => _validators.Sum(v => v.Statistics.DirectSendUnknownProtocol);

    /// <summary>Accepted by the broadcaster but never written (its connection was aborted), or written to a connection
    /// aborted before the validator acknowledged it; 0 when every replaced connection closes gracefully.</summary>
    public override long DroppedInQueue => _broadcaster.Statistics.MessagesLostOnClose + _broadcaster.Statistics.MessagesUnconfirmedOnClose;

    public override bool Backlogged
    {
        get
        {
            var s = _broadcaster.Statistics;
            return s.SendsAccepted - s.MessagesWritten - s.MessagesLostOnClose > 256L * _validators.Length;
        }
    }

    public override void Restart(int index, ProtocolId protocol)
    {
        var v = _validators[index];
        var other = protocol == ProtocolId.ConsensusDirectSendBcs ? ProtocolId.ConsensusDirectSendCompressed : ProtocolId.ConsensusDirectSendBcs;
        v.RemoveHandler(other);
        if (!v.AnnouncedProtocols.Contains(protocol))
        {
            v.RegisterDirectSendHandler(protocol, _count);
        }

        Dial(index);
    }

    /// <summary>Disposes the broadcaster (its connections flush; the validators acknowledge everything), then waits for the validators' side.</summary>
    public override void WaitForIdle(TimeSpan timeout)
    {
        _broadcaster.DisposeAsync().AsTask().WaitAsync(timeout).GetAwaiter().GetResult();
        var until = DateTime.UtcNow + timeout;
        while (_validators.Any(v => v.LiveConnectionCount > 0) && DateTime.UtcNow < until)
        {
            Thread.Sleep(10);
        }
    }

    public override void Dispose()
    {
        Client.Dispose();
        _broadcaster.Dispose();
        foreach (var v in _validators)
        {
            v.Dispose();
        }
    }

    private void Dial(int index)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _validators[index].ConnectAsync(_broadcaster.LocalEndPoint, _broadcaster.PeerId).GetAwaiter().GetResult();
                return;
            }
            catch (PeerNetException) when (attempt < 5)
            {
                Thread.Sleep(10);
            }
        }
    }
}
