using PeerNet.Transport;
using PeerNet.Transport.InMemory;
using static PeerNet.Tests.TestData;

namespace PeerNet.Tests;

public class ValueTypeTests
{
    [Fact]
    public void PeerId_parses_pads_formats_and_compares()
    {
        var id = PeerId.Parse("0x1");
        Assert.Equal(new string('0', 63) + "1", id.ToHexString());
        Assert.Equal("00000000", id.ToString());
        Assert.Equal(id, PeerId.Parse(new string('0', 63) + "1"));
        Assert.True(id == PeerId.Parse("01"));
        Assert.True(id != PeerId.Parse("02"));
        Assert.True(id.CompareTo(PeerId.Parse("02")) < 0);
        Assert.Equal(id.GetHashCode(), PeerId.Parse("1").GetHashCode());
        Assert.Equal(id, new PeerId(id.ToByteArray()));
        Assert.True(id.Equals((object)PeerId.Parse("1")));
        Assert.NotEqual(PeerId.Random(), PeerId.Random());
    }

    [Fact]
    public void PeerId_rejects_bad_input_with_clear_errors()
    {
        Assert.Throws<ArgumentNullException>(() => PeerId.Parse(null!));
        Assert.Contains("no hex digits", Assert.Throws<FormatException>(() => PeerId.Parse("0x")).Message);
        Assert.Contains("at most 64", Assert.Throws<FormatException>(() => PeerId.Parse(new string('a', 65))).Message);
        Assert.Contains("not a hex byte", Assert.Throws<FormatException>(() => PeerId.Parse("zz")).Message);
        Assert.False(PeerId.TryParse("xyz", out _));
        Assert.False(PeerId.TryParse(null, out _));
        Assert.True(PeerId.TryParse("abc", out var parsed));
        Assert.EndsWith("abc", parsed.ToHexString());
        Assert.Throws<ArgumentException>(() => new PeerId(new byte[31]));
    }

    [Fact]
    public void ProtocolIdSet_is_a_value_set()
    {
        var a = ProtocolIdSet.Of(ProtocolId.ConsensusDirectSendBcs, ProtocolId.ConsensusObserverRpc, ProtocolId.ConsensusDirectSendBcs);
        Assert.Equal(2, a.Count);
        Assert.Equal(new[] { ProtocolId.ConsensusDirectSendBcs, ProtocolId.ConsensusObserverRpc }, a.ToArray());
        Assert.Equal(a, ProtocolIdSet.From(new[] { ProtocolId.ConsensusObserverRpc, ProtocolId.ConsensusDirectSendBcs }));
        Assert.True(a == ProtocolIdSet.Of(ProtocolId.ConsensusObserverRpc, ProtocolId.ConsensusDirectSendBcs));
        Assert.True(a != Bcs);
        Assert.Equal(Bcs, a.Intersect(Both));
        Assert.Equal(3, a.Union(Both).Count);
        Assert.True(ProtocolIdSet.Empty.IsEmpty);
        Assert.False(a.IsEmpty);
        Assert.Equal("{ConsensusDirectSendBcs, ConsensusDirectSendCompressed}", Both.ToString());
        Assert.Equal(a.GetHashCode(), ProtocolIdSet.From(a).GetHashCode());
        Assert.True(a.Add(ProtocolId.ConsensusRpcBcs).Contains(ProtocolId.ConsensusRpcBcs));
        Assert.False(a.Contains(ProtocolId.ConsensusRpcBcs));
        Assert.Throws<ArgumentNullException>(() => ProtocolIdSet.Of(null!));
        Assert.Throws<ArgumentNullException>(() => ProtocolIdSet.From(null!));
    }

    [Fact]
    public void ProtocolId_values_match_the_aptos_handshake_list()
    {
        Assert.Equal(0, (int)ProtocolId.ConsensusRpcBcs);
        Assert.Equal(1, (int)ProtocolId.ConsensusDirectSendBcs);
        Assert.Equal(12, (int)ProtocolId.ConsensusDirectSendCompressed);
        Assert.Equal(28, (int)ProtocolId.ConsensusObserverRpc);
        Assert.Equal(29, Enum.GetValues<ProtocolId>().Length);
    }

