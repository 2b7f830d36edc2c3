using System;

namespace PeerNet
{
    /// <summary>
    /// Monitoring data about a peer's current connection (ping latency and the like). It changes far more
    /// often than connections, so <see cref="PeersAndMetadata"/> keeps it outside the connection snapshot: an
    /// update publishes no new <see cref="SnapshotVersion"/> and never rebuilds the map that sends read.
    /// </summary>
    /// <param name="AveragePingLatency">The average ping round trip, when measured.</param>
    /// <param name="UpdatedAt">When the data was measured.</param>
    public sealed record PeerMonitoringMetadata(TimeSpan? AveragePingLatency, DateTimeOffset UpdatedAt);
}
