namespace PeerNet.Benchmarks;

/// <summary>What the background writer does while a read/send benchmark runs.</summary>
public enum WriterMode
{
    /// <summary>No writer: the store never changes.</summary>
    Idle,

    /// <summary>
    /// One thread reconnecting peers in bursts of 20 with a 1 ms sleep between bursts: about 10,000 to
    /// 20,000 reconnects per second (the achieved rate is printed as WriterStats). Still hundreds of times
    /// Aptos' rate (a few updates per second per peer), but it leaves the second core mostly free.
    /// </summary>
    Paced,

    /// <summary>
    /// One thread reconnecting peers (round robin) in a tight loop: every reconnect registers a new
    /// connection with the transport, then publishes it with InsertConnectionMetadata. Far above any
    /// real rate (Aptos: a few updates per second per peer); it is the worst case. On a 2-core machine
    /// this thread owns one core and the benchmark thread the other.
    /// </summary>
    Saturating,
}
