using System.Text.RegularExpressions;
using PeerNet.Package.Tests.Infrastructure;

namespace PeerNet.Package.Tests;

/// <summary>
/// The configuration the documentation shows is syntax a real build accepts: in every ini block of the
/// READMEs and docs/, a <c>peernet.*</c> line uses a key the analyzers read, and its value holds nothing the
/// compiler's parser would cut (';' or '#') and only entries that look like documentation comment IDs.
/// </summary>
public sealed class DocumentationConfigurationTests
{
    /// <summary>The keys the analyzers read, from the analyzers themselves (a key added there is documented here too).</summary>
    private static readonly IReadOnlyList<string> Keys = PeerNet.Analyzers.ConfigurationKeys.All;

    [Fact]
    public void Every_documented_configuration_line_is_accepted_by_the_compilers_parser()
    {
        var root = RepoPaths.Root;
        var files = new List<string> { Path.Combine(root, "README.md"), Path.Combine(root, "src", "PeerNet.Analyzers.Package", "README.md") };
        files.AddRange(Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories));
        files.AddRange(Directory.GetFiles(Path.Combine(root, "samples"), "*.md", SearchOption.AllDirectories));

        var problems = new List<string>();
        var seen = 0;
        foreach (var file in files.OrderBy(f => f, StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(file);
            var inIni = false;
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                if (line.StartsWith("```", StringComparison.Ordinal))
                {
                    inIni = !inIni && line is "```ini" or "```editorconfig";
                    continue;
                }

                if (!inIni || !line.StartsWith("peernet.", StringComparison.OrdinalIgnoreCase)) continue;
                seen++;
                var where = $"{Path.GetRelativePath(root, file)}:{i + 1}: {line}";
                var equals = line.IndexOf('=');
                if (equals < 0)
                {
                    problems.Add(where + " (no '=')");
                    continue;
                }

                var key = line[..equals].Trim().ToLowerInvariant();
                var value = line[(equals + 1)..].Trim();
                if (!Keys.Contains(key)) problems.Add(where + $" ('{key}' is not a key the analyzers read)");
                if (value.IndexOfAny(new[] { ';', '#' }) >= 0) problems.Add(where + " (the parser ends the value at ';' or '#')");
                if (key == "peernet.analyze_generated_code")
                {
                    if (value is not ("true" or "false")) problems.Add(where + " (true or false)");
                    continue;
                }

                var entries = Regex.Split(Regex.Replace(value, @"\([^)]*\)", m => m.Value.Replace(",", "\u0001")), @"[,\s]+").Where(e => e.Length > 0).ToList();
                if (entries.Count == 0) problems.Add(where + " (no entry)");
                var idShape = key == PeerNet.Analyzers.ConfigurationKeys.ConnectionOwners ? @"^T:[A-Za-z_]" : @"^[MPF]:[A-Za-z_]";
                foreach (var entry in entries.Where(e => !Regex.IsMatch(e, idShape)))
                {
                    problems.Add(where + $" ('{entry}' is not a documentation comment ID)");
                }
            }
        }

        Assert.True(seen >= 10, $"Only {seen} documented configuration lines found; are the ini blocks still recognized?");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
