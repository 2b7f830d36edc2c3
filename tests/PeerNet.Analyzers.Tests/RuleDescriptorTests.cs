using System.Reflection;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PeerNet.Analyzers.Tests;

/// <summary>Every analyzer of the assembly: its ids come from the one id table, and each descriptor links to its own rule page.</summary>
public class RuleDescriptorTests
{
    private static readonly string[] Ids =
    {
        DiagnosticIds.Configuration, DiagnosticIds.StaleProtocol, DiagnosticIds.CheckThenSend, DiagnosticIds.DiscardedTrySendResult,
    };

    private static IEnumerable<DiagnosticAnalyzer> Analyzers() =>
        typeof(DiagnosticIds).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!);

    [Fact]
    public void Each_id_is_reported_by_exactly_one_analyzer_and_links_to_its_own_page()
    {
        var descriptors = Analyzers().SelectMany(a => a.SupportedDiagnostics.Select(d => (Analyzer: a.GetType().Name, Descriptor: d))).ToList();
        Assert.Equal(Ids.OrderBy(i => i, StringComparer.Ordinal), descriptors.Select(d => d.Descriptor.Id).OrderBy(i => i, StringComparer.Ordinal));
        foreach (var analyzer in descriptors.GroupBy(d => d.Analyzer))
        {
            // Its rule ids start the analyzer's class (and file) name: PN0001PN0002SnapshotRaceAnalyzer.
            Assert.StartsWith(string.Concat(analyzer.Select(d => d.Descriptor.Id)), analyzer.Key, StringComparison.Ordinal);
        }

        foreach (var (_, descriptor) in descriptors)
        {
            Assert.Equal(HelpLinks.Base + descriptor.Id + ".md", descriptor.HelpLinkUri);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString()), descriptor.Id);
        }
    }

    [Fact]
    public void PN0001_and_PN0002_are_one_analyzer_with_both_descriptors()
    {
        var analyzer = new PN0001PN0002SnapshotRaceAnalyzer();
        Assert.Equal(
            new[] { DiagnosticIds.StaleProtocol, DiagnosticIds.CheckThenSend },
            analyzer.SupportedDiagnostics.Select(d => d.Id));
        Assert.Same(PN0001PN0002SnapshotRaceAnalyzer.StaleProtocolRule, analyzer.SupportedDiagnostics[0]);
        Assert.Same(PN0001PN0002SnapshotRaceAnalyzer.CheckThenSendRule, analyzer.SupportedDiagnostics[1]);
    }
}
