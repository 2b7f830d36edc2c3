using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PeerNet.Analyzers.Flow
{
    internal sealed partial class RelevantSymbols
    {
        /// <summary>
        /// The per-compilation semantic side of the gate: the units of the trees that can matter, what each
        /// references among the names that can matter (bound once per unit, on the driver's cached model) and
        /// which fields and properties it assigns.
        /// </summary>
        private sealed class UnitIndex
        {
            private readonly Compilation _compilation;
            private readonly BodyGraphs _graphs;
            private readonly HashSet<SyntaxTree> _candidates;
            private readonly NameSet _names;
            private readonly ConcurrentDictionary<Unit, List<(string Name, ISymbol Symbol)>> _hits = new ConcurrentDictionary<Unit, List<(string Name, ISymbol Symbol)>>();
            private readonly ConcurrentDictionary<Unit, List<(ISymbol Symbol, SyntaxNode Site)>> _assigned = new ConcurrentDictionary<Unit, List<(ISymbol Symbol, SyntaxNode Site)>>();
            private readonly ConcurrentDictionary<Unit, bool> _bound = new ConcurrentDictionary<Unit, bool>();
            private int _boundCount;
            private readonly Lazy<TypeReach> _typeReach;
            private readonly ConcurrentDictionary<string, IReadOnlyList<Unit>> _assigning = new ConcurrentDictionary<string, IReadOnlyList<Unit>>(StringComparer.Ordinal);
            private readonly ConcurrentDictionary<string, Dictionary<ISymbol, List<(Unit Unit, SyntaxNode Site)>>> _assigningByName =
                new ConcurrentDictionary<string, Dictionary<ISymbol, List<(Unit Unit, SyntaxNode Site)>>>(StringComparer.Ordinal);
            private readonly ConcurrentDictionary<ISymbol, IReadOnlyList<(Unit Unit, SyntaxNode Site)>> _assigningPrivate =
                new ConcurrentDictionary<ISymbol, IReadOnlyList<(Unit Unit, SyntaxNode Site)>>(SymbolEqualityComparer.Default);

            public UnitIndex(Compilation compilation, BodyGraphs graphs, HashSet<SyntaxTree> candidates, NameSet names, int treeCount)
            {
                _typeReach = new Lazy<TypeReach>(() => new TypeReach(compilation, CancellationToken.None), LazyThreadSafetyMode.ExecutionAndPublication);
                NamesFilter = treeCount < FewTrees || 2 * candidates.Count <= treeCount;
                _compilation = compilation;
                _graphs = graphs;
                _candidates = candidates;
                _names = names;
            }

            public bool Contains(SyntaxTree tree) => _compilation.ContainsSyntaxTree(tree);

            /// <summary>Which units can reference a member of a given source type (declarations of every tree, read on first use).</summary>
            public TypeReach TypeReach => _typeReach.Value;

            /// <summary>
            /// Whether the names that can matter still filter: at most half of the trees mention one, or the
            /// compilation is small (fewer than <see cref="FewTrees"/> trees: whatever the answer, the searches stay
            /// cheap). Past that (a syntactic closure grown through common names, or code where most files use
            /// the snapshot APIs) the sources question is answered from its forward cone at once.
            /// </summary>
            public bool NamesFilter { get; }

            /// <summary>Below this many trees the names are taken to filter (see <see cref="NamesFilter"/>).</summary>
            public const int FewTrees = 16;

            /// <summary>How many units the trees that can matter hold (each such tree split once, as the closure already did).</summary>
            public int CandidateUnitCount(CancellationToken cancellationToken)
            {
                var count = 0;
                foreach (var tree in _candidates) count += SourceTree.For(tree).GetUnits(cancellationToken).Count;
                return count;
            }

            /// <summary>How many units have been bound so far (for tests: what a question cost).</summary>
            /// <remarks>A counter, not <c>_bound.Count</c>: a concurrent dictionary's count takes every lock, and the searches read it at each step.</remarks>
            public int BoundUnitCount => Volatile.Read(ref _boundCount);

            /// <summary>The unit at <paramref name="node"/>, when its tree can matter (its text holds a name that can).</summary>
            public Unit? UnitAt(SyntaxNode node, CancellationToken cancellationToken) =>
                _candidates.Contains(node.SyntaxTree) ? SourceTree.For(node.SyntaxTree).UnitAt(node, cancellationToken) : null;

            /// <summary>The named units declaring <paramref name="symbol"/> (a partial method's both parts).</summary>
            public IEnumerable<Unit> Declaring(ISymbol symbol, CancellationToken cancellationToken)
            {
                foreach (var unit in DeclaringOne(symbol, cancellationToken)) yield return unit;
                if (symbol is IMethodSymbol { PartialImplementationPart: { } implementation })
                {
                    foreach (var unit in DeclaringOne(implementation, cancellationToken)) yield return unit;
                }
            }

            private IEnumerable<Unit> DeclaringOne(ISymbol symbol, CancellationToken cancellationToken)
            {
                foreach (var reference in symbol.DeclaringSyntaxReferences)
                {
                    if (!_candidates.Contains(reference.SyntaxTree)) continue;
                    if (UnitAt(reference.GetSyntax(cancellationToken), cancellationToken) is { Name: not null } unit) yield return unit;
                }
            }

            /// <summary>The units of the trees that can matter that mention <paramref name="name"/>.</summary>
            public IEnumerable<Unit> Mentioning(string name, CancellationToken cancellationToken)
            {
                foreach (var tree in _candidates)
                {
                    foreach (var unit in SourceTree.For(tree).Mentioning(name, cancellationToken)) yield return unit;
                }
            }

            /// <summary>The member a named unit declares (normalized), bound on the driver's model; null for an unnamed unit.</summary>
            public ISymbol? DeclaredBy(Unit unit, CancellationToken cancellationToken)
            {
                if (unit.Name is null || _graphs.GetModel(unit.Node.SyntaxTree) is not { } model) return null;
                return model.GetDeclaredSymbol(unit.Node, cancellationToken) is { } declared ? Normalize(declared) : null;
            }

            /// <summary>
            /// The units of the trees that can matter that may assign a field or property named <paramref name="name"/>, in
            /// the compilation's order of trees. A unit assigning a name mentions it (the target's name, or the name an
            /// initialized declaration declares), so only the trees whose text may hold the name are read.
            /// </summary>
            public IReadOnlyList<Unit> Assigning(string name, CancellationToken cancellationToken)
            {
                if (_assigning.TryGetValue(name, out var known)) return known;
                var units = new List<Unit>();
                foreach (var tree in _compilation.SyntaxTrees)
                {
                    if (!_candidates.Contains(tree)) continue;
                    foreach (var unit in SourceTree.For(tree).Mentioning(name, cancellationToken))
                    {
                        if (Array.IndexOf(unit.AssignedNames, name) >= 0) units.Add(unit);
                    }
                }

                return _assigning.GetOrAdd(name, units.Count == 0 ? Array.Empty<Unit>() : units);
            }

            /// <summary>
            /// The units of the trees that can matter that assign <paramref name="member"/> (a field or property of the
            /// compilation's source, its original definition), with the site of each assignment, grouped by unit. A private
            /// member can be assigned only inside its containing type's declarations (nested types included): only the units
            /// there are bound. Otherwise every unit assigning a member of the same name is bound once, and the sites of all
            /// the members of that name are indexed by symbol together, so that asking about each of many same-named members
            /// (a field `_client` in every class) does not scan every unit assigning the name again.
            /// </summary>
            public IReadOnlyList<(Unit Unit, SyntaxNode Site)> AssigningUnits(ISymbol member, string simpleName, CancellationToken cancellationToken)
            {
                if (member.DeclaredAccessibility == Accessibility.Private && member.ContainingType is not null)
                {
                    if (_assigningPrivate.TryGetValue(member, out var known)) return known;
                    var found = SitesAssigning(member, simpleName, static _ => true, cancellationToken).ToList();
                    return _assigningPrivate.GetOrAdd(member, found.Count == 0 ? Array.Empty<(Unit Unit, SyntaxNode Site)>() : found);
                }

                if (!_assigningByName.TryGetValue(simpleName, out var bySymbol))
                {
                    bySymbol = new Dictionary<ISymbol, List<(Unit Unit, SyntaxNode Site)>>(SymbolEqualityComparer.Default);
                    foreach (var unit in Assigning(simpleName, cancellationToken))
                    {
                        foreach (var (assigned, site) in Assigned(unit, cancellationToken))
                        {
                            if (SimpleName(assigned) != simpleName) continue;
                            if (!bySymbol.TryGetValue(assigned, out var list)) bySymbol.Add(assigned, list = new List<(Unit Unit, SyntaxNode Site)>());
                            list.Add((unit, site));
                        }
                    }

                    bySymbol = _assigningByName.GetOrAdd(simpleName, bySymbol);
                }

                return bySymbol.TryGetValue(member, out var sites) ? sites : (IReadOnlyList<(Unit Unit, SyntaxNode Site)>)Array.Empty<(Unit Unit, SyntaxNode Site)>();
            }

            /// <summary>
            /// Where the units among those that may assign <paramref name="simpleName"/> (<see cref="Assigning"/>) for which
            /// <paramref name="include"/> holds assign <paramref name="member"/> (a private member: only units inside its
            /// type's declarations), in order; only those units are bound.
            /// </summary>
            public IEnumerable<(Unit Unit, SyntaxNode Site)> SitesAssigning(ISymbol member, string simpleName, Func<Unit, bool> include, CancellationToken cancellationToken)
            {
                var declarations = member.DeclaredAccessibility == Accessibility.Private && member.ContainingType is { } owner ? owner.DeclaringSyntaxReferences : default;
                foreach (var unit in Assigning(simpleName, cancellationToken))
                {
                    if ((!declarations.IsDefault && !IsInside(unit.Node, declarations)) || !include(unit)) continue;
                    foreach (var (assigned, site) in Assigned(unit, cancellationToken))
                    {
                        if (SymbolEqualityComparer.Default.Equals(assigned, member)) yield return (unit, site);
                    }
                }
            }

            /// <summary>What the names in <paramref name="unit"/> that can matter bind to (an element access: the indexer), bound once per unit.</summary>
            public List<(string Name, ISymbol Symbol)> Hits(Unit unit, CancellationToken cancellationToken)
            {
                if (_hits.TryGetValue(unit, out var known)) return known;
                var hits = new List<(string Name, ISymbol Symbol)>();
                var indexers = _names.Contains(IndexerName);
                SemanticModel? model = null;
                foreach (var node in unit.Node.DescendantNodes())
                {
                    var name = node switch
                    {
                        SimpleNameSyntax simple when _names.Contains(simple.Identifier.ValueText) => simple.Identifier.ValueText,
                        ElementAccessExpressionSyntax or ElementBindingExpressionSyntax when indexers => IndexerName,
                        _ => null,
                    };
                    if (name is null) continue;
                    if (model is null)
                    {
                        model = _graphs.GetModel(unit.Node.SyntaxTree);
                        if (model is null) break;
                        MarkBound(unit);
                    }

                    var info = model.GetSymbolInfo(node, cancellationToken);
                    if (info.Symbol is { } symbol) hits.Add((name, symbol));
                    foreach (var candidate in info.CandidateSymbols)
                    {
                        hits.Add((name, candidate));
                    }
                }

                return _hits.GetOrAdd(unit, hits);
            }

            private void MarkBound(Unit unit)
            {
                if (_bound.TryAdd(unit, true)) Interlocked.Increment(ref _boundCount);
            }

            /// <summary>The fields and properties of the compilation that <paramref name="unit"/> assigns, with the site of each assignment.</summary>
            public List<(ISymbol Symbol, SyntaxNode Site)> Assigned(Unit unit, CancellationToken cancellationToken)
            {
                if (_assigned.TryGetValue(unit, out var known)) return known;
                var assigned = new List<(ISymbol Symbol, SyntaxNode Site)>();
                var model = _graphs.GetModel(unit.Node.SyntaxTree);
                if (model is not null)
                {
                    MarkBound(unit);
                    foreach (var (target, site) in Assignments(unit.Node))
                    {
                        var symbol = target is VariableDeclaratorSyntax or PropertyDeclarationSyntax
                            ? model.GetDeclaredSymbol(target, cancellationToken)
                            : model.GetSymbolInfo(target, cancellationToken).Symbol;
                        // Not a tuple's element: the engine follows it as part of the tuple's value, never as a member
                        // with a taint of its own (TaintTransfer.EvalFieldRead), so it cannot make anything relevant.
                        if (symbol is (IFieldSymbol or IPropertySymbol) && !symbol.DeclaringSyntaxReferences.IsEmpty && symbol.ContainingType?.IsTupleType != true) assigned.Add((symbol.OriginalDefinition, site));
                    }
                }

                return _assigned.GetOrAdd(unit, assigned);
            }
        }

        /// <summary>
        /// One question asked on demand: does a unit reference, or a member lead to, a seed (by
        /// <see cref="RelevantSymbols">the rules of relevance</see>)? Answered two ways, with the same answers:
        /// <list type="bullet">
        /// <item>Backward, from the question: a search of the graph whose nodes are units and members, with
        /// edges found by binding only the units on the way; answers are kept per compilation. A "yes" holds
        /// for every node on the path that found it; a "no" for the question asked holds for everything that
        /// search visited (each of them reached only what the question reached), so recursion and cycles need
        /// no depth cut, and each unit is bound at most once. Cheap when the few bodies an editor asks about
        /// lead to a seed, or to nothing, in a few steps.</item>
        /// <item>Forward, from the seeds (<see cref="Cone"/>): the units that reference a seed, the members
        /// they declare or assign, the units that reference those, until nothing changes, binding only the
        /// units that mention the name of a member found relevant. Its cost follows the code that really
        /// reaches a seed, whatever the names that merely look alike.</item>
        /// </list>
        /// Backward searches run until they have bound a budget of units in all (<see cref="DefaultBackwardBudget"/>, or twice
        /// the units mentioning a seed's name if more: what the cone would bind first); past that
        /// (a codebase whose common names match the syntactic closure, where proving a "no" would bind most
        /// of it), the cone is computed once and answers every later question.
        /// </summary>
        private sealed partial class RelevanceQuery
        {
            private readonly UnitIndex _index;
            private readonly DispatchTargets _dispatch;
            private readonly Func<ISymbol, bool> _isSeed;
            private readonly RelevanceQuery? _values;
            private readonly bool _onlyYielding;
            private readonly HashSet<string> _seedNames;
            private readonly Dictionary<string, HashSet<string>?>? _seedOwners;
            private readonly ConcurrentDictionary<Node, bool> _answers = new ConcurrentDictionary<Node, bool>();
            private readonly object _coneLock = new object();
            private Cone? _cone;
            private readonly int _backwardBudget;
            private int _budget = -1;
            private int _boundBackward;

            /// <summary>
            /// A query. <paramref name="values"/>, when given, is the sources query: what it finds relevant counts as a
            /// seed here, and this query does not follow stores (a member is relevant to it through a unit declaring it,
            /// not through one assigning it: sinks and checks do not travel in values, and the sources query already
            /// follows every store of a value that can be stale). <paramref name="onlyYielding"/>: a unit makes the member
            /// it declares relevant only when that member can hand a value to its caller.
            /// <paramref name="seedOwners"/>, when given, says for a seed name which types declare the seeds of that name
            /// (null for a name whose seeds can be anywhere, such as a referenced assembly's; a name missing is taken the
            /// same way): the cone then binds only the units that can reference a member of those types
            /// (<see cref="TypeReach"/>), and follows the members it finds relevant the same way.
            /// </summary>
            public RelevanceQuery(UnitIndex index, DispatchTargets dispatch, HashSet<string> seedNames, Dictionary<string, HashSet<string>?>? seedOwners, NameSet names, Func<ISymbol, bool> isSeed, RelevanceQuery? values, bool onlyYielding, int backwardBudget)
            {
                _seedOwners = seedOwners;
                _backwardBudget = backwardBudget;
                _values = values;
                _index = index;
                _dispatch = dispatch;
                _seedNames = seedNames;
                Names = names;
                _isSeed = isSeed;
                _onlyYielding = onlyYielding;
            }

            /// <summary>The names that can matter to this question (a unit mentioning none of them is not bound).</summary>
            public NameSet Names { get; }

            /// <summary>Whether the forward cone has been computed (for tests).</summary>
            public bool UsesCone => Volatile.Read(ref _cone) is not null;

            /// <summary>Computes the cone now if every question is to be answered from it (a budget of 0).</summary>
            public void PrepareCone(CancellationToken cancellationToken)
            {
                if (Budget(cancellationToken) == 0) TryGetCone(cancellationToken);
            }

            /// <summary>Whether <paramref name="unit"/> references, by symbol, a relevant member.</summary>
            public bool IsConfirmed(Unit unit, CancellationToken cancellationToken) => Reaches(new Node(NodeKind.Unit, unit), cancellationToken);

            /// <summary>Whether <paramref name="member"/> (normalized) is relevant.</summary>
            public bool IsRelevant(ISymbol member, CancellationToken cancellationToken) => Reaches(new Node(NodeKind.Member, member), cancellationToken);

            private bool Reaches(Node root, CancellationToken cancellationToken)
            {
                if (Volatile.Read(ref _cone) is { } cone) return cone.Contains(root, cancellationToken);
                if (_answers.TryGetValue(root, out var known)) return known;
                if (Budget(cancellationToken) == 0 && TryGetCone(cancellationToken) is { } first) return first.Contains(root, cancellationToken);
                var boundBefore = _index.BoundUnitCount;
                var visited = new HashSet<Node> { root };
                var stack = new List<(Node Node, IEnumerator<Node?> Edges)> { (root, Edges(root, cancellationToken).GetEnumerator()) };
                var askCone = true;
                while (stack.Count > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (askCone && Volatile.Read(ref _boundBackward) + (_index.BoundUnitCount - boundBefore) > Budget(cancellationToken))
                    {
                        // Another thread computing the cone is not waited for: this search goes on meanwhile.
                        if (TryGetCone(cancellationToken) is { } computed) return computed.Contains(root, cancellationToken);
                        askCone = false;
                    }

                    var top = stack[stack.Count - 1];
                    if (!top.Edges.MoveNext())
                    {
                        stack.RemoveAt(stack.Count - 1);
                        continue;
                    }

                    var next = top.Edges.Current;
                    if (next is null || (_answers.TryGetValue(next, out var answer) && answer))
                    {
                        foreach (var frame in stack) _answers[frame.Node] = true;
                        Interlocked.Add(ref _boundBackward, _index.BoundUnitCount - boundBefore);
                        return true;
                    }

                    if (_answers.ContainsKey(next) || !visited.Add(next)) continue;
                    stack.Add((next, Edges(next, cancellationToken).GetEnumerator()));
                }

                foreach (var node in visited) _answers.TryAdd(node, false);
                Interlocked.Add(ref _boundBackward, _index.BoundUnitCount - boundBefore);
                return false;
            }

            /// <summary>Whether <paramref name="symbol"/> is a seed of this query, or (for the second query) relevant to the sources query.</summary>
            private bool IsSeed(ISymbol symbol, CancellationToken cancellationToken)
            {
                if (_isSeed(symbol)) return true;
                if (_values is null) return false;
                var member = Normalize(symbol);
                return _values.Names.Contains(SimpleName(member)) && _values.IsRelevant(member, cancellationToken);
            }

            /// <summary>
            /// How many units the backward searches may bind before the cone answers: the configured budget, or
            /// twice the units that mention a seed's name if more (the cone binds at least those, so a search that
            /// binds fewer is cheaper than it: an editor asking about one document stays backward). For the sources
            /// question, none when the names that can matter no longer filter (<see cref="UnitIndex.NamesFilter"/>
            /// false) while few units mention a seed's name (an eighth of the units of the trees that can matter, or
            /// fewer): that question is asked of every body the driver hands over, a backward search then walks every
            /// reference of every unit it meets, and proving one "no" binds about as much as the cone, which starts
            /// from those few units. Where most units mention a seed's name (code that uses the snapshot APIs
            /// everywhere) the cone is most of the compilation, and an editor's request stays backward. (The second
            /// question is asked only of callees of the bodies analyzed: its backward searches stay cheaper than
            /// its cone, the transitive callers of every sink.)
            /// </summary>
            private int Budget(CancellationToken cancellationToken)
            {
                var budget = Volatile.Read(ref _budget);
                if (budget >= 0) return budget;
                budget = _backwardBudget;
                if (budget > 0)
                {
                    var mentioning = new HashSet<Unit>();
                    foreach (var name in _seedNames)
                    {
                        foreach (var unit in _index.Mentioning(name, cancellationToken)) mentioning.Add(unit);
                    }

                    budget = budget < int.MaxValue && _values is null && !_index.NamesFilter && 8 * mentioning.Count <= _index.CandidateUnitCount(cancellationToken)
                        ? 0
                        : Math.Max(budget, 2 * mentioning.Count);
                }

                Volatile.Write(ref _budget, budget);
                return budget;
            }

            /// <summary>The cone, computed by this thread if no other is computing it; null while another is.</summary>
            private Cone? TryGetCone(CancellationToken cancellationToken)
            {
                if (Volatile.Read(ref _cone) is { } cone) return cone;
                if (!Monitor.TryEnter(_coneLock)) return null;
                try
                {
                    if (_cone is null)
                    {
                        var computed = new Cone(this);
                        computed.Compute(cancellationToken);
                        Volatile.Write(ref _cone, computed);
                    }

                    return _cone;
                }
                finally
                {
                    Monitor.Exit(_coneLock);
                }
            }

            /// <summary>Where <paramref name="node"/> leads: null for a seed, else the units and members it is relevant through.</summary>
            private IEnumerable<Node?> Edges(Node node, CancellationToken cancellationToken)
            {
                switch (node.Kind)
                {
                    case NodeKind.Unit:
                        var unit = (Unit)node.Value;
                        if (!Names.MentionedIn(unit)) yield break;
                        foreach (var (name, symbol) in _index.Hits(unit, cancellationToken))
                        {
                            if (!Names.Contains(name)) continue;
                            if (IsSeed(symbol, cancellationToken))
                            {
                                yield return null;
                                yield break;
                            }

                            yield return new Node(NodeKind.Member, Normalize(symbol));
                        }

                        break;

                    case NodeKind.Member:
                        var member = (ISymbol)node.Value;
                        if (IsSeed(member, cancellationToken))
                        {
                            yield return null;
                            yield break;
                        }

                        var simpleName = SimpleName(member);
                        if (!Names.Contains(simpleName)) yield break;
                        foreach (var declaring in Declaring(member, cancellationToken)) yield return declaring;

                        // Only a member of the compilation's own source is assigned where the engine looks (MemberTaints).
                        if (_values is null && member is IFieldSymbol or IPropertySymbol && !member.DeclaringSyntaxReferences.IsEmpty)
                        {
                            Unit? previous = null;
                            foreach (var (assigning, _) in _index.AssigningUnits(member, simpleName, cancellationToken))
                            {
                                if (ReferenceEquals(assigning, previous)) continue;
                                previous = assigning;
                                yield return new Node(NodeKind.Unit, assigning);
                            }
                        }

                        // A call through an interface or base method may dispatch to an implementation or override relevant by
                        // its own unit: the targets the engine summarizes for such a call (DispatchTargets.Of), no others.
                        if (member is IMethodSymbol method)
                        {
                            var targets = _dispatch.Of(method, cancellationToken);
                            if (!targets.IsDefault)
                            {
                                foreach (var target in targets) yield return new Node(NodeKind.Declared, Normalize(target));
                            }
                        }

                        break;

                    case NodeKind.Declared:
                        foreach (var declaring in Declaring((ISymbol)node.Value, cancellationToken)) yield return declaring;
                        break;
                }
            }

            /// <summary>The units declaring <paramref name="member"/>, through which it is relevant (for the sources question only when it can hand a value to its caller).</summary>
            private IEnumerable<Node> Declaring(ISymbol member, CancellationToken cancellationToken)
            {
                if (_onlyYielding && !MayYield(member)) yield break;
                foreach (var unit in _index.Declaring(member, cancellationToken))
                {
                    yield return new Node(NodeKind.Unit, unit);
                }
            }
        }

        private enum NodeKind
        {
            /// <summary>A unit: relevant when it references a relevant member.</summary>
            Unit,

            /// <summary>A member: relevant as a seed, through a unit declaring or assigning it, or through an implementation.</summary>
            Member,

            /// <summary>A member relevant through a unit declaring it only (what makes an interface or base member relevant).</summary>
            Declared,
        }

        private sealed class Node : IEquatable<Node>
        {
            public Node(NodeKind kind, object value)
            {
                Kind = kind;
                Value = value;
            }

            public NodeKind Kind { get; }

            public object Value { get; }

            public bool Equals(Node? other) =>
                other is not null && other.Kind == Kind &&
                (Kind == NodeKind.Unit ? ReferenceEquals(other.Value, Value) : SymbolEqualityComparer.Default.Equals((ISymbol)other.Value, (ISymbol)Value));

            public override bool Equals(object? obj) => Equals(obj as Node);

            public override int GetHashCode() =>
                ((int)Kind * 397) ^ (Kind == NodeKind.Unit ? Value.GetHashCode() : SymbolEqualityComparer.Default.GetHashCode((ISymbol)Value));
        }
    }
}
