using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>What a diagnostic points at: its location and additional locations in the same file, and its properties.</summary>
    internal sealed class DiagnosticNodes
    {
        public DiagnosticNodes(SyntaxNode primary, SyntaxNode? first, SyntaxNode? second, ImmutableDictionary<string, string?> properties)
        {
            Primary = primary;
            First = first;
            Second = second;
            Properties = properties;
        }

        /// <summary>The diagnostic's location: the send (PN0001/PN0002) or the discarded Try-send (PN0003).</summary>
        public SyntaxNode Primary { get; }

        /// <summary>AdditionalLocations[0]: the cached snapshot read.</summary>
        public SyntaxNode? First { get; }

        /// <summary>AdditionalLocations[1]: the version check (PN0002).</summary>
        public SyntaxNode? Second { get; }

        /// <summary>The facts the analyzer stored (see <see cref="DiagnosticProperties"/>).</summary>
        public ImmutableDictionary<string, string?> Properties { get; }

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
                more.Count > 1 ? NodeAt(root, more[1]) : null,
                diagnostic.Properties);
        }

        private static SyntaxNode? NodeAt(SyntaxNode root, Location location)
        {
            if (!location.IsInSource || location.SourceTree != root.SyntaxTree || !root.FullSpan.Contains(location.SourceSpan))
            {
                return null;
            }

            return root.FindNode(location.SourceSpan, getInnermostNodeForTie: true);
        }
    }
}
