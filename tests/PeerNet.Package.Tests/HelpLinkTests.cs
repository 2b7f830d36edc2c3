using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PeerNet.Package.Tests.Infrastructure;

namespace PeerNet.Package.Tests;

/// <summary>Every rule the analyzer assembly can report links to a page that exists in docs/rules.</summary>
public sealed class HelpLinkTests
{
    private const string RulesSegment = "docs/rules/";

    // Referenced as a project (see the .csproj); loaded by name since its types are internal.
    private static Assembly AnalyzerAssembly => Assembly.Load(new AssemblyName("PeerNet.Analyzers"));

    /// <summary>
    /// The descriptors of the analyzer assembly: SupportedDiagnostics of every DiagnosticAnalyzer in it, and
    /// every static DiagnosticDescriptor field or property (a descriptor nobody reports still ships).
    /// </summary>
    private static IReadOnlyList<DiagnosticDescriptor> AllDescriptors()
    {
        var types = AnalyzerAssembly.GetTypes();
        var fromAnalyzers = types
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Where(t => t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t, nonPublic: true)!).SupportedDiagnostics);
        const BindingFlags statics = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var fromFields = types
            .Where(t => !t.ContainsGenericParameters)
            .SelectMany(t => t.GetFields(statics))
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor?)f.GetValue(null));
        var fromProperties = types
            .Where(t => !t.ContainsGenericParameters)
            .SelectMany(t => t.GetProperties(statics))
            .Where(p => p.PropertyType == typeof(DiagnosticDescriptor) && p.GetIndexParameters().Length == 0)
            .Select(p => (DiagnosticDescriptor?)p.GetValue(null));
        return fromAnalyzers.Concat(fromFields).Concat(fromProperties)
            .OfType<DiagnosticDescriptor>()
            .DistinctBy(d => (d.Id, d.HelpLinkUri))
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
    }

    [Fact]
    public void The_analyzer_assembly_declares_the_three_rules()
    {
        var ids = AllDescriptors().Select(d => d.Id).Distinct().ToList();
        Assert.True(
            new[] { "PN0001", "PN0002", "PN0003" }.All(ids.Contains),
            $"{AnalyzerAssembly.GetName().Name} declares [{string.Join(", ", ids)}]; expected PN0001, PN0002 and PN0003 among them.");
    }

    [Fact]
    public void Every_descriptor_links_to_an_existing_rule_page()
    {
        var descriptors = AllDescriptors();
        Assert.NotEmpty(descriptors);
        var problems = new List<string>();
        foreach (var descriptor in descriptors)
        {
            var link = descriptor.HelpLinkUri;
            if (string.IsNullOrWhiteSpace(link))
            {
                problems.Add($"{descriptor.Id}: no HelpLinkUri.");
                continue;
            }

            if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                problems.Add($"{descriptor.Id}: HelpLinkUri '{link}' is not an absolute http(s) URL.");
                continue;
            }

            var path = Uri.UnescapeDataString(uri.AbsolutePath);
            var at = path.IndexOf(RulesSegment, StringComparison.Ordinal);
            if (at < 0)
            {
                problems.Add($"{descriptor.Id}: HelpLinkUri '{link}' does not point into {RulesSegment}.");
                continue;
            }

            var relative = path[(at + RulesSegment.Length)..];
            var file = Path.Combine(RepoPaths.RulesDocs, relative.Replace('/', Path.DirectorySeparatorChar));
            if (!File.Exists(file))
            {
                problems.Add($"{descriptor.Id}: HelpLinkUri '{link}' names {RulesSegment}{relative}, which does not exist in the repository ({file}).");
                continue;
            }

            // A page may serve more than one diagnostic (PN0000, the configuration check, can share the page
            // that documents the configuration), but it must explain the one that links to it.
            if (!File.ReadAllText(file).Contains(descriptor.Id, StringComparison.Ordinal))
            {
                problems.Add($"{descriptor.Id}: HelpLinkUri '{link}' names {RulesSegment}{relative}, which never mentions {descriptor.Id}.");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
