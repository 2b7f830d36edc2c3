using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

// Times analyzers in-process on a generated project, the way an IDE host runs them (one warm process,
// one compilation), and separates them from the compiler's own work:
//   dotnet run -c Release --project benchmarks/AnalyzerCost/Profile -- --dir DIR --analyzer PeerNet.Analyzers.dll
//       [--peernet PeerNet.dll] [--files N] [--repeat R] [--list FILE] [--list-details FILE] [--first-lookup] [--ide] [--only A,B]
// DIR is a folder written by the Generator (its src/ is compiled); --files N takes the first N files (in a
// stable order) to show how the cost scales with project size. --list writes every diagnostic of the last
// round (id, file, line, column, message), sorted, to FILE: diff two analyzer builds' lists to check that a
// performance change reports exactly the same; --list-details FILE adds, per diagnostic, the additional locations
// (line:column) and the properties (key=value, sorted), for a restructuring that must keep what the code fixes read.
// --ide times what an editor pays per document: on one compilation whose compiler diagnostics are already
// computed (the editor has bound the code), each file's semantic analysis by PeerNet.Analyzers' analyzers
// alone (CompilationWithAnalyzers.GetAnalyzerSemanticDiagnosticsAsync per tree, one after another, the
// compilation-wide work falling on the first); prints the median, 95th percentile and maximum over files.
// --only A,B keeps only the analyzers of those type names (e.g. --only PN0000ConfigurationAnalyzer, which does
// nearly nothing: what remains of its --ide time is the driver's own per-request work, paid by any analyzer).
// --noop runs, instead of them, an analyzer that registers the same syntax-node actions (the bodies' kinds,
// invocations) and returns at once: the driver's own per-request work for an analyzer of that shape.
// --floor bind|cfg runs, instead of them, an analyzer that binds every body of the files naming PeerNet (the
// same syntax-node actions, `SemanticModel.GetOperation` on each body) and, with cfg, builds its control flow
// graph: the least any IOperation-based analysis of the PeerNet code pays, whatever it then does.
// --first-lookup times, on fresh compilations, what the
// analyzers' compilation-start actions ask first (the bail-out): the first type lookup against the same
// lookup after the compiler's own first one, and the source type-name check.
string? dir = null, analyzerPath = null, peerNetPath = null, listPath = null, detailsPath = null, only = null;
var firstLookup = false;
var ide = false;
var noop = false;
string? floor = null;
var files = int.MaxValue;
var repeat = 3;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--dir": dir = args[++i]; break;
        case "--analyzer": analyzerPath = Path.GetFullPath(args[++i]); break;
        case "--peernet": peerNetPath = Path.GetFullPath(args[++i]); break;
        case "--files": files = int.Parse(args[++i]); break;
        case "--repeat": repeat = int.Parse(args[++i]); break;
        case "--list": listPath = Path.GetFullPath(args[++i]); break;
        case "--list-details": detailsPath = Path.GetFullPath(args[++i]); break;
        case "--first-lookup": firstLookup = true; break;
        case "--ide": ide = true; break;
        case "--only": only = args[++i]; break;
        case "--noop": noop = true; break;
        case "--floor": floor = args[++i]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

if (dir is null || analyzerPath is null)
{
    Console.Error.WriteLine("usage: --dir DIR --analyzer PeerNet.Analyzers.dll [--peernet PeerNet.dll] [--files N] [--repeat R]");
    return 2;
}

var refDir = Directory.GetDirectories("/usr/share/dotnet/packs/Microsoft.NETCore.App.Ref").OrderBy(d => d).Last();
var references = Directory.GetFiles(Path.Combine(refDir, "ref", "net10.0"), "*.dll")
    .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
if (peerNetPath is not null)
{
    references.Add(MetadataReference.CreateFromFile(peerNetPath));
}

var parse = new CSharpParseOptions(LanguageVersion.Latest);
var sources = Directory.GetFiles(Path.Combine(dir, "src"), "*.cs", SearchOption.AllDirectories)
    .OrderBy(p => p, StringComparer.Ordinal)
    .ToList();
var common = sources.Where(p => p.EndsWith("Common.cs") || p.EndsWith("Touch.cs")).ToList();
var chosen = common.Concat(sources.Except(common).Take(Math.Max(0, files - common.Count))).ToList();
var trees = chosen.Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), parse, p)).ToList();
trees.Add(CSharpSyntaxTree.ParseText(
    "global using global::System; global using global::System.Collections.Generic; global using global::System.IO; " +
    "global using global::System.Linq; global using global::System.Net.Http; global using global::System.Threading; global using global::System.Threading.Tasks;",
    parse, "GlobalUsings.g.cs"));
var lines = trees.Sum(t => t.GetText().Lines.Count);

