using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using PeerNet;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// Compiles sources against the .NET 8 reference pack plus PeerNet and runs analyzers over them without
/// the testing framework's expectations: for property/message assertions, larger corpora (PeerNet's own
/// sources) and exception checks (AD0001 is returned, never swallowed).
/// </summary>
public static class DirectRunner
{
    private static readonly Lazy<Task<ImmutableArray<MetadataReference>>> References = new(async () =>
    {
        var refs = await ReferenceAssemblies.Net.Net80.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        return refs.Add(MetadataReference.CreateFromFile(typeof(PeersAndMetadata).Assembly.Location));
    });

    public static async Task<CSharpCompilation> CompileAsync(IEnumerable<(string Path, string Text)> sources, bool withPeerNet = true)
    {
        var refs = await References.Value;
        if (!withPeerNet)
        {
            refs = refs.RemoveAt(refs.Length - 1);
        }

        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parse, s.Path)).ToList();
        return CSharpCompilation.Create(
            "TestProject",
            trees,
            refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
    }

    public static async Task<ImmutableArray<Diagnostic>> RunAsync(
        DiagnosticAnalyzer analyzer,
        IEnumerable<(string Path, string Text)> sources,
        IReadOnlyDictionary<string, string>? globalOptions = null,
        bool requireCompiles = true,
        bool withPeerNet = true)
    {
        var compilation = await CompileAsync(sources, withPeerNet);
        if (requireCompiles)
        {
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                throw new InvalidOperationException("test source does not compile: " + string.Join("; ", errors.Take(5)));
            }
        }

        return await RunAsync(analyzer, compilation, globalOptions);
    }

    public static Task<ImmutableArray<Diagnostic>> RunAsync(DiagnosticAnalyzer analyzer, Compilation compilation, IReadOnlyDictionary<string, string>? globalOptions = null) =>
        RunAsync(ImmutableArray.Create(analyzer), compilation, globalOptions);

    public static async Task<ImmutableArray<Diagnostic>> RunAsync(ImmutableArray<DiagnosticAnalyzer> analyzers, Compilation compilation, IReadOnlyDictionary<string, string>? globalOptions = null)
    {
        var exceptions = new List<Exception>();
        var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new DictionaryOptionsProvider(globalOptions ?? new Dictionary<string, string>()));
        var withAnalyzers = compilation.WithAnalyzers(
            analyzers,
            new CompilationWithAnalyzersOptions(options, (e, a, d) => { lock (exceptions) { exceptions.Add(e); } }, concurrentAnalysis: true, logAnalyzerExecutionTime: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        if (exceptions.Count > 0)
        {
            throw new AggregateException("the analyzer threw (AD0001)", exceptions);
        }

        return diagnostics.Where(d => d.Id.StartsWith("PN", StringComparison.Ordinal) || d.Id == "AD0001")
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
    }

    /// <summary>Options provider: the same key/values globally and for every tree.</summary>
    public sealed class DictionaryOptionsProvider : AnalyzerConfigOptionsProvider
    {
        private readonly DictionaryOptions _options;

        public DictionaryOptionsProvider(IReadOnlyDictionary<string, string> values) => _options = new DictionaryOptions(values);

        public override AnalyzerConfigOptions GlobalOptions => _options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;
    }

    private sealed class DictionaryOptions : AnalyzerConfigOptions
    {
        private readonly IReadOnlyDictionary<string, string> _values;

        public DictionaryOptions(IReadOnlyDictionary<string, string> values) => _values = values;

        public override bool TryGetValue(string key, out string value)
        {
            if (_values.TryGetValue(key, out var v))
            {
                value = v;
                return true;
            }

            value = null!;
            return false;
        }
    }
}
