using System.Text;
using System.Text.RegularExpressions;
using PeerNet.Package.Tests.Infrastructure;

namespace PeerNet.Package.Tests;

/// <summary>
/// The links of README.md, docs/**.md and the release-tracking files: each relative link (and each link
/// into this repository on GitHub, as the release-tracking files write them) names a file that exists and,
/// with a #fragment, a heading of that file; and a rule's links go to its own page.
/// </summary>
public sealed class DocumentationLinkTests
{
    private const string RepositoryBlob = "https://github.com/peernet/PeerNet.Analyzers/blob/main/";

    private static readonly Regex Link = new(@"\[(?<text>[^\]]*)\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)");
    private static readonly Regex RulePage = new(@"(?<id>PN\d{4})\.md(?:#|$)");
    private static readonly Regex RuleId = new(@"\bPN\d{4}\b");

    public static TheoryData<string> Documents()
    {
        var root = RepoPaths.Root;
        var files = new List<string> { Path.Combine(root, "README.md") };
        files.AddRange(Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories));
        files.AddRange(Directory.GetFiles(Path.Combine(root, "src", "PeerNet.Analyzers"), "AnalyzerReleases.*.md"));
        var data = new TheoryData<string>();
        foreach (var file in files.OrderBy(f => f, StringComparer.Ordinal)) data.Add(Path.GetRelativePath(root, file).Replace('\\', '/'));
        return data;
    }

    [Fact]
    public void The_documents_are_found()
    {
        var documents = ((IEnumerable<object[]>)Documents()).Select(d => (string)d[0]).ToList();
        Assert.Contains("README.md", documents);
        Assert.Contains("docs/configuration.md", documents);
        Assert.Contains("docs/rules/PN0001.md", documents);
        Assert.Contains("src/PeerNet.Analyzers/AnalyzerReleases.Unshipped.md", documents);
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_link_into_the_repository_resolves(string document)
    {
        var path = Path.Combine(RepoPaths.Root, document);
        var problems = new List<string>();
        var checkedLinks = 0;
        foreach (var (line, _, target) in Links(path))
        {
            if (Resolve(path, target) is not { } resolved) continue;
            checkedLinks++;
            var (file, fragment) = resolved;
            if (!File.Exists(file) && !Directory.Exists(file))
            {
                problems.Add($"{document}:{line}: '{target}' names {Path.GetRelativePath(RepoPaths.Root, file)}, which does not exist.");
                continue;
            }

            if (fragment is not null && file.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !Anchors(file).Contains(fragment))
            {
                problems.Add($"{document}:{line}: '{target}': {Path.GetFileName(file)} has no heading with anchor #{fragment} (it has: {string.Join(", ", Anchors(file))}).");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        if (document.Contains("AnalyzerReleases.Unshipped", StringComparison.Ordinal) || document == "README.md")
        {
            Assert.True(checkedLinks > 0, $"{document}: no link into the repository was found; is the link syntax still recognized?");
        }
    }

    /// <summary>
    /// A link whose text is a rule id goes to that rule's page; a table row about a rule (its first cell
    /// names the rule, as in the release-tracking files and the rule tables) links to no other rule's page.
    /// </summary>
    [Theory]
    [MemberData(nameof(Documents))]
    public void Each_rules_links_go_to_its_own_page(string document)
    {
        var path = Path.Combine(RepoPaths.Root, document);
        var problems = new List<string>();
        var lines = File.ReadAllLines(path);
        foreach (var (lineNumber, text, target) in Links(path))
        {
            var page = RulePage.Match(target);
            if (!page.Success) continue;
            var pageId = page.Groups["id"].Value;

            if (RuleId.Match(text) is { Success: true } named && named.Value == text.Trim('`', ' ') && named.Value != pageId)
            {
                problems.Add($"{document}:{lineNumber}: link [{text}] goes to {pageId}.md.");
            }

            if (RowRule(lines[lineNumber - 1]) is { } rowId && rowId != pageId)
            {
                problems.Add($"{document}:{lineNumber}: the row of {rowId} links to {pageId}.md: {lines[lineNumber - 1].Trim()}");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>The rule a table row is about: the first rule id of its first cell, if any.</summary>
    private static string? RowRule(string line)
    {
        var trimmed = line.Trim();
        if (!trimmed.Contains('|')) return null;
        var cells = trimmed.Trim('|').Split('|');
        var first = RuleId.Match(cells[0]);
        return first.Success ? first.Value : null;
    }

    /// <summary>The links of a markdown file outside fenced code blocks: line number, text, target.</summary>
    private static IEnumerable<(int Line, string Text, string Target)> Links(string path)
    {
        var lines = File.ReadAllLines(path);
        var fenced = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            if (fenced) continue;
            var withoutCode = Regex.Replace(lines[i], "`[^`]*`", m => new string(' ', m.Length));
            foreach (Match m in Link.Matches(lines[i]))
            {
                // A link written inside inline code is text, not a link.
                if (withoutCode[m.Index] != '[') continue;
                yield return (i + 1, m.Groups["text"].Value, m.Groups["target"].Value);
            }
        }
    }

    /// <summary>The file and fragment a link names in this repository, or null for a link elsewhere.</summary>
    private static (string File, string? Fragment)? Resolve(string document, string target)
    {
        string relative;
        string baseDirectory;
        if (target.StartsWith(RepositoryBlob, StringComparison.Ordinal))
        {
            relative = target[RepositoryBlob.Length..];
            baseDirectory = RepoPaths.Root;
        }
        else if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
        {
            return null;
        }
        else
        {
            relative = target;
            baseDirectory = Path.GetDirectoryName(document)!;
        }

        string? fragment = null;
        var hash = relative.IndexOf('#');
        if (hash >= 0)
        {
            fragment = relative[(hash + 1)..];
            relative = relative[..hash];
        }

        var file = relative.Length == 0 ? document : Path.GetFullPath(Path.Combine(baseDirectory, Uri.UnescapeDataString(relative)));
        return (file, fragment);
    }

    /// <summary>The anchors GitHub gives a file's headings (lower case, punctuation dropped, spaces to '-', repeats numbered).</summary>
    private static HashSet<string> Anchors(string file)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var fenced = false;
        foreach (var line in File.ReadAllLines(file))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            var heading = Regex.Match(line, @"^#{1,6}\s+(?<title>.+?)\s*#*\s*$");
            if (fenced || !heading.Success) continue;
            var slug = new StringBuilder();
            foreach (var c in heading.Groups["title"].Value.ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_') slug.Append(c);
                else if (c == ' ') slug.Append('-');
            }

            var anchor = slug.ToString();
            var candidate = anchor;
            for (var n = 1; !anchors.Add(candidate); n++) candidate = $"{anchor}-{n}";
        }

        return anchors;
    }
}
