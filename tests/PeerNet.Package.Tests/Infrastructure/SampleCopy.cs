using System.Text.RegularExpressions;

namespace PeerNet.Package.Tests.Infrastructure;

/// <summary>A restored copy of samples/LegacySender in a temporary directory.</summary>
public sealed class SampleCopy
{
    private static readonly Regex DiagnosticLine = new(
        @"^\s*(?<file>[^\s(][^(]*?)\((?<line>\d+),(?<column>\d+)(?:,\d+,\d+)?\): (?<severity>warning|error) (?<id>[A-Z]+\d+): (?<message>.*?)(?: \[[^\]]*\])?\s*$",
        RegexOptions.Multiline);

    private static readonly Regex CompilationDiagnosticLine = new(
        @"^\s*(?<tool>CSC|MSBUILD) : (?<severity>warning|error) (?<id>[A-Z]+\d+): (?<message>.*?)(?: \[[^\]]*\])?\s*$",
        RegexOptions.Multiline);

    public SampleCopy(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string ProjectPath => Path.Combine(Directory, "LegacySender.csproj");

    public string PathOf(string fileName) => Path.Combine(Directory, fileName);

    internal ToolResult Dotnet(TimeSpan timeout, params string[] arguments) =>
        ProcessRunner.Dotnet(Directory, timeout, arguments);

    /// <summary>`dotnet build` without restore; the diagnostics are read from its console output.</summary>
    internal ToolResult Build(params string[] extraArguments) =>
        Dotnet(TimeSpan.FromMinutes(4), new[] { "build", ProjectPath, "--no-restore", "-nr:false", "-clp:NoSummary" }.Concat(extraArguments).ToArray());

    /// <summary>The compiler diagnostics (file name, line, column, severity, id) that a build printed, without duplicates.</summary>
    internal static IReadOnlyList<ReportedDiagnostic> ParseDiagnostics(ToolResult result)
    {
        var output = result.StandardOutput + Environment.NewLine + result.StandardError;
        var located = DiagnosticLine.Matches(output)
            .Select(m => new ReportedDiagnostic(
                Path.GetFileName(m.Groups["file"].Value.Trim()),
                int.Parse(m.Groups["line"].Value),
                int.Parse(m.Groups["column"].Value),
                m.Groups["severity"].Value,
                m.Groups["id"].Value,
                m.Groups["message"].Value));
        // Diagnostics without a source location (such as PN0000 about configuration) print as "CSC : warning ID: ...".
        var compilationWide = CompilationDiagnosticLine.Matches(output)
            .Select(m => new ReportedDiagnostic(m.Groups["tool"].Value, 0, 0, m.Groups["severity"].Value, m.Groups["id"].Value, m.Groups["message"].Value));
        return located.Concat(compilationWide)
            .DistinctBy(d => (d.File, d.Line, d.Column, d.Severity, d.Id))
            .OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
    }
}

/// <summary>One diagnostic as a build printed it.</summary>
internal sealed record ReportedDiagnostic(string File, int Line, int Column, string Severity, string Id, string Message)
{
    public override string ToString() => $"{File}({Line},{Column}): {Severity} {Id}: {Message}";
}
