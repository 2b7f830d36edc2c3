using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// Models of library collections and lazy holders, kept as data (roslyn-analyzers taint-analysis
    /// style): the methods that store their arguments in the receiver. A stale value stored in a field's
    /// collection makes the field stale for every later reader (TryGetValue's out, the indexer,
    /// GetValueOrDefault, GetOrAdd's result, .Value, enumeration all derive from the receiver).
    /// Writes through an indexer or array element are modeled by the engine (they are assignments).
    /// </summary>
    internal static class CollectionModels
    {
        /// <summary>Namespaces whose types' methods are modeled here (else the method is not known to store).</summary>
        private static readonly string[] ModeledNamespaces =
        {
            "System.Collections.Generic",
            "System.Collections.Concurrent",
            "System.Collections.Immutable",
            "System.Collections.Frozen",
            "System.Collections.ObjectModel",
            "System.Collections",
        };

        /// <summary>Methods that store (some of) their arguments, or what a delegate argument returns, in the receiver.</summary>
        public static readonly HashSet<string> StoringMethods = new HashSet<string>(StringComparer.Ordinal)
        {
            "Add", "TryAdd", "AddOrUpdate", "GetOrAdd", "TryUpdate", "Insert", "AddRange", "InsertRange",
            "Enqueue", "TryEnqueue", "Push", "AddFirst", "AddLast", "Set", "SetItem", "SetItems", "Union", "UnionWith",
        };

        /// <summary>Whether <paramref name="method"/> is a library method that stores its arguments in its receiver.</summary>
        public static bool Stores(IMethodSymbol method)
        {
            if (method.IsStatic || !StoringMethods.Contains(method.Name)) return false;
            var ns = method.ContainingType?.ContainingNamespace?.ToDisplayString();
            return ns is not null && Array.IndexOf(ModeledNamespaces, ns) >= 0;
        }
    }
}