var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);
var analyzerRef = new AnalyzerFileReference(analyzerPath, new Loader());
var analyzers = analyzerRef.GetAnalyzers(LanguageNames.CSharp);
if (noop)
{
    analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new NoOpAnalyzer());
}
else if (floor is not null)
{
    if (floor is not ("bind" or "cfg"))
    {
        Console.Error.WriteLine($"--floor takes bind or cfg, not '{floor}'");
        return 2;
    }

    analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new BindFloorAnalyzer(floor == "cfg"));
}
else if (only is not null)
{
    var kept = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    analyzers = analyzers.Where(a => kept.Contains(a.GetType().Name)).ToImmutableArray();
}
Console.WriteLine($"{chosen.Count} files, {lines:N0} lines, PeerNet {(peerNetPath is null ? "absent" : "referenced")}; analyzers: {string.Join(", ", analyzers.Select(a => a.GetType().Name))}");

if (firstLookup)
{
    for (var r = 1; r <= repeat; r++)
    {
        var fresh = CSharpCompilation.Create("Contoso.Generated", trees, references, options);
        var watch = Stopwatch.StartNew();
        fresh.GetTypeByMetadataName("PeerNet.NetworkClient");
        var ours = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        fresh.ContainsSymbolsWithName("CachedSnapshotReadAttribute", SymbolFilter.Type);
        var names = watch.Elapsed.TotalMilliseconds;
        var other = CSharpCompilation.Create("Contoso.Generated", trees, references, options);
        watch.Restart();
        other.GetTypeByMetadataName("System.String");
        var compilers = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        other.GetTypeByMetadataName("PeerNet.NetworkClient");
        var oursAfter = watch.Elapsed.TotalMilliseconds;
        Console.WriteLine($"round {r}: first lookup (PeerNet.NetworkClient) {ours:F1} ms, then the source type-name check {names:F1} ms; " +
                          $"on another fresh compilation: System.String first {compilers:F1} ms, then PeerNet.NetworkClient {oursAfter:F2} ms");
    }

    return 0;
}

if (ide)
{
    var compilation = CSharpCompilation.Create("Contoso.Generated", trees, references, options);
    compilation.GetDiagnostics();
    var withAnalyzers = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
        new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: (e, a, d) => Console.Error.WriteLine($"{a}: {e}"),
        concurrentAnalysis: false, logAnalyzerExecutionTime: false));
    var times = new List<(double Ms, string File)>();
    foreach (var tree in compilation.SyntaxTrees)
    {
        var model = compilation.GetSemanticModel(tree);
        var watch = Stopwatch.StartNew();
        await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, null, CancellationToken.None);
        times.Add((watch.Elapsed.TotalMilliseconds, tree.FilePath));
    }

    var sorted = times.OrderBy(t => t.Ms).ToList();
    double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)].Ms;
    Console.WriteLine($"ide: {sorted.Count} documents, per-document semantic analysis (our analyzers only): median {At(0.5):F2} ms, " +
                      $"p95 {At(0.95):F2} ms, max {sorted[^1].Ms:F1} ms ({Path.GetFileName(sorted[^1].File)}); first document {times[0].Ms:F1} ms ({Path.GetFileName(times[0].File)}); " +
                      $"PeerNet files (the generator's Network/ folders): median {Median(times.Where(t => t.File.Contains("/Network/", StringComparison.Ordinal)).Select(t => t.Ms))}");
    return 0;
}

static string Median(IEnumerable<double> values)
{
    var list = values.OrderBy(v => v).ToList();
    return list.Count == 0 ? "-" : $"{list[list.Count / 2]:F2} ms over {list.Count}";
}

