using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// The implementations in source a call through an interface, abstract or virtual member may reach:
    /// the implementations of an interface method (explicit ones included) and the overrides of an
    /// abstract or virtual one. A call through such a member returns or sinks what any of them does.
    /// </summary>
    internal sealed class DispatchTargets
    {
        /// <summary>At most this many implementations are summarized for one call (beyond that the call is opaque).</summary>
        public const int MaxTargets = 8;

        private readonly Compilation _compilation;
        private readonly Lazy<TypeIndex> _types;
        private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<IMethodSymbol>> _targets =
            new ConcurrentDictionary<IMethodSymbol, ImmutableArray<IMethodSymbol>>(SymbolEqualityComparer.Default);

        public DispatchTargets(Compilation compilation)
        {
            _compilation = compilation;
            _types = new Lazy<TypeIndex>(() => TypeIndex.Build(compilation), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>The source types the index finds implementing <paramref name="type"/> (an interface) or deriving from it, in order, for tests.</summary>
        internal IReadOnlyList<INamedTypeSymbol> SubtypesOf(INamedTypeSymbol type) =>
            type.TypeKind == TypeKind.Interface ? _types.Value.Implementers(type.OriginalDefinition) : _types.Value.Derived(type.OriginalDefinition);

        /// <summary>
        /// The implementations and overrides in source of <paramref name="method"/>, or default when it does
        /// not dispatch (not an interface, abstract or virtual member) or has too many. Computed once per
        /// member and compilation, from one index of the source types by the interfaces and base types they
        /// have (built on first use): a call costs a dictionary lookup, not a search of the compilation.
        /// </summary>
        public ImmutableArray<IMethodSymbol> Of(IMethodSymbol method, CancellationToken cancellationToken)
        {
            method = method.OriginalDefinition;
            if (method.ContainingType is not { } owner || method.IsStatic || method.MethodKind != MethodKind.Ordinary) return default;
            bool isInterface = owner.TypeKind == TypeKind.Interface;
            if (!isInterface && !(method.IsAbstract || method.IsVirtual || (method.IsOverride && !method.IsSealed && !owner.IsSealed))) return default;
            if (_targets.TryGetValue(method, out var known)) return known;
            cancellationToken.ThrowIfCancellationRequested();
            return _targets.GetOrAdd(method, Compute(method, owner, isInterface));
        }

        private ImmutableArray<IMethodSymbol> Compute(IMethodSymbol method, INamedTypeSymbol owner, bool isInterface)
        {
            var types = _types.Value;
            var subtypes = isInterface ? types.Implementers(owner.OriginalDefinition) : types.Derived(owner.OriginalDefinition);
            var builder = ImmutableArray.CreateBuilder<IMethodSymbol>();
            var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            foreach (var type in subtypes)
            {
                foreach (var candidate in isInterface ? ImplementationsIn(type, method) : OverridesIn(type, method))
                {
                    if (candidate.IsAbstract || candidate.IsStatic || !IsInSource(candidate)) continue;
                    if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, method) || !seen.Add(candidate.OriginalDefinition)) continue;
                    if (builder.Count == MaxTargets) return default;
                    builder.Add(candidate.OriginalDefinition);
                }
            }

            return builder.ToImmutable();
        }

        private bool IsInSource(IMethodSymbol method)
        {
            foreach (var location in method.Locations)
            {
                if (location.IsInSource && location.SourceTree is { } tree && _compilation.ContainsSyntaxTree(tree)) return true;
            }

            return false;
        }

        private static IEnumerable<IMethodSymbol> ImplementationsIn(INamedTypeSymbol type, IMethodSymbol method)
        {
            foreach (var iface in type.AllInterfaces)
            {
                if (!SymbolEqualityComparer.Default.Equals(iface.OriginalDefinition, method.ContainingType)) continue;
                foreach (var member in iface.GetMembers(method.Name))
                {
                    if (member is IMethodSymbol m && SymbolEqualityComparer.Default.Equals(m.OriginalDefinition, method) &&
                        type.FindImplementationForInterfaceMember(m) is IMethodSymbol implementation)
                    {
                        yield return implementation;
                    }
                }
            }
        }

        private static IEnumerable<IMethodSymbol> OverridesIn(INamedTypeSymbol type, IMethodSymbol method)
        {
            foreach (var member in type.GetMembers(method.Name))
            {
                if (member is IMethodSymbol candidate && Overrides(candidate, method)) yield return candidate;
            }
        }

        /// <summary>
        /// For the body gate: whether a call to <paramref name="method"/> may dispatch to an implementation in
        /// source whose summary satisfies <paramref name="predicate"/>. Only a member that an implementation
        /// or override made relevant (<see cref="RelevantSymbols.IsWorthSummarizing"/>) is looked into.
        /// </summary>
        public static bool AnyTarget(CompilationAnalysis context, IMethodSymbol method, Func<MethodSummary, bool> predicate, CancellationToken cancellationToken)
        {
            if (!context.RelevantSymbols.IsWorthSummarizing(method, cancellationToken)) return false;
            var targets = context.Dispatch.Of(method, cancellationToken);
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

        /// <summary>
        /// The members a call can name to reach <paramref name="member"/> (a method or property) by dispatch:
        /// what it overrides, and the interface members it implements (implicitly or explicitly).
        /// </summary>
        public static IEnumerable<ISymbol> DispatchedThrough(ISymbol member)
        {
            if (member is not (IMethodSymbol or IPropertySymbol) || member.IsStatic) yield break;
            int guard = 0;
            for (ISymbol? o = member; o is not null && guard++ < 16;)
            {
                o = o switch
                {
                    IMethodSymbol m => m.OverriddenMethod,
                    IPropertySymbol p => p.OverriddenProperty,
                    _ => null,
                };
                if (o is not null) yield return RelevantSymbols.Normalize(o);
            }

            var explicits = member switch
            {
                IMethodSymbol m => m.ExplicitInterfaceImplementations.CastArray<ISymbol>(),
                IPropertySymbol p => p.ExplicitInterfaceImplementations.CastArray<ISymbol>(),
                _ => default,
            };
            foreach (var e in explicits)
            {
                yield return RelevantSymbols.Normalize(e);
            }

            if (member.ContainingType is not { TypeKind: not TypeKind.Interface } type) yield break;
            foreach (var iface in type.AllInterfaces)
            {
                foreach (var candidate in iface.GetMembers(member.Name))
                {
                    if (candidate.IsStatic) continue;
                    var implementation = type.FindImplementationForInterfaceMember(candidate);
                    if (implementation is not null && SymbolEqualityComparer.Default.Equals(RelevantSymbols.Normalize(implementation), member)) yield return RelevantSymbols.Normalize(candidate);
                }
            }
        }

        /// <summary>
        /// The source types of a compilation that implement an interface or derive from a type, from each source type's
        /// direct bases: the interfaces it declares and its base type (for a type of another assembly, which a source
        /// type can only inherit from, every interface and base type it has). A type implements an interface, or derives
        /// from a type, exactly when that one can be reached from it by these links; the types reaching one are found on
        /// first need, in the order of the compilation's types (what asking every type for all its interfaces gave, at the
        /// cost of that question for the few types asked about, not for every type).
        /// </summary>
        private sealed class TypeIndex
        {
            private static readonly IReadOnlyList<INamedTypeSymbol> None = Array.Empty<INamedTypeSymbol>();

            /// <summary>The source types, in the order of the compilation's types.</summary>
            private readonly List<INamedTypeSymbol> _types = new List<INamedTypeSymbol>();

            /// <summary>For each base (original definition), the types that name it directly: source types by their position in <see cref="_types"/>, types from metadata as themselves.</summary>
            private readonly Dictionary<INamedTypeSymbol, List<object>> _heirs = new Dictionary<INamedTypeSymbol, List<object>>(SymbolEqualityComparer.Default);

            private readonly HashSet<INamedTypeSymbol> _metadataLinked = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
            private readonly IAssemblySymbol _assembly;
            private readonly ConcurrentDictionary<INamedTypeSymbol, IReadOnlyList<INamedTypeSymbol>> _reaching =
                new ConcurrentDictionary<INamedTypeSymbol, IReadOnlyList<INamedTypeSymbol>>(SymbolEqualityComparer.Default);

            private TypeIndex(IAssemblySymbol assembly) => _assembly = assembly;

            public IReadOnlyList<INamedTypeSymbol> Implementers(INamedTypeSymbol iface) => Reaching(iface);

            public IReadOnlyList<INamedTypeSymbol> Derived(INamedTypeSymbol type) => Reaching(type);

            public static TypeIndex Build(Compilation compilation)
            {
                var index = new TypeIndex(compilation.Assembly);
                foreach (var type in NamedTypes.All(compilation.Assembly.GlobalNamespace))
                {
                    if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct or TypeKind.Interface) || !MayHaveBases(type)) continue;
                    var position = index._types.Count;
                    index._types.Add(type);
                    foreach (var iface in type.Interfaces) index.Link(iface, position);
                    if (type.BaseType is { } baseType) index.Link(baseType, position);
                }

                return index;
            }

            /// <summary>Records that the type at <paramref name="position"/> names <paramref name="parent"/> as a base (and, when that is declared in metadata, what it inherits).</summary>
            private void Link(INamedTypeSymbol parent, int position)
            {
                if (parent.SpecialType == SpecialType.System_Object) return;
                var definition = parent.OriginalDefinition;
                Add(definition, position);
                if (SymbolEqualityComparer.Default.Equals(definition.ContainingAssembly, _assembly) || !_metadataLinked.Add(definition)) return;

                // A type of another assembly (metadata, or a referenced project's compilation) is linked once to
                // everything it inherits; its heirs are then reached through it.
                foreach (var iface in definition.AllInterfaces) Add(iface.OriginalDefinition, definition);
                for (var b = definition.BaseType; b is not null && b.SpecialType != SpecialType.System_Object; b = b.BaseType) Add(b.OriginalDefinition, definition);
            }

            private void Add(INamedTypeSymbol parent, object heir)
            {
                if (!_heirs.TryGetValue(parent, out var list)) _heirs.Add(parent, list = new List<object>());
                list.Add(heir);
            }

            /// <summary>The source types from which <paramref name="type"/> is reached by the links (itself excluded unless a cycle leads back), in the order of the compilation's types.</summary>
            private IReadOnlyList<INamedTypeSymbol> Reaching(INamedTypeSymbol type)
            {
                if (_reaching.TryGetValue(type, out var known)) return known;
                var positions = new List<int>();
                var seenPositions = new HashSet<int>();
                var seenMetadata = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
                var pending = new Stack<INamedTypeSymbol>();
                pending.Push(type);
                while (pending.Count > 0)
                {
                    if (!_heirs.TryGetValue(pending.Pop(), out var heirs)) continue;
                    foreach (var heir in heirs)
                    {
                        if (heir is int position)
                        {
                            if (!seenPositions.Add(position)) continue;
                            positions.Add(position);
                            pending.Push(_types[position].OriginalDefinition);
                        }
                        else if (heir is INamedTypeSymbol metadata && seenMetadata.Add(metadata))
                        {
                            pending.Push(metadata);
                        }
                    }
                }

                if (positions.Count == 0) return _reaching.GetOrAdd(type, None);
                positions.Sort();
                var types = new INamedTypeSymbol[positions.Count];
                for (var i = 0; i < types.Length; i++) types[i] = _types[positions[i]];
                return _reaching.GetOrAdd(type, types);
            }

            /// <summary>
            /// Whether <paramref name="type"/> can implement an interface or derive from a type other than <c>object</c>: a
            /// struct (its base is <c>ValueType</c>), a record (it implements <c>IEquatable</c> of itself), or a type one of
            /// whose declarations has a base list. A class or interface without one has no base to index, and asking for
            /// its interfaces was most of building this index (every type of the compilation, each asked once).
            /// </summary>
            private static bool MayHaveBases(INamedTypeSymbol type)
            {
                if (type.TypeKind == TypeKind.Struct || type.IsRecord) return true;
                var references = type.DeclaringSyntaxReferences;
                if (references.IsEmpty) return true;
                foreach (var reference in references)
                {
                    if (reference.GetSyntax() is not BaseTypeDeclarationSyntax declaration || declaration.BaseList is not null) return true;
                }

                return false;
            }
        }
    }
}
