using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace PeerNet.Tests;

internal static class TestData
{
    public static readonly ProtocolIdSet Bcs = ProtocolIdSet.Of(ProtocolId.ConsensusDirectSendBcs);
    public static readonly ProtocolIdSet Compressed = ProtocolIdSet.Of(ProtocolId.ConsensusDirectSendCompressed);
    public static readonly ProtocolIdSet Both = ProtocolIdSet.Of(ProtocolId.ConsensusDirectSendBcs, ProtocolId.ConsensusDirectSendCompressed);

    public static ConnectionMetadata Meta(PeerId peer, ulong connectionId, ProtocolIdSet protocols) =>
        new(peer, new ConnectionId(connectionId), "mem://" + peer, ConnectionOrigin.Outbound, protocols, PeerRole.Validator);

    public static PeerNetworkId Validator(PeerId peer) => new(NetworkId.Validator, peer);

    public static Message Msg(int i) => new(BitConverter.GetBytes(i));
}

/// <summary>Collects measurements of one PeerNet instrument (process-wide; filter by tags).</summary>
internal sealed class CounterProbe : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(long Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();

    public CounterProbe(string instrument)
    {
        _listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == PeerNetMetrics.MeterName && i.Name == instrument)
            {
                l.EnableMeasurementEvents(i);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) => _measurements.Enqueue((value, tags.ToArray())));
        _listener.Start();
    }

    public long Sum(string tagKey, string tagValue) =>
        _measurements.Where(m => m.Tags.Any(t => t.Key == tagKey && Equals(t.Value, tagValue))).Sum(m => m.Value);

    public long Sum() => _measurements.Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();
}
