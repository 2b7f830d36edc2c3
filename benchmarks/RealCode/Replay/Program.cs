using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

// Replays one csc invocation in process and times PeerNet.Analyzers' analyzers on it:
//   dotnet run -c Release --project benchmarks/RealCode/Replay -- --cmd FILE --base DIR --analyzer PeerNet.Analyzers.dll
//       [--repeat R] [--no-config] [--only A,B] [--list] [--collect-first]
// FILE holds the csc command line as a detailed build log prints it (".../csc /noconfig ... a.cs b.cs");
// DIR is the project directory it ran in (relative paths are resolved from there). The command line's
// references, parse and compilation options, .editorconfig/.globalconfig files (the compiler's own parser,
// AnalyzerConfigSet) and source generators are used as the compiler would; its analyzers are not run, only
// the --analyzer assembly's. --no-config drops the analyzer config files that mention "peernet." (the
// benchmark's own configuration), to compare configured and unconfigured on one command line.
// Each round: the sources parsed again, a fresh compilation, the generators, the compiler's diagnostics (what the build pays anyway),
// then our analyzers (concurrentAnalysis: false, execution time logged per analyzer).
string? cmdPath = null, baseDir = null, analyzerPath = null, only = null;
var repeat = 3;
var noConfig = false;
var collectFirst = false; // --collect-first: a full collection before each round's analyzers (steadier A/B figures)
var list = false; // --list: print each diagnostic of the first round (file:line: message)
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--cmd": cmdPath = args[++i]; break;
        case "--base": baseDir = Path.GetFullPath(args[++i]); break;
        case "--analyzer": analyzerPath = Path.GetFullPath(args[++i]); break;
        case "--repeat": repeat = int.Parse(args[++i]); break;
        case "--only": only = args[++i]; break;
        case "--no-config": noConfig = true; break;
        case "--list": list = true; break;
        case "--collect-first": collectFirst = true; break;
        default: Console.Error.WriteLine($"replay: unknown option '{args[i]}'"); return 2;
    }
}

if (cmdPath is null || baseDir is null || analyzerPath is null)
{
    Console.Error.WriteLine("usage: --cmd FILE --base DIR --analyzer PeerNet.Analyzers.dll [--repeat R] [--no-config] [--only A,B] [--list] [--collect-first]");
    return 2;
}

var words = CommandLineParser.SplitCommandLineIntoArguments(File.ReadAllText(cmdPath).Trim(), removeHashComments: false).ToList();
words = words.Skip(Math.Max(0, words.FindIndex(w => w.StartsWith("/noconfig", StringComparison.Ordinal)))).ToList();
var parsed = CSharpCommandLineParser.Default.Parse(words, baseDir, sdkDirectory: null);
foreach (var error in parsed.Errors.Where(e => e.Severity == DiagnosticSeverity.Error)) Console.Error.WriteLine($"replay: command line: {error}");

var texts = parsed.SourceFiles.Select(f => (f.Path, Text: SourceText.From(File.ReadAllText(f.Path), System.Text.Encoding.UTF8))).ToList();
var references = parsed.MetadataReferences.Select(r => (MetadataReference)MetadataReference.CreateFromFile(Path.IsPathRooted(r.Reference) ? r.Reference : Path.Combine(baseDir, r.Reference))).ToList();
var configPaths = parsed.AnalyzerConfigPaths.Where(p => !noConfig || !File.ReadAllText(p).Contains("peernet.", StringComparison.OrdinalIgnoreCase)).ToList();
var configSet = AnalyzerConfigSet.Create(configPaths.Select(p => AnalyzerConfig.Parse(SourceText.From(File.ReadAllText(p)), p)).ToList());
var loader = new Loader();
var generators = parsed.AnalyzerReferences
    .Where(r => !Path.GetFileName(r.FilePath).StartsWith("PeerNet.", StringComparison.Ordinal))
    .SelectMany(r => new AnalyzerFileReference(Path.GetFullPath(r.FilePath, baseDir), loader).GetGenerators(LanguageNames.CSharp))
    .ToImmutableArray();
var analyzers = new AnalyzerFileReference(analyzerPath, loader).GetAnalyzers(LanguageNames.CSharp);
if (only is not null)
{
    var kept = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    analyzers = analyzers.Where(a => kept.Contains(a.GetType().Name)).ToImmutableArray();
}

