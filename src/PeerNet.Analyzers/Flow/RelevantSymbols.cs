using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// Which bodies and members can matter, by symbol: a per-compilation forward propagation from the seed
    /// symbols. Candidate references are found by name in the text (a tree is searched only when its text
    /// contains a name being looked for, and split into units, member declarations, only then), and each
    /// is confirmed by binding just that name (SemanticModel.GetSymbolInfo).
    /// A unit that references a relevant symbol is confirmed; the member it declares (when it can yield a
    /// value) and the fields and properties it assigns become relevant in turn, until nothing changes.
    /// Two closures: from the snapshot reads (the bodies worth analyzing, and the sites that can assign a
    /// field or property a snapshot-derived value), and from every seed, sinks and version checks too (the
    /// methods worth summarizing). PeerNet's member names seed nothing unless the code binds to PeerNet's
    /// members: in a compilation that never touches them, no body is bound and no graph is built.
    /// </summary>
    /// <remarks>
    /// What propagates: a relevant member's name to the units that reference it; an element access
    /// (<c>x[k]</c>) to an indexer (<c>this[]</c>); a unit's assignments, element writes (<c>x[k] = v</c>)
    /// and collection stores (<c>x.Add(v)</c>, <see cref="CollectionModels"/>) to the field or property
    /// written; and a relevant implementation or override to the interface or base member it implements
    /// or overrides (a call through that member may dispatch to it, <see cref="DispatchTargets"/>).
    /// The seeds: [CachedSnapshotRead] members (PeerNet's, referenced assemblies', annotated in source),
    /// configured sources (peernet.sources); for the second closure also sinks (parameters, receivers,
    /// setters), version checks and validated-version sends, by attribute or configuration.
    /// </remarks>
    internal sealed partial class RelevantSymbols
    {
        private readonly Closure _sources;
        private readonly Closure _all;
        private readonly Func<ISymbol, bool> _isAnySeed;
        private readonly HashSet<SyntaxTree> _compilationTrees;

        private RelevantSymbols(Closure sources, Closure all, Func<ISymbol, bool> isAnySeed, HashSet<SyntaxTree> compilationTrees)
        {
            _sources = sources;
            _all = all;
            _isAnySeed = isAnySeed;
            _compilationTrees = compilationTrees;
        }

        /// <summary>How many units (member declarations) reference, by symbol, something a source can hide behind.</summary>
        public int SourceUnitCount => _sources.Units.Count;

        /// <summary>
        /// Whether <paramref name="node"/> (a body) references, by symbol, something a source can hide behind.
        /// A body of a member declaration is answered from the propagation (per member, not per accessor);
        /// anything else (top-level statements, a node of another tree) is scanned for the relevant names.
        /// </summary>
        public bool IsMentionedIn(SyntaxNode node)
        {
            var member = UnitOf(node);
            if (member is not null && _sources.Units.Contains(member)) return true;
            if (member is not null && _compilationTrees.Contains(member.SyntaxTree)) return false;

            foreach (var token in node.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken) && _sources.Names.Contains(token.ValueText)) return true;
            }

            return false;
        }

        /// <summary>Whether a summary of <paramref name="method"/> can say anything: its body references a seed, or something that does.</summary>
        public bool IsWorthSummarizing(IMethodSymbol method)
        {
            var normalized = Normalize(method);
            return _all.Declared.Contains(normalized) || _all.Relevant.Contains(normalized) || _isAnySeed(normalized);
        }

        /// <summary>Whether <paramref name="member"/> is assigned anywhere in a unit that references a source.</summary>
        public IReadOnlyList<SyntaxNode> AssignmentSites(ISymbol member) =>
            _sources.AssignmentSites.TryGetValue(member.OriginalDefinition, out var sites) ? sites : (IReadOnlyList<SyntaxNode>)Array.Empty<SyntaxNode>();

        private static SyntaxNode? UnitOf(SyntaxNode node) => node switch
        {
            AccessorDeclarationSyntax { Parent.Parent: BasePropertyDeclarationSyntax property } => property,
            ArrowExpressionClauseSyntax { Parent: BasePropertyDeclarationSyntax property } => property,
            EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax or VariableDeclaratorSyntax } equals => equals.Parent,
            CompilationUnitSyntax => null,
            _ => node,
        };

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

        public static RelevantSymbols Build(WellKnownSymbols symbols, BodyGraphs graphs, CancellationToken cancellationToken)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var sourceSeeds = new HashSet<string>(StringComparer.Ordinal);
            var compilation = symbols.Compilation;

            // Seed names: annotated members of PeerNet and of every referenced assembly that declares one of
            // the attributes (by name). Only names: nothing counts until a reference binds to the member.
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

            foreach (var assembly in assemblies)
            {
                foreach (var type in NamedTypes.All(assembly.GlobalNamespace))
                {
                    foreach (var member in type.GetMembers())
                    {
                        var source = IsSource(symbols, member);
                        if (source || IsOtherSeed(symbols, member)) names.Add(member.Name);
                        if (source) sourceSeeds.Add(member.Name);
                    }
                }
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
            }

            var trees = new List<SourceTree>();
            foreach (var tree in compilation.SyntaxTrees)
            {
                trees.Add(new SourceTree(tree));
            }

            // Members annotated in source (the attribute's name appears in the text of its tree): their names
            // are looked for too; the binding decides.
            foreach (var tree in trees)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!tree.ContainsAny(AttributeBaseNames)) continue;
                foreach (var unit in tree.GetUnits(cancellationToken))
                {
                    if (unit.Name is null || !unit.MentionsAttribute) continue;
                    var annotation = Annotation(unit.Node);
                    if (annotation != AnnotationKind.None) names.Add(unit.Name);
                    if ((annotation & AnnotationKind.Source) != 0) sourceSeeds.Add(unit.Name);
                }
            }

            Func<ISymbol, bool> isSourceSeed = s => IsSource(symbols, s);
            Func<ISymbol, bool> isAnySeed = s => IsSource(symbols, s) || IsOtherSeed(symbols, s);
            names.UnionWith(sourceSeeds);
            var sources = Close(trees, graphs, isSourceSeed, sourceSeeds, onlyYielding: true, cancellationToken);
            var all = Close(trees, graphs, isAnySeed, names, onlyYielding: false, cancellationToken);
            return new RelevantSymbols(sources, all, isAnySeed, new HashSet<SyntaxTree>(compilation.SyntaxTrees));
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

        /// <summary>A unit confirmed in a round: what it declares and the fields and properties it assigns (with the sites).</summary>
        private sealed class Confirmed
        {
            public Confirmed(Unit unit, ISymbol? declared, List<(ISymbol Symbol, SyntaxNode Site)> assigned)
            {
                Unit = unit;
                Declared = declared;
                Assigned = assigned;
            }

            public Unit Unit { get; }

            public ISymbol? Declared { get; }

            public List<(ISymbol Symbol, SyntaxNode Site)> Assigned { get; }
        }

        /// <summary>What one propagation found: the confirmed units, the symbols they declare, the names looked for, the assignment sites.</summary>
        private sealed class Closure
        {
            public HashSet<SyntaxNode> Units { get; } = new HashSet<SyntaxNode>();

            public HashSet<ISymbol> Declared { get; } = new HashSet<ISymbol>(SymbolEqualityComparer.Default);

            /// <summary>The members found relevant (declared by a confirmed unit, assigned in one, or dispatching to one).</summary>
            public HashSet<ISymbol> Relevant { get; } = new HashSet<ISymbol>(SymbolEqualityComparer.Default);

            public HashSet<string> Names { get; } = new HashSet<string>(StringComparer.Ordinal);

            public Dictionary<ISymbol, List<SyntaxNode>> AssignmentSites { get; } = new Dictionary<ISymbol, List<SyntaxNode>>(SymbolEqualityComparer.Default);
        }

        /// <summary>
        /// The forward propagation from <paramref name="seedNames"/> (whose members <paramref name="isSeed"/>
        /// recognizes once bound). With <paramref name="onlyYielding"/>, a confirmed method becomes relevant
        /// only when it can hand a value to its caller (a result, an out or ref parameter); what it assigns
        /// becomes relevant either way.
        /// </summary>
        private static Closure Close(List<SourceTree> trees, BodyGraphs graphs, Func<ISymbol, bool> isSeed, HashSet<string> seedNames, bool onlyYielding, CancellationToken cancellationToken)
        {
            var closure = new Closure();
            var relevant = closure.Relevant;
            var confirmed = new HashSet<Unit>();
            closure.Names.UnionWith(seedNames);
            bool IsRelevant(ISymbol? s) => s is not null && (relevant.Contains(Normalize(s)) || isSeed(s));
            var frontier = new HashSet<string>(seedNames, StringComparer.Ordinal);
            while (frontier.Count > 0)
            {
                var next = new HashSet<string>(StringComparer.Ordinal);

                // Binding is what costs: the trees of a round are confirmed in parallel against the relevant set as
                // it stood when the round began (read only meanwhile), then merged in tree order. A symbol found
                // relevant in this round is in the next round's frontier, so a unit that needed it is looked at
                // again then: the fixed point is the one a sequential pass reaches.
                var candidates = new List<SourceTree>();
                foreach (var tree in trees)
                {
                    if (tree.ContainsAny(frontier)) candidates.Add(tree);
                }

                var found = new List<Confirmed>[candidates.Count];
                var currentFrontier = frontier;
                Parallel.For(0, candidates.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                {
                    var tree = candidates[i];
                    var list = new List<Confirmed>();
                    SemanticModel? model = null;
                    foreach (var unit in tree.GetUnits(cancellationToken))
                    {
                        if (confirmed.Contains(unit) || !MentionsAny(unit.Identifiers, currentFrontier)) continue;
                        model ??= graphs.GetModel(tree.Tree);
                        if (model is null) break;
                        if (!References(unit.Node, currentFrontier, model, IsRelevant, cancellationToken)) continue;
                        var assigned = new List<(ISymbol Symbol, SyntaxNode Site)>();
                        foreach (var (target, site) in Assignments(unit.Node))
                        {
                            var symbol = target is VariableDeclaratorSyntax or PropertyDeclarationSyntax
                                ? model.GetDeclaredSymbol(target, cancellationToken)
                                : model.GetSymbolInfo(target, cancellationToken).Symbol;
                            if (symbol is (IFieldSymbol or IPropertySymbol) && !symbol.DeclaringSyntaxReferences.IsEmpty) assigned.Add((symbol.OriginalDefinition, site));
                        }

                        list.Add(new Confirmed(unit, model.GetDeclaredSymbol(unit.Node, cancellationToken), assigned));
                    }

                    found[i] = list;
                });

                foreach (var list in found)
                {
                    foreach (var item in list)
                    {
                        var unit = item.Unit;
                        if (!confirmed.Add(unit)) continue;
                        closure.Units.Add(unit.Node);
                        var declared = item.Declared;
                        if (declared is not null && unit.Name is not null) // a named member (constructors, events: only what they assign)
                        {
                            var normalized = Normalize(declared);
                            closure.Declared.Add(normalized);
                            if ((!onlyYielding || MayYield(declared)) && relevant.Add(normalized))
                            {
                                next.Add(normalized.Name);

                                // A call through the interface or base member may dispatch here.
                                foreach (var dispatching in DispatchTargets.DispatchedThrough(normalized))
                                {
                                    if (relevant.Add(dispatching)) next.Add(dispatching.Name);
                                }
                            }
                        }

                        foreach (var (assigned, site) in item.Assigned)
                        {
                            if (!closure.AssignmentSites.TryGetValue(assigned, out var sites)) closure.AssignmentSites[assigned] = sites = new List<SyntaxNode>();
                            if (!sites.Contains(site)) sites.Add(site);
                            if (relevant.Add(assigned)) next.Add(assigned.Name);
                        }
                    }
                }

                closure.Names.UnionWith(next);
                frontier = next;
            }

            return closure;
        }

        /// <summary>Whether a caller can get a value from <paramref name="symbol"/>: a field, a property, a method with a result or an out or ref parameter.</summary>
        private static bool MayYield(ISymbol symbol) => symbol switch
        {
            IMethodSymbol m => m.MethodKind is MethodKind.Ordinary or MethodKind.PropertyGet or MethodKind.ExplicitInterfaceImplementation or MethodKind.UserDefinedOperator or MethodKind.Conversion &&
                               (!(m.ReturnsVoid || IsPlainTask(m.ReturnType)) || m.Parameters.Any(p => p.RefKind is RefKind.Out or RefKind.Ref)),
            _ => true,
        };

        private static bool IsPlainTask(ITypeSymbol type) =>
            type is INamedTypeSymbol { Arity: 0, Name: "Task" or "ValueTask", ContainingNamespace: { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } };

        /// <summary>Whether a name in <paramref name="unit"/> that is one of <paramref name="names"/> binds to a relevant symbol.</summary>
        private static bool References(SyntaxNode unit, HashSet<string> names, SemanticModel model, Func<ISymbol?, bool> isRelevant, CancellationToken cancellationToken)
        {
            bool indexers = names.Contains(IndexerName);
            foreach (var node in unit.DescendantNodes())
            {
                bool hit = node switch
                {
                    SimpleNameSyntax name => names.Contains(name.Identifier.ValueText),
                    ElementAccessExpressionSyntax or ElementBindingExpressionSyntax => indexers,
                    _ => false,
                };
                if (!hit) continue;
                var info = model.GetSymbolInfo(node, cancellationToken);
                if (isRelevant(info.Symbol)) return true;
                foreach (var candidate in info.CandidateSymbols)
                {
                    if (isRelevant(candidate)) return true;
                }
            }

            return false;
        }
    }
}