for (var r = 1; r <= repeat; r++)
{
    // A fresh compilation each time: nothing cached from the previous round except the JIT.
    var compilation = CSharpCompilation.Create("Contoso.Generated", trees, references, options);
    var sw = Stopwatch.StartNew();
    var compilerDiagnostics = compilation.GetDiagnostics();
    var bindMs = sw.Elapsed.TotalMilliseconds;
    var errors = compilerDiagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);

    var (found, analyzeMs, perAnalyzer) = await AnalyzerRun.TimeAsync(compilation, analyzers, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty));
    if (AnalyzerRun.Counters(analyzers) is { } counters) Console.WriteLine("  counters (cumulative): " + counters);

    if (listPath is not null && r == repeat)
    {
        var lines2 = found
            .Select(d => (d.Id, Span: d.Location.GetLineSpan(), Message: d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)))
            .Select(d => $"{d.Id} {Path.GetFileName(d.Span.Path)}:{d.Span.StartLinePosition.Line + 1}:{d.Span.StartLinePosition.Character + 1} {d.Message}")
            .OrderBy(l => l, StringComparer.Ordinal);
        File.WriteAllLines(listPath, lines2);
    }

    if (detailsPath is not null && r == repeat)
    {
        static string At(Location l)
        {
            var span = l.GetLineSpan();
            return $"{Path.GetFileName(span.Path)}:{span.StartLinePosition.Line + 1}:{span.StartLinePosition.Character + 1}-{span.EndLinePosition.Line + 1}:{span.EndLinePosition.Character + 1}";
        }

        var details = found
            .Select(d => $"{d.Id} {At(d.Location)} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}" +
                         $" | additional: {string.Join(", ", d.AdditionalLocations.Select(At))}" +
                         $" | properties: {string.Join(", ", d.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}")
            .OrderBy(l => l, StringComparer.Ordinal);
        File.WriteAllLines(detailsPath, details);
    }

    var byId = string.Join(", ", found.GroupBy(d => d.Id).OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}"));
    Console.WriteLine($"round {r}: compiler (parse excluded, bind + diagnostics) {bindMs:F0} ms, {errors} errors; " +
                      $"analyzers wall {analyzeMs:F0} ms [{perAnalyzer}]; diagnostics {byId}");
}

return 0;

/// <summary>Registers the syntax-node actions PeerNet.Analyzers registers (body kinds, invocations) and does nothing in them.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NoOpAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new("NOOP0001", "no-op", "no-op", "Performance", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start => start.RegisterSyntaxNodeAction(_ => { },
            Microsoft.CodeAnalysis.CSharp.SyntaxKind.MethodDeclaration, Microsoft.CodeAnalysis.CSharp.SyntaxKind.ConstructorDeclaration,
            Microsoft.CodeAnalysis.CSharp.SyntaxKind.GetAccessorDeclaration, Microsoft.CodeAnalysis.CSharp.SyntaxKind.SetAccessorDeclaration,
            Microsoft.CodeAnalysis.CSharp.SyntaxKind.ArrowExpressionClause, Microsoft.CodeAnalysis.CSharp.SyntaxKind.EqualsValueClause,
            Microsoft.CodeAnalysis.CSharp.SyntaxKind.CompilationUnit, Microsoft.CodeAnalysis.CSharp.SyntaxKind.InvocationExpression));
    }
}

/// <summary>
/// The floor of an IOperation-based analysis of the PeerNet code: binds every body of each file that names
/// PeerNet (and, when asked, builds its control flow graph), as our analyzer does for a body it analyzes, and
/// nothing else.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class BindFloorAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new("FLOOR0001", "floor", "floor", "Performance", DiagnosticSeverity.Warning, isEnabledByDefault: true);
    private readonly bool _graphs;

    public BindFloorAnalyzer(bool graphs) => _graphs = graphs;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var namesPeerNet = new System.Collections.Concurrent.ConcurrentDictionary<SyntaxTree, bool>();
            start.RegisterSyntaxNodeAction(node => Analyze(node, namesPeerNet),
                Microsoft.CodeAnalysis.CSharp.SyntaxKind.MethodDeclaration, Microsoft.CodeAnalysis.CSharp.SyntaxKind.ConstructorDeclaration,
                Microsoft.CodeAnalysis.CSharp.SyntaxKind.GetAccessorDeclaration, Microsoft.CodeAnalysis.CSharp.SyntaxKind.SetAccessorDeclaration);
        });
    }

    private void Analyze(SyntaxNodeAnalysisContext node, System.Collections.Concurrent.ConcurrentDictionary<SyntaxTree, bool> namesPeerNet)
    {
        if (!namesPeerNet.GetOrAdd(node.Node.SyntaxTree, t => t.GetText().ToString().Contains("PeerNet", StringComparison.Ordinal))) return;
        if (node.Node is Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax { Body: null, ExpressionBody: null } ||
            node.Node is Microsoft.CodeAnalysis.CSharp.Syntax.AccessorDeclarationSyntax { Body: null, ExpressionBody: null }) return;
        var operation = node.SemanticModel.GetOperation(node.Node, node.CancellationToken);
        if (!_graphs || operation is null) return;
        while (operation.Parent is not null) operation = operation.Parent;
        if (operation.Syntax != node.Node) return;
        _ = operation switch
        {
            Microsoft.CodeAnalysis.Operations.IMethodBodyOperation m => Microsoft.CodeAnalysis.FlowAnalysis.ControlFlowGraph.Create(m, node.CancellationToken),
            Microsoft.CodeAnalysis.Operations.IConstructorBodyOperation c => Microsoft.CodeAnalysis.FlowAnalysis.ControlFlowGraph.Create(c, node.CancellationToken),
            _ => null,
        };
    }
}