var provider = new ConfigProvider(configSet);
var options = parsed.CompilationOptions
    .WithSyntaxTreeOptionsProvider(null)
    .WithConcurrentBuild(false);
Console.WriteLine($"{texts.Count} files, {references.Count} references, {generators.Length} generators, {configPaths.Count} config files; analyzers: {string.Join(", ", analyzers.Select(a => a.GetType().Name))}");

for (var r = 1; r <= repeat; r++)
{
    // Parsed again each round, as a build does: nothing kept per tree survives from the previous round.
    var sw = Stopwatch.StartNew();
    var trees = texts.Select(t => CSharpSyntaxTree.ParseText(t.Text, parsed.ParseOptions, t.Path)).ToList();
    var parseMs = sw.Elapsed.TotalMilliseconds;
    var compilation = (Compilation)CSharpCompilation.Create(parsed.CompilationName ?? "replay", trees, references, options);
    sw.Restart();
    CSharpGeneratorDriver.Create(generators, parseOptions: parsed.ParseOptions, optionsProvider: provider)
        .RunGeneratorsAndUpdateCompilation(compilation, out compilation, out var generatorDiagnostics);
    var genMs = sw.Elapsed.TotalMilliseconds;
    sw.Restart();
    var compilerDiagnostics = compilation.GetDiagnostics();
    foreach (var tree in compilation.SyntaxTrees) provider.For(tree.FilePath);
    if (collectFirst)
    {
        // The heap as the compiler left it, compacted: a collection the compiler's own garbage made due does not land in the analyzers' run.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    var bindMs = sw.Elapsed.TotalMilliseconds;
    var errors = compilerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    var (found, analyzeMs, perAnalyzer) = await AnalyzerRun.TimeAsync(compilation, analyzers, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, provider));
    if (AnalyzerRun.Counters(analyzers) is { } counters) Console.WriteLine("  counters: " + counters);

    var byId = string.Join(", ", found.GroupBy(d => d.Id).OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}"));
    if (r == 1 && list)
    {
        foreach (var d in found.OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start))
        {
            Console.WriteLine($"  {d.Id} {d.Location.GetLineSpan().Path}:{d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.GetMessage()}");
        }
    }

    Console.WriteLine($"round {r}: parse {parseMs:F0} ms; generators {genMs:F0} ms; compiler (bind + diagnostics) {bindMs:F0} ms, {errors.Count} errors" +
                      (errors.Count > 0 ? $" (first: {errors[0].Id} {errors[0].GetMessage()})" : string.Empty) +
                      $"; analyzers wall {analyzeMs:F0} ms [{perAnalyzer}]; diagnostics {byId}");
}

return 0;

/// <summary>
/// Options per tree from the compiler's own AnalyzerConfigSet, handed out as csc does: one options object per tree, made
/// once (csc builds them before the analyzers run; trees under the same sections share the dictionary, not the object),
/// whose Keys list the dictionary's keys. An options object made per call, or one whose Keys throws, would charge the
/// analyzer for what no build does.
/// </summary>
internal sealed class ConfigProvider : AnalyzerConfigOptionsProvider
{
    private readonly AnalyzerConfigSet _set;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, AnalyzerConfigOptions> _byPath = new(StringComparer.Ordinal);

    public ConfigProvider(AnalyzerConfigSet set)
    {
        _set = set;
        GlobalOptions = new Options(set.GlobalConfigOptions.AnalyzerOptions);
    }

    public override AnalyzerConfigOptions GlobalOptions { get; }

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => For(tree.FilePath);

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => For(textFile.Path);

    /// <summary>Made before a round's analyzers run for every tree (see the round loop), so reading them charges nothing to an analyzer.</summary>
    public AnalyzerConfigOptions For(string path) => _byPath.GetOrAdd(path, p => new Options(_set.GetOptionsForSourcePath(p).AnalyzerOptions));

    private sealed class Options : AnalyzerConfigOptions
    {
        private readonly ImmutableDictionary<string, string> _values;

        public Options(ImmutableDictionary<string, string> values) => _values = values;

        public override bool TryGetValue(string key, out string value) => _values.TryGetValue(key, out value!);

        public override IEnumerable<string> Keys => _values.Keys;
    }
}
