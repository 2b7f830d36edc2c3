using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PeerNet.Analyzers.CodeFixes.Tests.Coverage;

/// <summary>
/// Every positive case the repository has: the inputs of the fix tables (every <see cref="FixCaseTable"/> of this
/// assembly), the string sources of the analyzer tests (tests/PeerNet.Analyzers.Tests/*.cs, read and parsed from
/// disk, with the usings AnalyzerVerifier puts in front), the new shapes of <see cref="FixCoverageShapes"/> and the
/// files of samples/LegacySender. Markup is removed: the analyzers themselves say where the findings are.
/// </summary>
internal static class FixCoverageCorpus
{
    private const string AnalyzerTestUsings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using PeerNet;
        using PeerNet.Annotations;

        """;

    private static readonly Regex OpenMarkup = new(@"\{\|[A-Za-z0-9#]*:", RegexOptions.Compiled);

    public static IEnumerable<(string Name, string Source)> All()
    {
        foreach ((string name, string source) in FixTables())
        {
            yield return (name, source);
        }

        foreach ((string name, string source) in AnalyzerTests())
        {
            yield return (name, source);
        }

        foreach ((string name, string source) in FixCoverageShapes.Cases)
        {
            yield return ("shapes/" + name, source);
        }

        foreach (string file in Directory.GetFiles(Path.Combine(RepositoryRoot(), "samples", "LegacySender"), "*.cs"))
        {
            yield return ("samples/LegacySender/" + Path.GetFileName(file), File.ReadAllText(file));
        }
    }

    /// <summary>The text without test markup (`{|PN0001:`, `{|#0:`, `|}`, `[|`, `|]`).</summary>
    public static string Unmark(string markup) =>
        OpenMarkup.Replace(markup, string.Empty).Replace("|}", string.Empty).Replace("[|", string.Empty).Replace("|]", string.Empty);

    private static IEnumerable<(string, string)> FixTables()
    {
        foreach (Type type in typeof(FixCoverageCorpus).Assembly.GetTypes())
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public))
            {
                if (field.FieldType == typeof(FixCaseTable) && field.GetValue(null) is FixCaseTable table)
                {
                    foreach ((string name, FixCase fixCase) in table)
                    {
                        yield return (type.Name + "/" + name, Unmark(fixCase.Markup));
                    }
                }
            }
        }
    }

    private static IEnumerable<(string, string)> AnalyzerTests()
    {
        string directory = Path.Combine(RepositoryRoot(), "tests", "PeerNet.Analyzers.Tests");
        foreach (string file in Directory.GetFiles(directory, "*.cs").OrderBy(f => f, StringComparer.Ordinal))
        {
            SyntaxNode root = CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot();
            int index = 0;
            foreach (LiteralExpressionSyntax literal in root.DescendantNodes().OfType<LiteralExpressionSyntax>())
            {
                if (!literal.IsKind(SyntaxKind.StringLiteralExpression))
                {
                    continue;
                }

                string text = literal.Token.ValueText;
                if (!text.Contains("{|#") && !text.Contains("{|PN"))
                {
                    continue;
                }

                text = Unmark(text);
                if (!text.Contains("using PeerNet;"))
                {
                    text = AnalyzerTestUsings + text;
                }

                yield return (Path.GetFileNameWithoutExtension(file) + "#" + index++, text);
            }
        }
    }

    public static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            if (Directory.Exists(Path.Combine(d.FullName, "samples", "LegacySender")) && Directory.Exists(Path.Combine(d.FullName, "tests")))
            {
                return d.FullName;
            }
        }

        throw new DirectoryNotFoundException("repository root not found above " + AppContext.BaseDirectory);
    }
}
