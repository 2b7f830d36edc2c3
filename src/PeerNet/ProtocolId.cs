namespace PeerNet
{
    /// <summary>
    /// Application protocols, with the same members and numeric values as the Aptos handshake v1 list.
    /// </summary>
    public enum ProtocolId : byte
    {
#pragma warning disable CS1591 // The names are the Aptos protocol names; they document themselves.
        ConsensusRpcBcs = 0,
        ConsensusDirectSendBcs = 1,
        MempoolDirectSend = 2,
        StateSyncDirectSend = 3,
        DiscoveryDirectSend = 4,
        HealthCheckerRpc = 5,
        ConsensusDirectSendJson = 6,
        ConsensusRpcJson = 7,
        StorageServiceRpc = 8,
        MempoolRpc = 9,
        PeerMonitoringServiceRpc = 10,
        ConsensusRpcCompressed = 11,
        ConsensusDirectSendCompressed = 12,
        NetbenchDirectSend = 13,
        NetbenchRpc = 14,
        DKGDirectSendCompressed = 15,
        DKGDirectSendBcs = 16,
        DKGDirectSendJson = 17,
        DKGRpcCompressed = 18,
        DKGRpcBcs = 19,
        DKGRpcJson = 20,
        JWKConsensusDirectSendCompressed = 21,
        JWKConsensusDirectSendBcs = 22,
        JWKConsensusDirectSendJson = 23,
        JWKConsensusRpcCompressed = 24,
        JWKConsensusRpcBcs = 25,
        JWKConsensusRpcJson = 26,
        ConsensusObserver = 27,
        ConsensusObserverRpc = 28,
#pragma warning restore CS1591
    }
}
