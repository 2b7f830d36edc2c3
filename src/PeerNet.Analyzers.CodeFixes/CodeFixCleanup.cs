using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>Imports, simplification and formatting of what a fix generated (annotated nodes only).</summary>
    internal static class CodeFixCleanup
    {
        public static async Task<Document> CleanupAsync(Document document, CancellationToken ct)
        {
            document = await ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: ct).ConfigureAwait(false);
            document = await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: ct).ConfigureAwait(false);
            document = await Formatter.FormatAsync(document, Formatter.Annotation, cancellationToken: ct).ConfigureAwait(false);
            return document;
        }
    }
}
