using PeerNet;

namespace PeerNet.Tests;

public class SmokeTests
{
    [Fact]
    public void ProtocolIdSet_Of_contains_its_members()
    {
        var set = ProtocolIdSet.Of(ProtocolId.ConsensusDirectSendBcs, ProtocolId.ConsensusDirectSendCompressed);
        Assert.True(set.Contains(ProtocolId.ConsensusDirectSendBcs));
        Assert.False(set.Contains(ProtocolId.ConsensusDirectSendJson));
        Assert.Equal(2, set.Count);
    }
}
