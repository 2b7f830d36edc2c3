using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// PeerNet's own sources (src/PeerNet) analyzed with all three rules: the library that implements the
/// atomic sends must itself be clean, and analyzing it must not throw.
/// </summary>
public class PeerNetOwnSourceTests(ITestOutputHelper output)
{
    private static string SourceRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PeerNet.Analyzers.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "src", "PeerNet");
    }

    [Fact]
    public async Task PeerNet_sources_produce_no_diagnostics()
    {
        var root = SourceRoot();
        var sep = Path.DirectorySeparatorChar;
        var files = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{sep}obj{sep}") && !f.Contains($"{sep}bin{sep}"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (f, File.ReadAllText(f)))
            .ToList();
        Assert.NotEmpty(files);
        var compilation = await DirectRunner.CompileAsync(files, withPeerNet: false);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "src/PeerNet does not compile here: " + string.Join("; ", errors.Take(5)));

        DiagnosticAnalyzer[] analyzers = { new PN0001PN0002SnapshotRaceAnalyzer(), new PN0003DiscardedTrySendResultAnalyzer() };
        foreach (var analyzer in analyzers)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var diagnostics = await DirectRunner.RunAsync(analyzer, compilation);
            output.WriteLine($"{analyzer.GetType().Name}: {diagnostics.Length} diagnostics in {watch.ElapsedMilliseconds} ms");
            foreach (var d in diagnostics)
            {
                output.WriteLine(d.ToString());
            }

            Assert.Empty(diagnostics);
        }

        output.WriteLine($"{files.Count} files analyzed, 0 diagnostics");
    }
}
