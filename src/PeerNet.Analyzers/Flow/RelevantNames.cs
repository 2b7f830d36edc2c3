using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// A syntax-only, per-compilation over-approximation of which member names can matter: the names of
    /// snapshot reads, sinks and version checks (PeerNet's, annotated in source, configured), closed over
    /// "a member whose body mentions a relevant name is relevant" (and the fields and properties it
    /// assigns) for as many levels as summaries follow calls. A body that mentions none of these names
    /// cannot contain a source, and a callee whose name is not among them is not summarized: this keeps
    /// the analyzer from binding the rest of the compilation.
    /// </summary>
    internal sealed class RelevantNames
    {
        private readonly HashSet<string> _names;
        private readonly Dictionary<(SyntaxTree, TextSpan), Unit> _units;
        private readonly Dictionary<string, List<SyntaxNode>> _assignmentSites;

        private readonly HashSet<SyntaxTree> _splitTrees;
        private readonly HashSet<SyntaxTree> _compilationTrees;

        private RelevantNames(HashSet<string> names, Dictionary<(SyntaxTree, TextSpan), Unit> units, HashSet<SyntaxTree> splitTrees, HashSet<SyntaxTree> compilationTrees, Dictionary<string, List<SyntaxNode>> assignmentSites)
        {
            _names = names;
            _units = units;
            _splitTrees = splitTrees;
            _compilationTrees = compilationTrees;
            _assignmentSites = assignmentSites;
        }

        public bool Contains(string name) => _names.Contains(name);

        public int Count => _names.Count;

        /// <summary>
        /// Whether any identifier in <paramref name="node"/> is a relevant name. A body of a member
        /// declaration is answered from the pass that built the names (per member, not per accessor);
        /// anything else (top-level statements, a node of another tree) is scanned.
        /// </summary>
        public bool IsMentionedIn(SyntaxNode node)
        {
            var member = node switch
            {
                AccessorDeclarationSyntax { Parent.Parent: BasePropertyDeclarationSyntax property } => property,
                ArrowExpressionClauseSyntax { Parent: BasePropertyDeclarationSyntax property } => property,
                EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax or VariableDeclaratorSyntax } equals => equals.Parent,
                _ => node,
            };
            if (member is not null && _units.TryGetValue((member.SyntaxTree, member.Span), out var unit) && unit.Node == member) return unit.Mentions;
            if (member is not null && !_splitTrees.Contains(member.SyntaxTree) && _compilationTrees.Contains(member.SyntaxTree)) return false; // its text has no relevant name

            foreach (var token in node.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken) && _names.Contains(token.ValueText)) return true;
            }

            return false;
        }

        /// <summary>
        /// The methods, accessors and initializers of relevant members that assign something named
        /// <paramref name="name"/> (only they can assign it a snapshot-derived value).
        /// </summary>
        public IReadOnlyList<SyntaxNode> AssignmentSites(string name) =>
            _assignmentSites.TryGetValue(name, out var sites) ? sites : (IReadOnlyList<SyntaxNode>)Array.Empty<SyntaxNode>();

        public static RelevantNames Build(WellKnownSymbols symbols, int levels, CancellationToken cancellationToken)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var sourceSeeds = new HashSet<string>(StringComparer.Ordinal);
            var compilation = symbols.Compilation;

            // Seeds: annotated members of PeerNet and of every referenced assembly that declares one of
            // the attributes (by name).
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
                foreach (var type in AllTypes(assembly.GlobalNamespace))
                {
                    foreach (var member in type.GetMembers())
                    {
                        var source = member is IMethodSymbol or IPropertySymbol && symbols.IsSnapshotRead(member);
                        bool relevant = source || member switch
                        {
                            IMethodSymbol m => symbols.IsVersionCheck(m) || !symbols.SinkParameters(m).IsEmpty,
                            IPropertySymbol p => symbols.IsVersionCheck(p),
                            _ => false,
                        };
                        if (relevant) names.Add(member.Name);
                        if (source) sourceSeeds.Add(member.Name);
                    }
                }
            }

            // Configured extras.
            foreach (var s in symbols.Configured.Sources.Concat(symbols.Configured.VersionChecks).Concat(symbols.Configured.Sinks.Keys))
            {
                names.Add(s.Name);
            }

            foreach (var s in symbols.Configured.Sources)
            {
                sourceSeeds.Add(s.Name);
            }

            // The source, level by level. A tree is split into units (member declarations, each with the
            // distinct identifiers it mentions) only once its text contains a name being looked for; most
            // trees of a large project never are.
            var trees = new List<SourceTree>();
            foreach (var tree in compilation.SyntaxTrees)
            {
                trees.Add(new SourceTree(tree));
            }

            // Members annotated in source (the attribute's name appears in the text of its tree).
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

            // Two closures: a unit that mentions a name of the frontier is relevant, and so are its name and
            // the members it assigns. From the snapshot reads alone: the bodies worth analyzing (no source
            // can reach one that mentions none of these) and the sites that can assign a field or property
            // a snapshot-derived value. From every seed (sinks and version checks too): the methods worth
            // summarizing. The last frontier is looked for too (a body that mentions it is analyzed), but
            // not followed further.
            var assignmentSites = new Dictionary<string, List<SyntaxNode>>(StringComparer.Ordinal);
            var sourceNames = new HashSet<string>(sourceSeeds, StringComparer.Ordinal);
            Close(trees, sourceNames, levels, assignmentSites, cancellationToken);
            names.UnionWith(sourceNames);
            Close(trees, names, levels, null, cancellationToken);

            var units = new Dictionary<(SyntaxTree, TextSpan), Unit>();
            var split = new HashSet<SyntaxTree>();
            foreach (var tree in trees)
            {
                if (!tree.IsSplit) continue;
                split.Add(tree.Tree);
                foreach (var unit in tree.GetUnits(cancellationToken))
                {
                    units[(tree.Tree, unit.Node.Span)] = unit;
                }
            }

            return new RelevantNames(names, units, split, new HashSet<SyntaxTree>(compilation.SyntaxTrees), assignmentSites);
        }

        /// <summary>
        /// Closes <paramref name="names"/> over the source, level by level. With <paramref name="assignmentSites"/>
        /// (the snapshot-read closure) it marks the units that mention a name as bodies to analyze and records
        /// their assignment sites; without (the closure over every seed) it only adds names.
        /// </summary>
        private static void Close(List<SourceTree> trees, HashSet<string> names, int levels, Dictionary<string, List<SyntaxNode>>? assignmentSites, CancellationToken cancellationToken)
        {
            var marked = new HashSet<Unit>();
            var frontier = new HashSet<string>(names, StringComparer.Ordinal);
            for (int level = 0; level <= levels + 1 && frontier.Count > 0; level++)
            {
                var next = new HashSet<string>(StringComparer.Ordinal);
                foreach (var tree in trees)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!tree.ContainsAny(frontier)) continue;
                    foreach (var unit in tree.GetUnits(cancellationToken))
                    {
                        if (marked.Contains(unit) || !MentionsAny(unit.Identifiers, frontier)) continue;
                        marked.Add(unit);
                        if (assignmentSites is not null) unit.Mentions = true;
                        if (level > levels) continue;
                        if (unit.Name is not null && names.Add(unit.Name)) next.Add(unit.Name);
                        foreach (var (assigned, site, isMember) in unit.Assignments)
                        {
                            if (assignmentSites is not null)
                            {
                                if (!assignmentSites.TryGetValue(assigned, out var list)) assignmentSites[assigned] = list = new List<SyntaxNode>();
                                if (!list.Contains(site)) list.Add(site);
                            }

                            if (isMember && names.Add(assigned)) next.Add(assigned);
                        }
                    }
                }

                frontier = next;
            }
        }

        [Flags]
        private enum AnnotationKind
        {
            None = 0,
            Source = 1,
            Other = 2,
        }

        /// <summary>What a tree's text must contain to declare or apply an annotation (the short names are in the long ones).</summary>
        /// <summary>The name of an indexer (its symbol's and its unit's), which element accesses mention.</summary>
        private const string IndexerName = "this[]";

        private static readonly string[] AttributeBaseNames = WellKnownSymbols.AnnotationShortNames.ToArray();

        private static bool MentionsAny(string[] identifiers, HashSet<string> names)
        {
            foreach (var identifier in identifiers)
            {
                if (names.Contains(identifier)) return true;
            }

            return false;
        }

        private static bool IsAttributeName(string name) => WellKnownSymbols.IsAnyAnnotationName(name);

        /// <summary>Which of the attributes the member, one of its own parameters, or one of its accessors carries.</summary>
        private static AnnotationKind Annotation(SyntaxNode node)
        {
            var kind = AnnotationKind.None;
            if (node is MemberDeclarationSyntax member) kind |= Annotation(member.AttributeLists);
            var parameters = node switch
            {
                BaseMethodDeclarationSyntax m => m.ParameterList.Parameters,
                IndexerDeclarationSyntax i => i.ParameterList.Parameters,
                _ => default,
            };
            foreach (var parameter in parameters)
            {
                kind |= Annotation(parameter.AttributeLists);
            }

            if (node is BasePropertyDeclarationSyntax { AccessorList: { } accessors })
            {
                foreach (var accessor in accessors.Accessors)
                {
                    kind |= Annotation(accessor.AttributeLists);
                }
            }

            return kind;
        }

        private static AnnotationKind Annotation(SyntaxList<AttributeListSyntax> lists)
        {
            var kind = AnnotationKind.None;
            foreach (var list in lists)
            {
                foreach (var attribute in list.Attributes)
                {
                    var name = attribute.Name switch
                    {
                        QualifiedNameSyntax q => q.Right.Identifier.ValueText,
                        AliasQualifiedNameSyntax a => a.Name.Identifier.ValueText,
                        SimpleNameSyntax s => s.Identifier.ValueText,
                        _ => string.Empty,
                    };
                    if (WellKnownSymbols.IsAnnotationName(name, WellKnownSymbols.CachedSnapshotReadName)) kind |= AnnotationKind.Source;
                    else if (IsAttributeName(name)) kind |= AnnotationKind.Other;
                }
            }

            return kind;
        }

        /// <summary>
        /// What <paramref name="node"/> (a unit) assigns: the assigned name, the site that assigns it (the
        /// method or accessor around the assignment, or the declaration of an initialized field or
        /// property), and whether the name can be a field or property (not one of its locals or parameters).
        /// </summary>
        private static IEnumerable<(string Name, SyntaxNode Site, bool IsMember)> Assignments(SyntaxNode node)
        {
            var locals = new HashSet<string>(StringComparer.Ordinal);
            foreach (var n in node.DescendantNodesAndSelf())
            {
                switch (n)
                {
                    case VariableDeclaratorSyntax v when n != node: locals.Add(v.Identifier.ValueText); break;
                    case ParameterSyntax p: locals.Add(p.Identifier.ValueText); break;
                    case SingleVariableDesignationSyntax d: locals.Add(d.Identifier.ValueText); break;
                    case ForEachStatementSyntax f: locals.Add(f.Identifier.ValueText); break;
                }
            }

            foreach (var n in node.DescendantNodesAndSelf())
            {
                ExpressionSyntax? target = n switch
                {
                    AssignmentExpressionSyntax a => a.Left,
                    ArgumentSyntax { RefKindKeyword.RawKind: not 0 } arg => arg.Expression,
                    InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax stores } when CollectionModels.StoringMethods.Contains(stores.Name.Identifier.ValueText) => stores.Expression,
                    _ => null,
                };
                while (target is ElementAccessExpressionSyntax element) target = element.Expression; // cache[key] = value
                var (name, isMember) = target switch
                {
                    IdentifierNameSyntax id => (id.Identifier.ValueText, !locals.Contains(id.Identifier.ValueText)),
                    MemberAccessExpressionSyntax member => (member.Name.Identifier.ValueText, true),
                    MemberBindingExpressionSyntax binding => (binding.Name.Identifier.ValueText, true),
                    _ => (null, false),
                };
                if (name is null) continue;
                SyntaxNode? site = null;
                for (var a = n.Parent; a is not null; a = a.Parent)
                {
                    if (a is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax)
                    {
                        site = a;
                        break;
                    }

                    if (a == node) break;
                }

                if (site is not null) yield return (name, site, isMember);
                else if (isMember) yield return (name, node, true); // e.g. in an expression-bodied property: relevant, no summary site
            }

            switch (node)
            {
                case VariableDeclaratorSyntax field: // without an initializer it assigns nothing (the taint check skips it)
                    yield return (field.Identifier.ValueText, field, true);
                    break;
                case PropertyDeclarationSyntax { Initializer: not null } property:
                    yield return (property.Identifier.ValueText, property, true);
                    break;
            }
        }

        private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceSymbol ns)
        {
            foreach (var type in ns.GetTypeMembers())
            {
                yield return type;
                foreach (var nested in type.GetTypeMembers())
                {
                    yield return nested;
                }
            }

            foreach (var child in ns.GetNamespaceMembers())
            {
                foreach (var type in AllTypes(child))
                {
                    yield return type;
                }
            }
        }

        /// <summary>One syntax tree: its text (searched for names before anything is parsed into units) and, once needed, its units.</summary>
        private sealed class SourceTree
        {
            private string? _text;
            private List<Unit>? _units;

            public SourceTree(SyntaxTree tree) => Tree = tree;

            public SyntaxTree Tree { get; }

            public bool IsSplit => _units is not null;

            /// <summary>Whether the text contains one of <paramref name="names"/> (a superset of "an identifier is one of them").</summary>
            public bool ContainsAny(IEnumerable<string> names)
            {
                if (_units is not null) return true; // split already: its units are checked one by one
                _text ??= Tree.GetText().ToString();
                foreach (var name in names)
                {
                    if (_text.IndexOf(name == IndexerName ? "[" : name, StringComparison.Ordinal) >= 0) return true;
                }

                return false;
            }

            public List<Unit> GetUnits(CancellationToken cancellationToken)
            {
                if (_units is not null) return _units;
                var units = new List<Unit>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var node in Tree.GetRoot(cancellationToken).DescendantNodes(n => n is not (BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax or VariableDeclaratorSyntax)))
                {
                    Unit? unit = node switch
                    {
                        MethodDeclarationSyntax m => new Unit(m.Identifier.ValueText, m),
                        BaseMethodDeclarationSyntax b => new Unit(null, b),
                        PropertyDeclarationSyntax p => new Unit(p.Identifier.ValueText, p),
                        IndexerDeclarationSyntax i => new Unit(IndexerName, i),
                        BasePropertyDeclarationSyntax e => new Unit(null, e),
                        VariableDeclaratorSyntax { Parent.Parent: BaseFieldDeclarationSyntax } v => new Unit(v.Identifier.ValueText, v),
                        _ => null,
                    };
                    if (unit is null) continue;
                    seen.Clear();
                    foreach (var token in unit.Node.DescendantTokens())
                    {
                        if (token.IsKind(SyntaxKind.IdentifierToken) && seen.Add(token.ValueText) && IsAttributeName(token.ValueText)) unit.MentionsAttribute = true;

                        // An element access names no indexer: it mentions "this[]", the indexers' unit name.
                        else if (token.IsKind(SyntaxKind.OpenBracketToken) && token.Parent is BracketedArgumentListSyntax) seen.Add(IndexerName);
                    }

                    unit.Identifiers = new string[seen.Count];
                    seen.CopyTo(unit.Identifiers);
                    units.Add(unit);
                }

                _text = null; // not needed once split
                return _units = units;
            }
        }

        private sealed class Unit
        {
            public Unit(string? name, SyntaxNode node)
            {
                Name = name;
                Node = node;
            }

            public string? Name { get; }

            public SyntaxNode Node { get; }

            public string[] Identifiers { get; set; } = Array.Empty<string>();

            public bool MentionsAttribute { get; set; }

            private List<(string Name, SyntaxNode Site, bool IsMember)>? _assignments;

            /// <summary>What the unit assigns (computed once; both closures read it).</summary>
            public List<(string Name, SyntaxNode Site, bool IsMember)> Assignments => _assignments ??= RelevantNames.Assignments(Node).ToList();

            /// <summary>Mentions a relevant name (set by the closure).</summary>
            public bool Mentions { get; set; }
        }
    }
}
