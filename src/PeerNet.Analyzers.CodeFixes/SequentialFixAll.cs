using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>Fix All (document, project, solution) for both fixes: one equivalence key's fixes, applied one after the other per document.</summary>
    internal static class SequentialFixAll
    {
        /// <summary>The diagnostic's id, added to the properties a fix receives (a fix may serve several ids).</summary>
        public const string DiagnosticIdProperty = "PeerNet.CodeFixes.DiagnosticId";

        private const string AnnotationKind = "PeerNet.CodeFixes.DiagnosticNode";

        /// <summary>
        /// Fix All: the fixes of one document are applied one after the other, each on the result of the previous
        /// one, with fresh semantics, so that they never conflict (two fixes in one method get distinct `failure`
        /// names; a local shared by two sends is removed only once both are rewritten). The nodes of each
        /// diagnostic are found again through annotations.
        /// </summary>
        private static async Task<Document> FixSequentiallyAsync(
            Document document,
            ImmutableArray<Diagnostic> diagnostics,
            System.Func<Document, DiagnosticNodes, CancellationToken, Task<Document?>> fix,
            CancellationToken ct)
        {
            SyntaxNode? root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            if (root == null || diagnostics.IsEmpty)
            {
                return document;
            }

            var annotations = new Dictionary<SyntaxNode, List<SyntaxAnnotation>>();
            var keys = new List<(SyntaxAnnotation Primary, SyntaxAnnotation? First, SyntaxAnnotation? Second, ImmutableDictionary<string, string?> Properties)>();
            int index = 0;
            foreach (Diagnostic diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
            {
                DiagnosticNodes? nodes = DiagnosticNodes.Find(root, diagnostic);
                if (nodes == null)
                {
                    continue;
                }

                SyntaxAnnotation Mark(SyntaxNode node, string role)
                {
                    var annotation = new SyntaxAnnotation(AnnotationKind, index.ToString(System.Globalization.CultureInfo.InvariantCulture) + role);
                    if (!annotations.TryGetValue(node, out List<SyntaxAnnotation>? list))
                    {
                        annotations[node] = list = new List<SyntaxAnnotation>();
                    }

                    list.Add(annotation);
                    return annotation;
                }

                keys.Add((Mark(nodes.Primary, "P"), nodes.First == null ? null : Mark(nodes.First, "F"), nodes.Second == null ? null : Mark(nodes.Second, "S"), nodes.Properties.SetItem(DiagnosticIdProperty, diagnostic.Id)));
                index++;
            }

            root = root.ReplaceNodes(annotations.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(annotations[original]));
            document = document.WithSyntaxRoot(root);
            foreach ((SyntaxAnnotation primaryKey, SyntaxAnnotation? firstKey, SyntaxAnnotation? secondKey, ImmutableDictionary<string, string?> properties) in keys)
            {
                SyntaxNode? current = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
                SyntaxNode? primary = current?.GetAnnotatedNodes(primaryKey).FirstOrDefault();
                if (current == null || primary == null)
                {
                    continue;
                }

                SyntaxNode? first = firstKey == null ? null : current.GetAnnotatedNodes(firstKey).FirstOrDefault();
                SyntaxNode? second = secondKey == null ? null : current.GetAnnotatedNodes(secondKey).FirstOrDefault();
                Document? fixedDocument = await fix(document, new DiagnosticNodes(primary, first, second, properties), ct).ConfigureAwait(false);
                if (fixedDocument != null)
                {
                    document = fixedDocument;
                }
            }

            return document;
        }

        /// <summary>A Fix All provider (document, project, solution) that applies one equivalence key's fixes sequentially per document.</summary>
        public static FixAllProvider Create(System.Func<string?, Diagnostic, bool> belongsToKey, System.Func<string?, Document, DiagnosticNodes, CancellationToken, Task<Document?>> fix) =>
            FixAllProvider.Create(
                async (context, document, diagnostics) =>
                {
                    string? key = context.CodeActionEquivalenceKey;
                    ImmutableArray<Diagnostic> mine = diagnostics.Where(d => belongsToKey(key, d)).ToImmutableArray();
                    return await FixSequentiallyAsync(document, mine, (doc, nodes, ct) => fix(key, doc, nodes, ct), context.CancellationToken).ConfigureAwait(false);
                },
                ImmutableArray.Create(FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution));
    }
}