    [Fact]
    public void Message_copies_its_payload()
    {
        var bytes = new byte[] { 1, 2, 3 };
        var m = new Message(bytes);
        bytes[0] = 9;
        Assert.Equal(new byte[] { 1, 2, 3 }, m.Payload.ToArray());
        Assert.Equal(3, m.Length);
        Assert.Equal("Message(3 bytes)", m.ToString());
        var fromMemory = new Message(new ReadOnlyMemory<byte>(bytes, 1, 2));
        Assert.Equal(new byte[] { 2, 3 }, fromMemory.Payload.ToArray());
        Assert.Throws<ArgumentNullException>(() => new Message((byte[])null!));
    }

    [Fact]
    public void Versions_and_connection_ids_order_by_value()
    {
        Assert.True(new SnapshotVersion(1) < new SnapshotVersion(2));
        Assert.True(new SnapshotVersion(2) > new SnapshotVersion(1));
        Assert.True(new SnapshotVersion(2) >= new SnapshotVersion(2));
        Assert.True(new SnapshotVersion(2) <= new SnapshotVersion(3));
        Assert.Equal("v7", new SnapshotVersion(7).ToString());
        Assert.True(new SnapshotVersion(1).CompareTo(new SnapshotVersion(2)) < 0);
        Assert.True(new ConnectionId(1).CompareTo(new ConnectionId(2)) < 0);
        Assert.Equal("conn#5", new ConnectionId(5).ToString());
        var peer = PeerId.Parse("ab");
        Assert.Equal($"Validator:{peer}", new PeerNetworkId(NetworkId.Validator, peer).ToString());
    }

    [Fact]
    public void Metadata_types_validate_and_describe_themselves()
    {
        var peer = PeerId.Random();
        Assert.Throws<ArgumentNullException>(() => new ConnectionMetadata(peer, new ConnectionId(1), null!, ConnectionOrigin.Inbound, Bcs, PeerRole.Validator));
        Assert.Throws<ArgumentNullException>(() => new PeerMetadata(null!));
        var meta = Meta(peer, 3, Both);
        var pm = new PeerMetadata(meta);
        Assert.True(pm.IsConnected);
        Assert.Same(pm, pm.WithState(ConnectionState.Connected));
        var disconnecting = pm.WithState(ConnectionState.Disconnecting);
        Assert.False(disconnecting.IsConnected);
        Assert.Same(meta, disconnecting.ConnectionMetadata);
        Assert.Contains("conn#3", pm.ToString());
        Assert.Equal(meta, Meta(peer, 3, Both)); // record value equality
    }

    [Fact]
    public void PeerNetException_carries_the_failure_the_peer_and_a_sentence()
    {
        var peer = new PeerNetworkId(NetworkId.Validator, PeerId.Random());
        foreach (var failure in Enum.GetValues<SendFailure>())
        {
            var ex = new PeerNetException(failure, peer);
            Assert.Equal(failure, ex.Failure);
            Assert.Equal(peer, ex.Peer);
            Assert.Equal(PeerNetException.DescribeFailure(failure, peer), ex.Message);
            Assert.Contains(peer.PeerId.ToString(), ex.Message);
            Assert.DoesNotContain(": " + failure + ".", ex.Message); // every member has its own sentence
        }

        var inner = new InvalidOperationException();
        Assert.Same(inner, new PeerNetException(SendFailure.Closed, peer, "m", inner).InnerException);
    }

    [Fact]
    public void SubscriptionOverflowException_public_constructor_reports_its_values()
    {
        var ex = new SubscriptionOverflowException(8, new SnapshotVersion(5), 42);
        Assert.Equal(8, ex.Capacity);
        Assert.Equal(new SnapshotVersion(5), ex.FirstMissedVersion);
        Assert.Equal(42, ex.MissedNotifications);
        Assert.Contains("42 notification(s)", ex.Message);
        Assert.Contains("capacity 8", ex.Message);
    }

    [Fact]
    public void Transport_statistics_add_up()
    {
        var a = new InMemoryTransportStatistics { SendsAccepted = 1, SendsRefused = 2, DirectSendDelivered = 3, DirectSendUnknownProtocol = 4, DirectSendHandlerErrors = 5, RpcHandled = 6, RpcUnsupportedProtocol = 7, ConnectionsOpened = 8, ConnectionsClosed = 9 };
        var sum = a + a;
        Assert.Equal(new InMemoryTransportStatistics { SendsAccepted = 2, SendsRefused = 4, DirectSendDelivered = 6, DirectSendUnknownProtocol = 8, DirectSendHandlerErrors = 10, RpcHandled = 12, RpcUnsupportedProtocol = 14, ConnectionsOpened = 16, ConnectionsClosed = 18 }, sum);
    }
}
