using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>The syntax nodes a diagnostic points at: its location and its additional locations in the same file.</summary>
    internal sealed class DiagnosticNodes
    {
        private const string AnnotationKind = "PeerNet.CodeFixes.DiagnosticNode";

        public DiagnosticNodes(SyntaxNode primary, SyntaxNode? first, SyntaxNode? second)
        {
            Primary = primary;
            First = first;
            Second = second;
        }

        /// <summary>The diagnostic's location: the send (PN0001/PN0002) or the discarded Try-send (PN0003).</summary>
        public SyntaxNode Primary { get; }

        /// <summary>AdditionalLocations[0]: the cached snapshot read.</summary>
        public SyntaxNode? First { get; }

        /// <summary>AdditionalLocations[1]: the version check (PN0002).</summary>
        public SyntaxNode? Second { get; }

        public static DiagnosticNodes? Find(SyntaxNode root, Diagnostic diagnostic)
        {
            SyntaxNode? primary = NodeAt(root, diagnostic.Location);
            if (primary == null)
            {
                return null;
            }

            IReadOnlyList<Location> more = diagnostic.AdditionalLocations;
            return new DiagnosticNodes(
                primary,
                more.Count > 0 ? NodeAt(root, more[0]) : null,
                more.Count > 1 ? NodeAt(root, more[1]) : null);
        }

        private static SyntaxNode? NodeAt(SyntaxNode root, Location location)
        {
            if (!location.IsInSource || location.SourceTree != root.SyntaxTree || !root.FullSpan.Contains(location.SourceSpan))
            {
                return null;
            }

            return root.FindNode(location.SourceSpan, getInnermostNodeForTie: true);
        }

        /// <summary>
        /// Fix All: the fixes of one document are applied one after the other, each on the result of the previous
        /// one, with fresh semantics, so that they never conflict (two fixes in one method get distinct `failure`
        /// names; a local shared by two sends is removed only once both are rewritten). The nodes of each
        /// diagnostic are found again through annotations.
        /// </summary>
        public static async Task<Document> FixSequentiallyAsync(
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
            var keys = new List<(SyntaxAnnotation Primary, SyntaxAnnotation? First, SyntaxAnnotation? Second)>();
            int index = 0;
            foreach (Diagnostic diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
            {
                DiagnosticNodes? nodes = Find(root, diagnostic);
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

                keys.Add((Mark(nodes.Primary, "P"), nodes.First == null ? null : Mark(nodes.First, "F"), nodes.Second == null ? null : Mark(nodes.Second, "S")));
                index++;
            }

            root = root.ReplaceNodes(annotations.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(annotations[original]));
            document = document.WithSyntaxRoot(root);
            foreach ((SyntaxAnnotation primaryKey, SyntaxAnnotation? firstKey, SyntaxAnnotation? secondKey) in keys)
            {
                SyntaxNode? current = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
                SyntaxNode? primary = current?.GetAnnotatedNodes(primaryKey).FirstOrDefault();
                if (current == null || primary == null)
                {
                    continue;
                }

                SyntaxNode? first = firstKey == null ? null : current.GetAnnotatedNodes(firstKey).FirstOrDefault();
                SyntaxNode? second = secondKey == null ? null : current.GetAnnotatedNodes(secondKey).FirstOrDefault();
                Document? fixedDocument = await fix(document, new DiagnosticNodes(primary, first, second), ct).ConfigureAwait(false);
                if (fixedDocument != null)
                {
                    document = fixedDocument;
                }
            }

            return document;
        }

        /// <summary>A Fix All provider (document, project, solution) that applies one equivalence key's fixes sequentially per document.</summary>
        public static FixAllProvider CreateFixAll(System.Func<string?, Diagnostic, bool> belongsToKey, System.Func<string?, Document, DiagnosticNodes, CancellationToken, Task<Document?>> fix) =>
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
