using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>Keys of the per-compilation caches: a symbol (by <see cref="SymbolEqualityComparer.Default"/>) and a call depth.</summary>
    internal sealed class SymbolDepthComparer<TSymbol> : IEqualityComparer<(TSymbol Symbol, int Depth)>
        where TSymbol : ISymbol
    {
        public static readonly SymbolDepthComparer<TSymbol> Instance = new SymbolDepthComparer<TSymbol>();

        public bool Equals((TSymbol Symbol, int Depth) x, (TSymbol Symbol, int Depth) y) =>
            x.Depth == y.Depth && SymbolEqualityComparer.Default.Equals(x.Symbol, y.Symbol);

        public int GetHashCode((TSymbol Symbol, int Depth) obj) => SymbolEqualityComparer.Default.GetHashCode(obj.Symbol) * 31 + obj.Depth;
    }
}
