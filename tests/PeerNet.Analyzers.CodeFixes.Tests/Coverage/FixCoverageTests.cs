using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit.Abstractions;

namespace PeerNet.Analyzers.CodeFixes.Tests.Coverage;

/// <summary>
/// Issue 13's proof: over every positive case of the analyzer and fix test suites (<see cref="FixCoverageCorpus"/>),
/// every PN0001/PN0002/PN0003 finding that has a PeerNet NetworkClient in reach (see <see cref="FixCoverageOwed"/>)
/// gets at least one fix, and every fix offered anywhere compiles and removes its diagnostic. Prints the count.
/// </summary>
public class FixCoverageTests
{
    private static readonly string[] Ids = { DiagnosticIds.StaleProtocol, DiagnosticIds.CheckThenSend, DiagnosticIds.DiscardedTrySendResult };
    private readonly ITestOutputHelper _output;

    public FixCoverageTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task EveryFindingWithAClientInReach_GetsAFix_ThatCompilesAndRemovesIt()
    {
        ImmutableArray<MetadataReference> references = (await ReferenceAssemblies.Net.Net80.ResolveAsync(LanguageNames.CSharp, CancellationToken.None))
            .Add(MetadataReference.CreateFromFile(typeof(PeersAndMetadata).Assembly.Location));
        var providers = new CodeFixProvider[] { new PN0001PN0002UseTrySendWithCurrentProtocolCodeFixProvider(), new PN0003ObserveTrySendResultCodeFixProvider() };

        int cases = 0, skipped = 0, findings = 0, owed = 0, offered = 0, offeredOwed = 0, actions = 0;
        var notOwedReasons = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var misses = new List<string>();
        var broken = new List<string>();
        var shapeLines = new List<string>();
        var inconsistent = new List<string>();
        var sampleLines = new List<string>();
        var ownNotCompiling = new List<string>();
        foreach ((string name, string source) in FixCoverageCorpus.All())
        {
            Document document = CreateDocument(source, references);
            Compilation compilation = (await document.Project.GetCompilationAsync())!;
            if (compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                // Robustness inputs (broken on purpose) and sources that need another test's documents; the issue's
                // shapes and the sample are this repository's own and must compile.
                skipped++;
                if (!name.Contains('#') && !name.Contains('/') || name.StartsWith("shapes/", StringComparison.Ordinal) || name.StartsWith("samples/", StringComparison.Ordinal))
                {
                    ownNotCompiling.Add(name + ": " + compilation.GetDiagnostics().First(d => d.Severity == DiagnosticSeverity.Error));
                }

                continue;
            }

            cases++;
            ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync(compilation);
            SemanticModel model = (await document.GetSemanticModelAsync())!;
            foreach (Diagnostic diagnostic in diagnostics)
            {
                findings++;
                string? notOwed = FixCoverageOwed.WhyNotOwed(diagnostic, model);
                bool saysNoFix = diagnostic.Properties.TryGetValue(DiagnosticProperties.NoFixReason, out string? reason);
                if (diagnostic.Id != DiagnosticIds.DiscardedTrySendResult && saysNoFix != (notOwed != null))
                {
                    // The analyzer's NoFixReason must say exactly where no fix is possible.
                    inconsistent.Add($"{name}: {diagnostic.Id} `{Excerpt(diagnostic)}`: NoFixReason={reason ?? "(none)"}, expected: {notOwed ?? "a fix"}");
                }
                if (notOwed != null)
                {
                    notOwedReasons[notOwed] = notOwedReasons.TryGetValue(notOwed, out int n) ? n + 1 : 1;
                }
                else
                {
                    owed++;
                }

                var registered = new List<CodeAction>();
                foreach (CodeFixProvider provider in providers.Where(p => p.FixableDiagnosticIds.Contains(diagnostic.Id)))
                {
                    await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (a, _) => registered.Add(a), CancellationToken.None));
                }

                if (registered.Count > 0 && saysNoFix)
                {
                    inconsistent.Add($"{name}: {diagnostic.Id} `{Excerpt(diagnostic)}` says NoFixReason={reason} but gets a fix");
                }

                if (registered.Count > 0 && diagnostic.Id != DiagnosticIds.DiscardedTrySendResult && !IsFirstKey(registered[0].EquivalenceKey))
                {
                    // `dotnet format` applies the key of the first diagnostic's first action to every finding: a
                    // finding whose first action had the client's-preferences key would turn every traced list into
                    // the client's preferences.
                    inconsistent.Add($"{name}: {diagnostic.Id} `{Excerpt(diagnostic)}`: first action '{registered[0].Title}' has key {registered[0].EquivalenceKey}, not the rule's first key");
                }

                if (registered.Count > 0)
                {
                    offered++;
                    if (notOwed == null)
                    {
                        offeredOwed++;
                    }
                }

                if (notOwed == null && registered.Count == 0)
                {
                    misses.Add($"{name}: {diagnostic.Id} at {diagnostic.Location.GetLineSpan().StartLinePosition} `{Excerpt(diagnostic)}`");
                }

                if (name.StartsWith("samples/", StringComparison.Ordinal))
                {
                    var at = diagnostic.Location.GetLineSpan().StartLinePosition;
                    sampleLines.Add($"  {name.Substring(8)}({at.Line + 1},{at.Character + 1}): {diagnostic.Id} -> {registered.Count} fix(es)");
                }

                if (name.StartsWith("shapes/", StringComparison.Ordinal))
                {
                    shapeLines.Add($"  {name.Substring(7)}: {diagnostic.Id} -> {(registered.Count == 0 ? "no fix" : string.Join(" | ", registered.Select(a => a.Title)))}");
                }

                foreach (CodeAction action in registered)
                {
                    actions++;
                    if (Environment.GetEnvironmentVariable("PEERNET_FIX_DUMP") is { Length: > 0 } dump)
                    {
                        Directory.CreateDirectory(dump);
                        Solution? dumped = (await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().SingleOrDefault()?.ChangedSolution;
                        if (dumped != null)
                        {
                            string file = Path.Combine(dump, $"{name.Replace('/', '_').Replace('#', '_')}.{diagnostic.Location.SourceSpan.Start}.{action.EquivalenceKey}.cs");
                            await File.WriteAllTextAsync(file, "// " + action.Title + Environment.NewLine + (await dumped.GetDocument(document.Id)!.GetTextAsync()).ToString());
                        }
                    }

                    string? problem = await CheckAppliedAsync(document, diagnostic, action, diagnostics);
                    if (problem != null)
                    {
                        broken.Add($"{name}: {diagnostic.Id} '{action.Title}' ({action.EquivalenceKey}): {problem}");
                    }
                }
            }
        }

