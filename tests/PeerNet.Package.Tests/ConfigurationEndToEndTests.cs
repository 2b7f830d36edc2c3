using System.Text.RegularExpressions;
using PeerNet.Package.Tests.Infrastructure;

namespace PeerNet.Package.Tests;

/// <summary>
/// The configuration as a user writes it, in a real `dotnet build` of a consumer of the packed package: a
/// .globalconfig next to the project names three members of the user's own cluster code per key (entries
/// separated by ", ", by spaces and by ","), and every one of them acts.
/// </summary>
[Collection(PackageFeedCollection.Name)]
public sealed class ConfigurationEndToEndTests(PackageFeedFixture feed)
{
    private const string FileName = "Cluster.cs";

    /// <summary>A membership cache and a transport of the user's own; each line marked `// PNxxxx` must report that id.</summary>
    private const string ClusterSource = """
        using System.Threading.Tasks;

        namespace Cluster
        {
            public enum Codec { Json, Bincode, Compressed }

            public sealed class MembershipCache
            {
                public Codec CodecFor(string node) => Codec.Json;
                public Codec PreferredCodec => Codec.Bincode;
                public Codec LastNegotiated;
                public long Version => 1;
                public bool IsCurrent(long version) => true;
                public bool Unchanged(string node, long version) => true;
                public bool StillValid(long version) => true;
            }

            public sealed class Transport
            {
                public void Send(string node, Codec codec, byte[] payload) { }
                public void SendFramed(string node, byte[] payload, Codec codec) { }
                public Task SendAsync(string node, Codec codec, byte[] payload) => Task.CompletedTask;
                public bool TrySend(string node, byte[] payload) => true;
                public bool TryBroadcast(byte[] payload) => true;
                public bool TrySendUrgent(string node, byte[] payload) => true;
            }

            public sealed class Gossip
            {
                private readonly MembershipCache cache = new MembershipCache();
                private readonly Transport transport = new Transport();

                public void ByMethod(string node, byte[] payload)
                {
                    var codec = cache.CodecFor(node);
                    transport.Send(node, codec, payload); // PN0001
                }

                public void ByProperty(string node, byte[] payload) => transport.SendFramed(node, payload, cache.PreferredCodec); // PN0001

                public async Task ByField(string node, byte[] payload) => await transport.SendAsync(node, cache.LastNegotiated, payload); // PN0001

                public void CheckedOnce(string node, byte[] payload)
                {
                    var version = cache.Version;
                    var codec = cache.CodecFor(node);
                    if (cache.IsCurrent(version)) transport.Send(node, codec, payload); // PN0002
                }

                public void CheckedPerNode(string node, byte[] payload)
                {
                    var version = cache.Version;
                    var codec = cache.PreferredCodec;
                    if (!cache.Unchanged(node, version)) return;
                    transport.Send(node, codec, payload); // PN0002
                }

                public void CheckedStill(string node, byte[] payload)
                {
                    var version = cache.Version;
                    var codec = cache.LastNegotiated;
                    if (cache.StillValid(version)) transport.SendFramed(node, payload, codec); // PN0002
                }

                public void Dropped(string node, byte[] payload)
                {
                    transport.TrySend(node, payload); // PN0003
                    _ = transport.TryBroadcast(payload); // PN0003
                    var sent = transport.TrySendUrgent(node, payload); // PN0003
                }

                public bool Observed(string node, byte[] payload) => transport.TrySend(node, payload);

                public void Constant(string node, byte[] payload) => transport.Send(node, Codec.Json, payload);
            }
        }
        """;

    private const string GlobalConfig = """
        is_global = true

        # Three members per key, separated three different ways.
        peernet.sources = M:Cluster.MembershipCache.CodecFor(System.String), P:Cluster.MembershipCache.PreferredCodec, F:Cluster.MembershipCache.LastNegotiated
        peernet.sinks = M:Cluster.Transport.Send(System.String,Cluster.Codec,System.Byte[])|codec   M:Cluster.Transport.SendFramed(System.String,System.Byte[],Cluster.Codec)|2   M:Cluster.Transport.SendAsync(System.String,Cluster.Codec,System.Byte[])|codec
        peernet.version_checks = M:Cluster.MembershipCache.IsCurrent(System.Int64),M:Cluster.MembershipCache.Unchanged(System.String,System.Int64),M:Cluster.MembershipCache.StillValid(System.Int64)
        peernet.try_sends = M:Cluster.Transport.TrySend(System.String,System.Byte[]), M:Cluster.Transport.TryBroadcast(System.Byte[]), M:Cluster.Transport.TrySendUrgent(System.String,System.Byte[])
        """;

    [Fact]
    public void A_globalconfig_naming_three_members_per_key_makes_each_act_in_a_real_build()
    {
        var sample = feed.CreateSampleCopy("configuration");
        File.WriteAllText(sample.PathOf(FileName), ClusterSource);
        File.WriteAllText(sample.PathOf(".globalconfig"), GlobalConfig);

        var build = sample.Build();
        Assert.True(build.ExitCode == 0, "The sample with the cluster code must build." + Environment.NewLine + build.Describe());
        var reported = SampleCopy.ParseDiagnostics(build).Where(d => d.Id.StartsWith("PN", StringComparison.Ordinal)).ToList();

        var configurationProblems = reported.Where(d => d.Id == "PN0000").ToList();
        Assert.True(configurationProblems.Count == 0, "The configuration must be understood entirely:" + Environment.NewLine + string.Join(Environment.NewLine, configurationProblems));

        var lines = ClusterSource.Split('\n');
        var expected = lines
            .Select((text, index) => (Line: index + 1, Match: Regex.Match(text, @"// (PN\d{4})\s*$")))
            .Where(l => l.Match.Success)
            .Select(l => $"{FileName}({l.Line}): {l.Match.Groups[1].Value}")
            .ToList();
        var actual = reported.Where(d => d.File == FileName).Select(d => $"{d.File}({d.Line}): {d.Id}").OrderBy(d => d, StringComparer.Ordinal).ToList();
        Assert.Equal(9, expected.Count);
        Assert.True(
            expected.OrderBy(d => d, StringComparer.Ordinal).SequenceEqual(actual),
            $"Reported in {FileName}:{Environment.NewLine}{string.Join(Environment.NewLine, actual)}{Environment.NewLine}expected:{Environment.NewLine}{string.Join(Environment.NewLine, expected)}{Environment.NewLine}{build.Describe()}");

        // The sample's own findings (PeerNet's attributes) are unchanged by the configuration.
        var sampleFindings = reported.Where(d => d.File != FileName).Select(d => (d.File, d.Line, d.Column, d.Id)).OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ToList();
        var sampleExpected = ExpectedDiagnostics.InSample.OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ToList();
        Assert.True(sampleExpected.SequenceEqual(sampleFindings), ExpectedDiagnostics.Describe(sampleFindings) + Environment.NewLine + build.Describe());
    }
}
