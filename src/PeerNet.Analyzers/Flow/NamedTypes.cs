using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>Every named type of a namespace tree, nested types at any depth included (one walk for the engine).</summary>
    internal static class NamedTypes
    {
        public static IEnumerable<INamedTypeSymbol> All(INamespaceSymbol root)
        {
            var pending = new Stack<INamespaceOrTypeSymbol>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                var container = pending.Pop();
                if (container is INamespaceSymbol ns)
                {
                    foreach (var member in ns.GetMembers()) pending.Push(member);
                    continue;
                }

                var type = (INamedTypeSymbol)container;
                yield return type;
                foreach (var nested in type.GetTypeMembers()) pending.Push(nested);
            }
        }
    }
}
