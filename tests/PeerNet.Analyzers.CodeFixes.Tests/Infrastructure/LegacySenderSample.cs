namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>The files of samples/LegacySender, read from disk, with the diagnostics they must raise marked in them.</summary>
internal static class LegacySenderSample
{
    private static readonly Lazy<string> Directory = new(() =>
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "samples", "LegacySender");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("samples/LegacySender not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The text of <paramref name="file"/> (line ends normalised to \n).</summary>
    public static string Read(string file) => File.ReadAllText(Path.Combine(Directory.Value, file)).Replace("\r\n", "\n");

    /// <summary>
    /// The text of <paramref name="file"/> with each of <paramref name="expected"/> (a diagnostic id and the exact
    /// text it must be reported on, which must occur exactly once) wrapped in markup.
    /// </summary>
    public static string ReadMarked(string file, params (string Id, string Span)[] expected)
    {
        string text = Read(file);
        foreach ((string id, string span) in expected)
        {
            int at = text.IndexOf(span, StringComparison.Ordinal);
            if (at < 0 || text.IndexOf(span, at + 1, StringComparison.Ordinal) >= 0)
            {
                throw new InvalidOperationException($"'{span}' must occur exactly once in samples/LegacySender/{file}");
            }

            text = text.Substring(0, at) + "{|" + id + ":" + span + "|}" + text.Substring(at + span.Length);
        }

        return text;
    }
}
