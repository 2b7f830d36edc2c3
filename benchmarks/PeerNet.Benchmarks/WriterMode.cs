namespace PeerNet.Benchmarks;

/// <summary>What the background writer does while a read/send benchmark runs.</summary>
public enum WriterMode
{
    /// <summary>No writer: the store never changes.</summary>
    Idle,

    /// <summary>
    /// One thread reconnecting peers (round robin) in a tight loop: every reconnect registers a new
    /// connection with the transport, then publishes it with InsertConnectionMetadata. Far above any
    /// real rate (Aptos: a few updates per second per peer); it is the worst case. On a 2-core machine
    /// this thread owns one core and the benchmark thread the other.
    /// </summary>
    Saturating,
}