        _output.WriteLine($"Fix coverage: {offeredOwed} / {owed} findings with a NetworkClient in reach get a fix ({Percent(offeredOwed, owed)}).");
        _output.WriteLine($"  {cases} compiling positive-case inputs ({skipped} inputs skipped: they do not compile alone), {findings} PN0001/PN0002/PN0003 findings, {offered} with a fix, {actions} code actions applied.");
        foreach ((string reason, int count) in notOwedReasons)
        {
            _output.WriteLine($"  not owed ({reason}): {count}");
        }

        _output.WriteLine("  issue 13 shapes (finding -> fixes offered):");
        foreach (string line in shapeLines)
        {
            _output.WriteLine(line);
        }

        _output.WriteLine("  samples (location: finding -> fixes offered):");
        foreach (string line in sampleLines)
        {
            _output.WriteLine(line);
        }

        foreach (string miss in misses)
        {
            _output.WriteLine("  MISSING FIX " + miss);
        }

        foreach (string b in broken)
        {
            _output.WriteLine("  BROKEN FIX " + b);
        }

        foreach (string i in inconsistent)
        {
            _output.WriteLine("  INCONSISTENT " + i);
        }

        Assert.True(owed > 0, "the corpus must contain findings");
        foreach (string own in ownNotCompiling)
        {
            _output.WriteLine("  DOES NOT COMPILE " + own);
        }

        Assert.Empty(ownNotCompiling);
        Assert.Empty(misses);
        Assert.Empty(broken);
        Assert.Empty(inconsistent);
    }

    private static bool IsFirstKey(string? key)
    {
        int via = key?.IndexOf(".Via.", StringComparison.Ordinal) ?? -1;
        string bare = via >= 0 ? key!.Substring(0, via) : key ?? "";
        return bare == EquivalenceKeys.StaleProtocol || bare == EquivalenceKeys.CheckThenSend;
    }

    private static string Percent(int a, int b) => b == 0 ? "n/a" : (100.0 * a / b).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " %";

    private static string Excerpt(Diagnostic diagnostic)
    {
        string text = diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan).Replace("\n", " ");
        return text.Length > 100 ? text.Substring(0, 100) + "..." : text;
    }

    private static Document CreateDocument(string source, ImmutableArray<MetadataReference> references)
    {
        bool topLevel = CSharpSyntaxTree.ParseText(source).GetRoot().ChildNodes().OfType<GlobalStatementSyntax>().Any();
        var workspace = new AdhocWorkspace();
        ProjectId projectId = ProjectId.CreateNewId();
        Solution solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(projectId, VersionStamp.Default, "Coverage", "Coverage", LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(topLevel ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
                metadataReferences: references))
            .AddDocument(DocumentId.CreateNewId(projectId), "Test0.cs", source);
        return solution.Projects.Single().Documents.Single();
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation)
    {
        ImmutableArray<Diagnostic> all = await compilation.WithAnalyzers(TestAnalyzers.Shipped()).GetAnalyzerDiagnosticsAsync();
        return all.Where(d => Ids.Contains(d.Id)).OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
    }

    /// <summary>Null when the action's result compiles and no longer has the diagnostic; otherwise what is wrong.</summary>
    private static async Task<string?> CheckAppliedAsync(Document document, Diagnostic diagnostic, CodeAction action, ImmutableArray<Diagnostic> before)
    {
        ImmutableArray<CodeActionOperation> operations = await action.GetOperationsAsync(CancellationToken.None);
        Solution? changed = operations.OfType<ApplyChangesOperation>().SingleOrDefault()?.ChangedSolution;
        if (changed == null)
        {
            return "no change";
        }

        Document fixedDocument = changed.GetDocument(document.Id)!;
        Compilation compilation = (await fixedDocument.Project.GetCompilationAsync())!;
        Diagnostic[] errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        string text = (await fixedDocument.GetTextAsync()).ToString();
        if (errors.Length > 0)
        {
            return "does not compile: " + string.Join("; ", errors.Take(3).Select(e => e.ToString())) + Environment.NewLine + text;
        }

        ImmutableArray<Diagnostic> after = await AnalyzeAsync(compilation);
        if (after.Count(d => d.Id == diagnostic.Id) >= before.Count(d => d.Id == diagnostic.Id))
        {
            return "the diagnostic stays" + Environment.NewLine + text;
        }

        if (after.Length >= before.Length)
        {
            return "another finding appeared: " + string.Join("; ", after.Select(d => d.ToString())) + Environment.NewLine + text;
        }

        return null;
    }
}
