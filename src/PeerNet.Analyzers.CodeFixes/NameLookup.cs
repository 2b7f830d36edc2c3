using Microsoft.CodeAnalysis;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>Name lookup by symbol identity: whether a name written at another position would bind to the same symbol.</summary>
    internal static class NameLookup
    {
        /// <summary>Whether looking up <paramref name="name"/> at <paramref name="position"/> finds <paramref name="expected"/> (or its definition).</summary>
        public static bool FindsSameSymbol(SemanticModel model, int position, string name, ISymbol expected)
        {
            foreach (ISymbol candidate in model.LookupSymbols(position, name: name))
            {
                if (SymbolEqualityComparer.Default.Equals(candidate, expected) ||
                    SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, expected.OriginalDefinition))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
