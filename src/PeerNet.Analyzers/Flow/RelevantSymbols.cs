using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// Which bodies and members can matter, by symbol, asked on demand: a body is worth binding only when it
    /// references, by symbol, a seed or a member that is itself relevant, and that is found by binding just
    /// the bodies on the way (<see cref="RelevanceQuery"/>), once per body and compilation. Nothing is bound
    /// up front: the compilation-start work is syntactic (which names could matter at all), so an editor,
    /// which gets a new compilation for every request, pays per document for what that document reaches,
    /// not for the whole compilation.
    /// </summary>
    /// <remarks>
    /// What makes a member relevant: it is a seed; or a unit declaring it (its body, initializer) references
    /// a relevant member (for the sources query only when the member can hand a value to its caller); or a
    /// unit assigning it (<c>x.F = v</c>, <c>x[k] = v</c>, a collection store <c>x.Add(v)</c>,
    /// <see cref="CollectionModels"/>) references one; or, for an interface or base member, an
    /// implementation or override is relevant by its own unit (a call through it may dispatch there,
    /// <see cref="DispatchTargets"/>). An element access (<c>x[k]</c>) names an indexer (<c>this[]</c>).
    /// The seeds: [CachedSnapshotRead] members (PeerNet's, referenced assemblies', annotated in source),
    /// configured sources (peernet.sources); for the second query also sinks (parameters, receivers,
    /// setters), version checks and validated-version sends, by attribute or configuration. A referenced
    /// assembly's seeds count only where the code can reach that assembly's types: a tree names one of its
    /// namespaces, or another reference builds on it (<see cref="IsReachable"/>); in a compilation that
    /// never touches PeerNet, PeerNet's member names seed nothing and no body is bound.
    /// The names that can matter (<see cref="NameClosure"/>) are a syntactic over-approximation: the seeds'
    /// names, then the names declared or assigned by any unit mentioning one, until nothing changes. A unit
    /// mentioning none of them is never bound.
    /// </remarks>
    internal sealed partial class RelevantSymbols
    {
        private readonly RelevanceQuery _sources;
        private readonly RelevanceQuery _all;
        private readonly Func<ISymbol, bool> _isAnySeed;
        private readonly Func<ISymbol, bool> _isSourceSeed;
        private readonly UnitIndex _index;
        private readonly ConcurrentDictionary<ISymbol, IReadOnlyList<SyntaxNode>> _assignmentSites =
            new ConcurrentDictionary<ISymbol, IReadOnlyList<SyntaxNode>>(SymbolEqualityComparer.Default);

        private RelevantSymbols(UnitIndex index, RelevanceQuery sources, RelevanceQuery all, Func<ISymbol, bool> isSourceSeed, Func<ISymbol, bool> isAnySeed)
        {
            _isSourceSeed = isSourceSeed;
            _index = index;
            _sources = sources;
            _all = all;
            _isAnySeed = isAnySeed;
        }

        /// <summary>How many units (member declarations) have been bound to answer the questions asked so far.</summary>
        internal int BoundUnitCount => _index.BoundUnitCount;

        /// <summary>
        /// Whether any body of the compilation can read a snapshot: some source's name is looked for (PeerNet's
        /// where the code can reach PeerNet, a configured or annotated one). When none is, no body can have a
        /// finding and the analyzer registers nothing more.
        /// </summary>
        public bool CanHaveSources => !_sources.Names.IsEmpty;

        /// <summary>
        /// Whether code of <paramref name="compilation"/> can reach the types in the top-level namespaces of
        /// <paramref name="types"/> (declared in a referenced assembly): see <see cref="IsReachable"/>. True for
        /// types of the compilation itself.
        /// </summary>
        public static bool CanReach(Compilation compilation, IEnumerable<INamedTypeSymbol> types)
        {
            var trees = compilation.SyntaxTrees.Select(SourceTree.For).ToList();
            foreach (var group in types.GroupBy(t => t.ContainingAssembly, SymbolEqualityComparer.Default))
            {
                if (group.Key is not IAssemblySymbol assembly) return true;
                var namespaces = new HashSet<string>(group.Select(AssemblySeeds.RootNamespace), StringComparer.Ordinal);
                if (IsReachable(assembly, namespaces, compilation, trees)) return true;
            }

            return false;
        }

        /// <summary>
        /// Computes the sources question's forward cone now, when that question is to be answered from it at once
        /// (its backward budget is 0: see <see cref="RelevanceQuery"/>). Otherwise the first body computes it while
        /// every body reached meanwhile on another thread runs a backward search of its own, binding what the cone
        /// binds once. The answers are the same either way.
        /// </summary>
        public void PrepareSources(CancellationToken cancellationToken)
        {
            if (CanHaveSources) _sources.PrepareCone(cancellationToken);
        }

        /// <summary>Whether the names of each question (sources, all) are a closure run to its end (else the declared names: <see cref="NameSet"/>), for tests.</summary>
        internal (bool Sources, bool All) NamesAreClosures => (_sources.Names.IsClosure, _all.Names.IsClosure);

        /// <summary>The units of <paramref name="tree"/> (their nodes, in order) and the names of its type declarations' parameters, for tests.</summary>
        internal static (List<SyntaxNode> Units, List<string> TypeParameterNames) SplitOf(SyntaxTree tree) =>
            (SourceTree.For(tree).GetUnits(CancellationToken.None).Select(u => u.Node).ToList(), SourceTree.For(tree).TypeParameterNames(CancellationToken.None));

        /// <summary>The nodes of the units of <paramref name="tree"/> mentioning <paramref name="name"/>, as the questions get them, for tests.</summary>
        internal static List<SyntaxNode> MentioningOf(SyntaxTree tree, string name) =>
            SourceTree.For(tree).Mentioning(name, CancellationToken.None).Select(u => u.Node).ToList();

        /// <summary>Each unit of <paramref name="tree"/> with the identifiers it mentions, for tests.</summary>
        internal static List<(SyntaxNode Node, string[] Identifiers)> IdentifiersOf(SyntaxTree tree) =>
            SourceTree.For(tree).GetUnits(CancellationToken.None).Select(u => (u.Node, u.Identifiers)).ToList();

        /// <summary>How many questions a tree's units answer by reading their identifiers before they are indexed by name, for tests.</summary>
        internal const int ScansBeforeIndex = Split.ScansBeforeIndex;

        /// <summary>How many trees of <paramref name="compilation"/> have had their units read (<see cref="Split.Read"/>), for tests.</summary>
        internal static int ReadTreeCount(Compilation compilation) => compilation.SyntaxTrees.Count(t => SourceTree.For(t).IsRead);

        /// <summary>Whether the questions are now answered from the forward cones (sources, all), for tests.</summary>
        internal (bool Sources, bool All) UsesCones => (_sources.UsesCone, _all.UsesCone);

        /// <summary>
        /// Whether <paramref name="node"/> (a body) references, by symbol, something a source can hide behind.
        /// A body of a member declaration is answered per member (not per accessor), binding what it takes;
        /// anything else (top-level statements, a node of another tree) is scanned for the names that can matter.
        /// </summary>
        public bool IsMentionedIn(SyntaxNode node, CancellationToken cancellationToken)
        {
            var member = UnitOf(node);
            if (member is not null && _index.Contains(member.SyntaxTree))
            {
                return _index.UnitAt(member, cancellationToken) is { } unit && _sources.IsConfirmed(unit, cancellationToken);
            }

            foreach (var token in node.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken) && _sources.Names.Contains(token.ValueText)) return true;
            }

            return false;
        }

        /// <summary>Whether a summary of <paramref name="method"/> can say anything: its body references a seed, or something that does.</summary>
        public bool IsWorthSummarizing(IMethodSymbol method, CancellationToken cancellationToken)
        {
            var normalized = Normalize(method);
            return _isAnySeed(normalized) || _all.IsRelevant(normalized, cancellationToken);
        }

        /// <summary>
        /// Whether <paramref name="method"/> can hand its caller a value read from a snapshot (its result, an out or
        /// ref parameter, through any implementation a call may dispatch to): it is a source, or relevant to the
        /// sources question. Cheaper than <see cref="IsWorthSummarizing"/>, and all a caller needs of a summary when
        /// nothing stale goes into the call.
        /// </summary>
        public bool MayYieldSource(IMethodSymbol method, CancellationToken cancellationToken)
        {
            var normalized = Normalize(method);
            return _isSourceSeed(normalized) || _sources.IsRelevant(normalized, cancellationToken);
        }

        /// <summary>
        /// The sites (methods, accessors, initialized declarations) that assign <paramref name="member"/> in a unit referencing a
        /// source, found once per member (a private member's only inside its type's declarations). When the sources question
        /// is answered from its cone, only the confirmed units are bound; otherwise the units assigning the member are found
        /// first (<see cref="UnitIndex.AssigningUnits"/>) and each is then asked about. The same sites, in the same order.
        /// </summary>
        public IReadOnlyList<SyntaxNode> AssignmentSites(ISymbol member, CancellationToken cancellationToken)
        {
            member = member.OriginalDefinition;
            if (_assignmentSites.TryGetValue(member, out var known)) return known;
            var sites = new List<SyntaxNode>();
            var name = SimpleName(member);
            if (_sources.Names.Contains(name) && _sources.UsesCone)
            {
                // Confirmations are lookups in the cone: only the confirmed units among those that may assign the
                // name are bound to see what they assign (not every constructor that assigns a field of that name).
                foreach (var (_, site) in _index.SitesAssigning(member, name, unit => _sources.IsConfirmed(unit, cancellationToken), cancellationToken))
                {
                    if (!sites.Contains(site)) sites.Add(site);
                }
            }
            else if (_sources.Names.Contains(name))
            {
                foreach (var (unit, site) in _index.AssigningUnits(member, name, cancellationToken))
                {
                    if (!sites.Contains(site) && _sources.IsConfirmed(unit, cancellationToken)) sites.Add(site);
                }
            }

            return _assignmentSites.GetOrAdd(member, sites.Count == 0 ? (IReadOnlyList<SyntaxNode>)Array.Empty<SyntaxNode>() : sites);
        }

        /// <summary>Whether <paramref name="node"/> lies inside one of <paramref name="declarations"/> (where a private member of the declared type can be named).</summary>
        private static bool IsInside(SyntaxNode node, System.Collections.Immutable.ImmutableArray<SyntaxReference> declarations)
        {
            foreach (var declaration in declarations)
            {
                if (declaration.SyntaxTree == node.SyntaxTree && declaration.Span.Contains(node.Span)) return true;
            }

            return false;
        }

        private static SyntaxNode? UnitOf(SyntaxNode node) => node switch
        {
            AccessorDeclarationSyntax { Parent.Parent: BasePropertyDeclarationSyntax property } => property,
            ArrowExpressionClauseSyntax { Parent: BasePropertyDeclarationSyntax property } => property,
            EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax or VariableDeclaratorSyntax } equals => equals.Parent,
            CompilationUnitSyntax => null,
            _ => node,
        };

        /// <summary>The name a member's unit has: an explicit interface implementation's without the interface.</summary>
        private static string SimpleName(ISymbol symbol)
        {
            var name = symbol.Name;
            var dot = name.LastIndexOf('.');
            return dot < 0 ? name : name.Substring(dot + 1);
        }

        /// <summary>The symbol references are compared by: the original definition, a property for its accessors, a partial method's definition part, an extension method unreduced.</summary>
        public static ISymbol Normalize(ISymbol symbol)
        {
            symbol = symbol.OriginalDefinition;
            if (symbol is IMethodSymbol method)
            {
                method = method.ReducedFrom ?? method;
                method = method.PartialDefinitionPart ?? method;
                if (method.AssociatedSymbol is IPropertySymbol property) return property.OriginalDefinition;
                return method.OriginalDefinition;
            }

            return symbol;
        }

        /// <summary>How many units the backward searches of one question kind may bind in a compilation before the forward cone answers instead (see <see cref="RelevanceQuery"/>).</summary>
        internal const int DefaultBackwardBudget = 64;

        public static RelevantSymbols Build(WellKnownSymbols symbols, BodyGraphs graphs, DispatchTargets dispatch, int backwardBudget, int stopReadingAt, CancellationToken cancellationToken)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var sourceSeeds = new HashSet<string>(StringComparer.Ordinal);
            var seedOwners = new Dictionary<string, HashSet<string>?>(StringComparer.Ordinal);
            var compilation = symbols.Compilation;
            var trees = new List<SourceTree>();
            foreach (var tree in compilation.SyntaxTrees)
            {
                trees.Add(SourceTree.For(tree));
            }

            // Seed names: annotated members of PeerNet and of every referenced assembly that declares one of
            // the attributes (by name), where the code can reach that assembly's types. Only names: nothing
            // counts until a reference binds to the member.
            var assemblies = new List<IAssemblySymbol>();
            if (symbols.NetworkClient?.ContainingAssembly is { } peerNet) assemblies.Add(peerNet);
            foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
            {
                if (!WellKnownSymbols.MayDeclareAttributes(assembly)) continue;
                var typeNames = assembly.TypeNames;
                if (WellKnownSymbols.AnnotationAttributeNames.Any(typeNames.Contains))
                {
                    if (!assemblies.Contains(assembly, SymbolEqualityComparer.Default)) assemblies.Add(assembly);
                }
            }

            // Whether the code can apply an annotation at all: an attribute type it can reach (PeerNet's, a
            // reference's copy) or declares itself. Otherwise no tree is searched for one.
            var mayAnnotate = false;
            foreach (var name in WellKnownSymbols.AnnotationAttributeNames)
            {
                mayAnnotate |= compilation.ContainsSymbolsWithName(name, SymbolFilter.Type, cancellationToken);
            }

            foreach (var assembly in assemblies)
            {
                var seeds = AssemblySeeds.Of(assembly);
                mayAnnotate = mayAnnotate || (seeds.AttributeNamespaces.Count > 0 && IsReachable(assembly, seeds.AttributeNamespaces, compilation, trees));
                if (seeds.Names.Count == 0 || !IsReachable(assembly, seeds.Namespaces, compilation, trees)) continue;
                names.UnionWith(seeds.Names);
                sourceSeeds.UnionWith(seeds.SourceNames);
                foreach (var name in seeds.SourceNames) AddOwner(seedOwners, name, null);
            }

            // Configured extras.
            var configured = symbols.Configured;
            foreach (var s in configured.Sources.Concat(configured.VersionChecks).Concat(configured.Sinks.Keys).Concat(configured.ReceiverSinks)
                         .Concat(configured.SetterSinks).Concat(configured.ValidatedVersions.Keys))
            {
                names.Add(s.Name);
            }

            foreach (var s in symbols.Configured.Sources)
            {
                sourceSeeds.Add(s.Name);
                AddOwner(seedOwners, s.Name, TypeReach.OwnerOf(Normalize(s)));
            }

            // Members annotated in source (the attribute's name appears in the text of its tree): their names
            // are looked for too; the binding decides.
            foreach (var tree in mayAnnotate ? trees : new List<SourceTree>())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!tree.ContainsAny(AttributeBaseNames)) continue;
                foreach (var unit in tree.GetUnits(cancellationToken))
                {
                    if (unit.Name is null || !unit.MentionsAttribute) continue;
                    var annotation = Annotation(unit.Node);
                    if (annotation != AnnotationKind.None) names.Add(unit.Name);
                    if ((annotation & AnnotationKind.Source) == 0) continue;
                    sourceSeeds.Add(unit.Name);
                    AddOwner(seedOwners, unit.Name, TypeReach.OwnerOf(unit.Node));
                }
            }

            Func<ISymbol, bool> isSourceSeed = s => IsSource(symbols, s);
            Func<ISymbol, bool> isAnySeed = s => IsSource(symbols, s) || IsOtherSeed(symbols, s);
            names.UnionWith(sourceSeeds);
            var candidates = new HashSet<SyntaxTree>();
            var sourceNames = NameClosure(trees, sourceSeeds, candidates, followStores: true, stopReadingAt, cancellationToken);
            var allNames = sourceNames.IsClosure
                ? NameClosure(trees, new HashSet<string>(names.Concat(sourceNames.Names), StringComparer.Ordinal), candidates, followStores: false, stopReadingAt, cancellationToken)
                : NameSet.Declared(new HashSet<string>(names.Concat(sourceNames.Names), StringComparer.Ordinal));
            var index = new UnitIndex(compilation, graphs, candidates, allNames, trees.Count);
            var sources = new RelevanceQuery(index, dispatch, sourceSeeds, seedOwners, sourceNames, isSourceSeed, values: null, onlyYielding: true, backwardBudget);
            var all = new RelevanceQuery(index, dispatch, names, seedOwners: null, allNames, isAnySeed, values: sources, onlyYielding: false, backwardBudget);
            return new RelevantSymbols(index, sources, all, isSourceSeed, isAnySeed);
        }

        /// <summary>Records that seeds named <paramref name="name"/> are declared in the type named <paramref name="owner"/> (null: anywhere).</summary>
        private static void AddOwner(Dictionary<string, HashSet<string>?> owners, string name, string? owner)
        {
            if (owners.TryGetValue(name, out var types) && types is null) return;
            if (owner is null)
            {
                owners[name] = null;
                return;
            }

            if (types is null) owners.Add(name, types = new HashSet<string>(StringComparer.Ordinal));
            types.Add(owner);
        }

        /// <summary>
        /// Whether code of this compilation can reach the seeds of <paramref name="assembly"/>, declared in
        /// types under the top-level <paramref name="namespaces"/> ("" for the global namespace): a tree's text
        /// names one of those namespaces (a using, a qualified name, a global using, an alias), or another
        /// referenced assembly references it (and may hand its types out). Otherwise no expression of the
        /// compilation can have one of those types, and their members cannot be referenced.
        /// </summary>
        private static bool IsReachable(IAssemblySymbol assembly, HashSet<string> namespaces, Compilation compilation, List<SourceTree> trees)
        {
            if (SymbolEqualityComparer.Default.Equals(assembly, compilation.Assembly) || namespaces.Contains(string.Empty)) return true;
            foreach (var tree in trees)
            {
                if (tree.ContainsAny(namespaces)) return true;
            }

            var name = assembly.Identity.Name;
            foreach (var other in compilation.SourceModule.ReferencedAssemblySymbols)
            {
                if (SymbolEqualityComparer.Default.Equals(other, assembly)) continue;
                foreach (var module in other.Modules)
                {
                    foreach (var referenced in module.ReferencedAssemblies)
                    {
                        if (string.Equals(referenced.Name, name, StringComparison.OrdinalIgnoreCase)) return true;
                    }
                }
            }

            return false;
        }

        /// <summary>
        /// The seed names of a referenced assembly: the names of its members that carry an annotation (on
        /// themselves, an accessor or a parameter; a source read: [CachedSnapshotRead] on the member or its
        /// getter), and the top-level namespaces of the types declaring them. A function of the assembly's
        /// metadata alone, so computed once per assembly symbol (which an editor's successive compilations
        /// share), not once per compilation. Whether a reference binds to a seed is decided per compilation.
        /// </summary>
        private sealed class AssemblySeeds
        {
            private static readonly ConditionalWeakTable<IAssemblySymbol, AssemblySeeds> s_seeds = new ConditionalWeakTable<IAssemblySymbol, AssemblySeeds>();

            private AssemblySeeds(IAssemblySymbol assembly)
            {
                foreach (var type in NamedTypes.All(assembly.GlobalNamespace))
                {
                    if (WellKnownSymbols.AnnotationAttributeNames.Contains(type.Name)) AttributeNamespaces.Add(RootNamespace(type));
                    foreach (var member in type.GetMembers())
                    {
                        if (member is not (IMethodSymbol or IPropertySymbol or IFieldSymbol) || !IsAnnotated(member)) continue;
                        Names.Add(member.Name);
                        if (IsAnnotatedSource(member)) SourceNames.Add(member.Name);
                        Namespaces.Add(RootNamespace(type));
                    }
                }
            }

            public static AssemblySeeds Of(IAssemblySymbol assembly) => s_seeds.GetValue(assembly, a => new AssemblySeeds(a));

            public HashSet<string> Names { get; } = new HashSet<string>(StringComparer.Ordinal);

            public HashSet<string> SourceNames { get; } = new HashSet<string>(StringComparer.Ordinal);

            public HashSet<string> Namespaces { get; } = new HashSet<string>(StringComparer.Ordinal);

            /// <summary>The top-level namespaces of the annotation attribute types the assembly declares (by name).</summary>
            public HashSet<string> AttributeNamespaces { get; } = new HashSet<string>(StringComparer.Ordinal);

            private static bool IsAnnotated(ISymbol member)
            {
                if (HasAnyAnnotation(member)) return true;
                switch (member)
                {
                    case IMethodSymbol method:
                        return method.Parameters.Any(HasAnyAnnotation) || (method.AssociatedSymbol is { } associated && HasAnyAnnotation(associated));
                    case IPropertySymbol property:
                        return property.Parameters.Any(HasAnyAnnotation) ||
                               (property.GetMethod is { } getter && IsAnnotated(getter)) || (property.SetMethod is { } setter && IsAnnotated(setter));
                    default:
                        return false;
                }
            }

            private static bool IsAnnotatedSource(ISymbol member) =>
                WellKnownSymbols.HasAnnotation(member, WellKnownSymbols.CachedSnapshotReadName) ||
                (member is IPropertySymbol { GetMethod: { } getter } && WellKnownSymbols.HasAnnotation(getter, WellKnownSymbols.CachedSnapshotReadName)) ||
                (member is IMethodSymbol { AssociatedSymbol: IPropertySymbol property } && WellKnownSymbols.HasAnnotation(property, WellKnownSymbols.CachedSnapshotReadName));

            private static bool HasAnyAnnotation(ISymbol symbol)
            {
                foreach (var attribute in symbol.GetAttributes())
                {
                    if (attribute.AttributeClass is { } type && WellKnownSymbols.AnnotationAttributeNames.Contains(type.Name)) return true;
                }

                return false;
            }

            public static string RootNamespace(INamedTypeSymbol type)
            {
                var ns = type.ContainingNamespace;
                if (ns is null || ns.IsGlobalNamespace) return string.Empty;
                while (!ns.ContainingNamespace.IsGlobalNamespace) ns = ns.ContainingNamespace;
                return ns.Name;
            }
        }

        /// <summary>
        /// How many more trees a round of the closure must read before it may stop (see <see cref="NameClosure"/>).
        /// Reading a tree costs about half of what binding a unit does (EventPipe samples on Orleans.Runtime: 310 trees
        /// read in about 220 ms, 153 units bound in about 200 ms): below this, finishing the closure costs no more than
        /// binding a few dozen units, which its narrower names may spare the backward searches (each may bind up to its
        /// budget, <see cref="DefaultBackwardBudget"/> units).
        /// </summary>
        internal const int StopReadingAt = 64;

        /// <summary>
        /// The names that can matter, from <paramref name="seedNames"/>: a unit mentioning one of them adds
        /// its own name and (<paramref name="followStores"/>) the names of the members it assigns, until nothing
        /// changes (syntactic, nothing bound). A tree is split into units only when its text may hold a name
        /// looked for (<see cref="TreeText.MayHoldAnyHash"/>: the hashes of its words, one pass per tree), and
        /// those trees are added to <paramref name="candidates"/>. When the next round would read at least
        /// <paramref name="stopReadingAt"/> (<see cref="StopReadingAt"/>) more trees and bring <paramref name="candidates"/> past half of the compilation,
        /// the closure stops before reading them: every tree is a candidate, as it would be once that many trees are
        /// reached (<see cref="UnitIndex.NamesFilter"/>), and the names are <see cref="NameSet.Declared"/>, which no
        /// closure can go beyond.
        /// </summary>
        private static NameSet NameClosure(List<SourceTree> trees, HashSet<string> seedNames, HashSet<SyntaxTree> candidates, bool followStores, int stopReadingAt, CancellationToken cancellationToken)
        {
            var names = new HashSet<string>(seedNames, StringComparer.Ordinal);
            var frontier = new HashSet<string>(seedNames, StringComparer.Ordinal);
            var seen = new HashSet<Unit>();
            var words = new TreeWords(); // one table for every tree this loop reads (one thread)
            var reached = new List<SourceTree>();
            while (frontier.Count > 0)
            {
                var next = new HashSet<string>(StringComparer.Ordinal);
                var hashes = TreeText.HashesOf(frontier);
                var indexers = frontier.Contains(IndexerName);
                reached.Clear();
                var added = 0;
                foreach (var tree in trees)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!tree.MayMentionAny(hashes, indexers)) continue;
                    reached.Add(tree);
                    if (!candidates.Contains(tree.Tree)) added++;
                }

                if (added >= stopReadingAt && 2 * (candidates.Count + added) > trees.Count)
                {
                    foreach (var tree in trees)
                    {
                        candidates.Add(tree.Tree);
                        foreach (var unit in tree.GetUnits(cancellationToken))
                        {
                            if (unit.Name is not null) names.Add(unit.Name);
                        }

                        names.UnionWith(tree.TypeParameterNames(cancellationToken));
                    }

                    return NameSet.Declared(names);
                }

                foreach (var tree in reached)
                {
                    candidates.Add(tree.Tree);
                    foreach (var unit in tree.MentioningAny(frontier, words, cancellationToken))
                    {
                        if (!seen.Add(unit)) continue;
                        if (unit.Name is not null && names.Add(unit.Name)) next.Add(unit.Name);
                        if (!followStores) continue;
                        foreach (var assigned in unit.AssignedNames)
                        {
                            if (names.Add(assigned)) next.Add(assigned);
                        }
                    }
                }

                frontier = next;
            }

            return NameSet.Closure(names);
        }

        private static bool IsSource(WellKnownSymbols symbols, ISymbol symbol) =>
            symbol is IMethodSymbol or IPropertySymbol or IFieldSymbol &&
            (symbols.IsSnapshotRead(symbol) || (symbol is IPropertySymbol { GetMethod: { } getter } && symbols.IsSnapshotRead(getter)));

        private static bool IsOtherSeed(WellKnownSymbols symbols, ISymbol symbol) => symbol switch
        {
            IMethodSymbol m => symbols.IsVersionCheck(m) || !symbols.SinkParameters(m).IsEmpty || symbols.IsReceiverSink(m) || !symbols.ValidatedVersionParameters(m).IsEmpty,
            IPropertySymbol p => symbols.IsVersionCheck(p) || symbols.IsSetterSink(p),
            IFieldSymbol f => symbols.IsVersionCheck(f),
            _ => false,
        };

        /// <summary>Whether a caller can get a value from <paramref name="symbol"/>: a field, a property, a method with a result or an out or ref parameter.</summary>
        private static bool MayYield(ISymbol symbol) => symbol switch
        {
            IMethodSymbol m => m.MethodKind is MethodKind.Ordinary or MethodKind.PropertyGet or MethodKind.ExplicitInterfaceImplementation or MethodKind.UserDefinedOperator or MethodKind.Conversion &&
                               (!(m.ReturnsVoid || IsPlainTask(m.ReturnType)) || m.Parameters.Any(p => p.RefKind is RefKind.Out or RefKind.Ref)),
            _ => true,
        };

        private static bool IsPlainTask(ITypeSymbol type) =>
            type is INamedTypeSymbol { Arity: 0, Name: "Task" or "ValueTask", ContainingNamespace: { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } };
    }
}
