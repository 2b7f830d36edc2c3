using System;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// The implementations in source a call through an interface, abstract or virtual member may reach:
    /// the implementations of an interface method (explicit ones included) and the overrides of an
    /// abstract or virtual one. A call through such a member returns or sinks what any of them does.
    /// </summary>
    internal static class DispatchTargets
    {
        /// <summary>At most this many implementations are summarized for one call (beyond that the call is opaque).</summary>
        public const int MaxTargets = 8;

        /// <summary>
        /// The implementations and overrides in source of <paramref name="method"/>, or default when it does
        /// not dispatch (not an interface, abstract or virtual member) or has too many.
        /// </summary>
        public static ImmutableArray<IMethodSymbol> Of(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
        {
            method = method.OriginalDefinition;
            if (method.ContainingType is not { } owner || method.IsStatic || method.MethodKind != MethodKind.Ordinary) return default;
            bool isInterface = owner.TypeKind == TypeKind.Interface;
            if (!isInterface && !(method.IsAbstract || method.IsVirtual || (method.IsOverride && !method.IsSealed && !owner.IsSealed))) return default;

            var name = method.Name;
            var builder = ImmutableArray.CreateBuilder<IMethodSymbol>();
            Func<string, bool> matches = isInterface
                ? n => n == name || n.EndsWith("." + name, StringComparison.Ordinal)
                : n => n == name;
            foreach (var symbol in compilation.GetSymbolsWithName(matches, SymbolFilter.Member, cancellationToken))
            {
                if (symbol is not IMethodSymbol candidate || candidate.IsAbstract || candidate.IsStatic) continue;
                if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, method)) continue;
                if (!(isInterface ? Implements(candidate, method) : Overrides(candidate, method))) continue;
                if (builder.Count == MaxTargets) return default;
                builder.Add(candidate);
            }

            return builder.ToImmutable();
        }

        /// <summary>
        /// For the body gate: whether a call to <paramref name="method"/> may dispatch to an implementation in
        /// source whose summary satisfies <paramref name="predicate"/>. Only a member that an implementation
        /// or override made relevant (<see cref="RelevantSymbols.IsWorthSummarizing"/>) is looked into.
        /// </summary>
        public static bool AnyTarget(CompilationAnalysis context, IMethodSymbol method, Func<MethodSummary, bool> predicate, CancellationToken cancellationToken)
        {
            if (!context.RelevantSymbols.IsWorthSummarizing(method)) return false;
            var targets = Of(method, context.Symbols.Compilation, cancellationToken);
            if (targets.IsDefaultOrEmpty) return false;
            foreach (var target in targets)
            {
                if (context.Summaries.IsInSource(target) && predicate(context.Summaries.Get(target, cancellationToken))) return true;
            }

            return false;
        }

        private static bool Overrides(IMethodSymbol candidate, IMethodSymbol method)
        {
            for (var o = candidate.OverriddenMethod; o is not null; o = o.OverriddenMethod)
            {
                if (SymbolEqualityComparer.Default.Equals(o.OriginalDefinition, method)) return true;
            }

            return false;
        }

        private static bool Implements(IMethodSymbol candidate, IMethodSymbol method)
        {
            if (candidate.ContainingType is not { } type) return false;
            foreach (var iface in type.AllInterfaces)
            {
                if (!SymbolEqualityComparer.Default.Equals(iface.OriginalDefinition, method.ContainingType)) continue;
                foreach (var member in iface.GetMembers(method.Name))
                {
                    if (member is not IMethodSymbol m || !SymbolEqualityComparer.Default.Equals(m.OriginalDefinition, method)) continue;
                    var implementation = type.FindImplementationForInterfaceMember(m) as IMethodSymbol;
                    if (implementation is not null && SymbolEqualityComparer.Default.Equals(implementation.OriginalDefinition, candidate.OriginalDefinition)) return true;
                }
            }

            return false;
        }
    }
}
