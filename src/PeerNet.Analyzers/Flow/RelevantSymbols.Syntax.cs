using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// The syntactic side of the gate: trees split into member units with the identifiers they mention, the
    /// annotations they carry and the members they assign; nothing here binds.
    /// </summary>
    internal sealed partial class RelevantSymbols
    {
        [Flags]
        private enum AnnotationKind
        {
            None = 0,
            Source = 1,
            Other = 2,
        }

        /// <summary>The name of an indexer (its symbol's and its unit's), which element accesses mention.</summary>
        private const string IndexerName = "this[]";

        /// <summary>What a tree's text must contain to declare or apply an annotation (the short names are in the long ones).</summary>
        private static readonly string[] AttributeBaseNames = WellKnownSymbols.AnnotationShortNames.ToArray();

        /// <summary>What an element access's text holds (<see cref="TreeText.ContainsAny"/>).</summary>
        private static readonly string[] OpenBracket = { "[" };

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
        /// What <paramref name="node"/> (a unit) assigns, to be bound: the assignment target (or the unit
        /// itself for an initialized field or property) and the site that assigns it (the method or accessor
        /// around the assignment, or the declaration of an initialized field or property).
        /// </summary>
        private static IEnumerable<(SyntaxNode Target, SyntaxNode Site)> Assignments(SyntaxNode node)
        {
            foreach (var n in node.DescendantNodesAndSelf())
            {
                if (AssignmentTarget(n) is not { } target) continue;
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

                yield return (target, site ?? node); // e.g. in an expression-bodied property: relevant, no summary site
            }

            if (InitializedDeclaration(node) is { } declaration) yield return (declaration, declaration);
        }

        /// <summary>A field's declarator or a property with an initializer: the unit assigns the member it declares.</summary>
        private static SyntaxNode? InitializedDeclaration(SyntaxNode unit) => unit switch
        {
            VariableDeclaratorSyntax { Initializer: not null } field => field,
            PropertyDeclarationSyntax { Initializer: not null } property => property,
            _ => null,
        };

        /// <summary>The name of the member <see cref="InitializedDeclaration"/> declares.</summary>
        private static string? InitializedName(SyntaxNode unit) => InitializedDeclaration(unit) switch
        {
            VariableDeclaratorSyntax field => field.Identifier.ValueText,
            PropertyDeclarationSyntax property => property.Identifier.ValueText,
            _ => null,
        };

        /// <summary>
        /// The member <paramref name="n"/> may assign, to be bound (an assignment's target, a ref or out argument, the
        /// collection a storing call is made on; of an element access, the collection; of a member binding, its
        /// name), or null: nothing, or a local, a parameter or a discard (a local is no member: it never makes one relevant).
        /// </summary>
        private static ExpressionSyntax? AssignmentTarget(SyntaxNode n)
        {
            ExpressionSyntax? target = n switch
            {
                AssignmentExpressionSyntax a => a.Left,
                ArgumentSyntax { RefKindKeyword.RawKind: not 0 } arg => arg.Expression,
                InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax stores } when CollectionModels.StoringMethods.Contains(stores.Name.Identifier.ValueText) => stores.Expression,
                _ => null,
            };
            while (target is ElementAccessExpressionSyntax element) target = element.Expression; // cache[key] = value
            return target switch
            {
                IdentifierNameSyntax simple => IsLocalOrDiscard(simple) ? null : simple,
                MemberAccessExpressionSyntax access => access,
                MemberBindingExpressionSyntax binding => binding.Name,
                _ => null,
            };
        }

        /// <summary>
        /// Whether the simple name <paramref name="name"/> certainly denotes a local, a parameter or a discard at
        /// its position, from syntax alone: a parameter of an enclosing method, lambda, local function or
        /// accessor (<c>value</c>), or a local declared by a statement of an enclosing block or switch section
        /// (a local's scope is its whole block), or by an enclosing for, foreach, using, fixed or catch. What is
        /// not certain (pattern and out variables, query variables) counts as a possible member.
        /// </summary>
        private static bool IsLocalOrDiscard(IdentifierNameSyntax name)
        {
            var text = name.Identifier.ValueText;

            // In an object or with initializer (`new T { X = v }`, `r with { X = v }`) the name is a member of the
            // created object, whatever locals are in scope.
            if (name.Parent is AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax initializer } assignment && assignment.Left == name &&
                initializer.IsKind(SyntaxKind.ObjectInitializerExpression) || name.Parent?.Parent is InitializerExpressionSyntax { Parent: WithExpressionSyntax })
            {
                return false;
            }

            if (text == "_") return true;
            for (SyntaxNode? node = name.Parent; node is not null; node = node.Parent)
            {
                switch (node)
                {
                    case BlockSyntax block when DeclaresLocal(block.Statements, text):
                    case SwitchSectionSyntax section when DeclaresLocal(section.Statements, text):
                    case ForStatementSyntax { Declaration: { } forDeclaration } when Declares(forDeclaration, text):
                    case UsingStatementSyntax { Declaration: { } usingDeclaration } when Declares(usingDeclaration, text):
                    case FixedStatementSyntax fixedStatement when Declares(fixedStatement.Declaration, text):
                    case ForEachStatementSyntax forEach when forEach.Identifier.ValueText == text:
                    case CatchClauseSyntax { Declaration: { } catchDeclaration } when catchDeclaration.Identifier.ValueText == text:
                    case SimpleLambdaExpressionSyntax simpleLambda when simpleLambda.Parameter.Identifier.ValueText == text:
                    case ParenthesizedLambdaExpressionSyntax lambda when HasParameter(lambda.ParameterList, text):
                    case AnonymousMethodExpressionSyntax { ParameterList: { } anonymousParameters } when HasParameter(anonymousParameters, text):
                    case LocalFunctionStatementSyntax localFunction when HasParameter(localFunction.ParameterList, text):
                    case BaseMethodDeclarationSyntax method when HasParameter(method.ParameterList, text):
                    case IndexerDeclarationSyntax indexer when HasParameter(indexer.ParameterList, text):
                    case AccessorDeclarationSyntax accessor when text == "value" && accessor.Kind() is SyntaxKind.SetAccessorDeclaration or SyntaxKind.InitAccessorDeclaration or SyntaxKind.AddAccessorDeclaration or SyntaxKind.RemoveAccessorDeclaration:
                        return true;
                    case MemberDeclarationSyntax:
                        return false;
                }
            }

            return false;
        }

        private static bool DeclaresLocal(SyntaxList<StatementSyntax> statements, string name)
        {
            foreach (var statement in statements)
            {
                var declaration = statement switch
                {
                    LocalDeclarationStatementSyntax local => local.Declaration,
                    LabeledStatementSyntax { Statement: LocalDeclarationStatementSyntax labeled } => labeled.Declaration,
                    _ => null,
                };
                if (declaration is not null && Declares(declaration, name)) return true;
                if (statement is LocalFunctionStatementSyntax function && function.Identifier.ValueText == name) return true;
            }

            return false;
        }

        private static bool Declares(VariableDeclarationSyntax declaration, string name)
        {
            foreach (var variable in declaration.Variables)
            {
                if (variable.Identifier.ValueText == name) return true;
            }

            return false;
        }

        private static bool HasParameter(BaseParameterListSyntax list, string name)
        {
            foreach (var parameter in list.Parameters)
            {
                if (parameter.Identifier.ValueText == name) return true;
            }

            return false;
        }

        /// <summary>
        /// One syntax tree's syntactic facts, computed once per tree and kept as long as the tree lives (a
        /// weak table keyed by the immutable tree): whether its text contains a name (<see cref="TreeText"/>), and its units. Nothing
        /// here depends on a compilation, so an editor's next compilation (which reuses the unchanged trees)
        /// gets them for free; every semantic fact is per compilation (<see cref="RelevanceQuery"/>).
        /// </summary>
        private sealed class SourceTree
        {
            private static readonly ConditionalWeakTable<SyntaxTree, SourceTree> s_trees = new ConditionalWeakTable<SyntaxTree, SourceTree>();
            private Split? _split;

            private SourceTree(SyntaxTree tree) => Tree = tree;

            public static SourceTree For(SyntaxTree tree) => s_trees.GetValue(tree, t => new SourceTree(t));

            public SyntaxTree Tree { get; }

            /// <summary>Whether the tree's units have been read (what each mentions and assigns).</summary>
            public bool IsRead => Volatile.Read(ref _split) is { IsRead: true };

            /// <summary>Whether the text contains one of <paramref name="names"/> (an element access for the indexers' name: a '[').</summary>
            public bool ContainsAny(IEnumerable<string> names) => TreeText.ContainsAny(Tree, names.Select(n => n == IndexerName ? "[" : n));

            /// <summary>The tree's units (their nodes and names; what each mentions and assigns is read on first use: <see cref="Split.Read"/>).</summary>
            public List<Unit> GetUnits(CancellationToken cancellationToken) => GetSplit(cancellationToken).Units;

            /// <summary>The names of the parameters of the tree's type declarations (a record's positional properties; a primary constructor's).</summary>
            public List<string> TypeParameterNames(CancellationToken cancellationToken) => GetSplit(cancellationToken).TypeParameterNames;

            /// <summary>Whether the text may mention <paramref name="name"/> as a word (an element access for the indexers' name: a '['), without splitting the tree.</summary>
            public bool MayMention(string name) =>
                TreeText.MayHoldWord(Tree, name) || (name == IndexerName && TreeText.ContainsAny(Tree, OpenBracket));

            /// <summary><see cref="MayMention"/> for any of the names given by their hashes (<see cref="TreeText.HashesOf"/>), and whether the indexers' name is one of them.</summary>
            public bool MayMentionAny(TreeText.WordHashes hashes, bool indexers) =>
                TreeText.MayHoldAnyHash(Tree, hashes) || (indexers && TreeText.ContainsAny(Tree, OpenBracket));

            /// <summary>The units mentioning <paramref name="name"/> (an identifier; the indexers' name for an element access), in the order of the text.</summary>
            public IReadOnlyList<Unit> Mentioning(string name, CancellationToken cancellationToken) =>
                MayMention(name) ? GetSplit(cancellationToken).Mentioning(name, cancellationToken) : Array.Empty<Unit>();

            /// <summary>The units mentioning one of <paramref name="names"/> (the tree's units are read, with <paramref name="words"/> when they are not yet), each once, in the order of the text.</summary>
            public IEnumerable<Unit> MentioningAny(HashSet<string> names, TreeWords words, CancellationToken cancellationToken)
            {
                var split = GetSplit(cancellationToken);
                split.Read(words, cancellationToken);
                foreach (var unit in split.Units)
                {
                    foreach (var identifier in unit.Identifiers)
                    {
                        if (!names.Contains(identifier)) continue;
                        yield return unit;
                        break;
                    }
                }
            }

            /// <summary>The unit whose node is <paramref name="node"/>, if it is one.</summary>
            public Unit? UnitAt(SyntaxNode node, CancellationToken cancellationToken) =>
                GetSplit(cancellationToken).StartingAt(node.SpanStart) is { } unit && unit.Node.RawKind == node.RawKind && unit.Node.Span == node.Span ? unit : null;

            /// <summary>The tree's units, split on first use.</summary>
            private Split GetSplit(CancellationToken cancellationToken)
            {
                var split = Volatile.Read(ref _split);
                if (split is not null) return split;
                split = Split.Of(Tree, cancellationToken);
                return Interlocked.CompareExchange(ref _split, split, null) ?? split;
            }
        }

        /// <summary>
        /// A tree's units (member declarations), found by a walk that stops at each member (cheap: no body is
        /// entered), and, read once on first need (<see cref="Read"/>), the identifiers each mentions and the names it
        /// assigns. Reading is most of a split's cost: the name closure stops before reading most trees where the
        /// names that can matter no longer filter, and a tree is then read only if a question looks into it.
        /// </summary>
        private sealed class Split
        {
            /// <summary>How many questions of <see cref="Mentioning"/> a split answers by reading its units' identifiers before it indexes them by name.</summary>
            internal const int ScansBeforeIndex = 8;

            private readonly SyntaxTree _tree;
            private readonly object _readLock = new object();
            private volatile bool _read;
            private int _scans;
            private Dictionary<string, List<Unit>>? _byName;

            private Split(SyntaxTree tree, List<Unit> units)
            {
                _tree = tree;
                Units = units;
            }

            public List<Unit> Units { get; }

            /// <summary>Whether <see cref="Read"/> has run.</summary>
            public bool IsRead => _read;

            /// <summary>The names of the parameters of type declarations (a record's positional properties; a primary constructor's).</summary>
            public List<string> TypeParameterNames { get; } = new List<string>();

            /// <summary>
            /// The unit that starts at <paramref name="position"/>, if any: a binary search of <see cref="Units"/>, which the
            /// walk finds in the order of the text (units do not overlap). Not a table by node or by start: a node's hash is
            /// the runtime's object hash, made on first use for each of the thousands of unit nodes, and a table by start,
            /// built for every tree split, cost more than all the lookups made in it (profiles of the split showed both).
            /// </summary>
            public Unit? StartingAt(int position)
            {
                var units = Units;
                int low = 0, high = units.Count - 1;
                while (low <= high)
                {
                    var middle = low + ((high - low) >> 1);
                    var start = units[middle].Node.SpanStart;
                    if (start == position) return units[middle];
                    if (start < position) low = middle + 1;
                    else high = middle - 1;
                }

                return null;
            }

            /// <summary>
            /// The units mentioning <paramref name="name"/>, in the order of the text (the units read first). The first
            /// <see cref="ScansBeforeIndex"/> questions read each unit's identifiers; a split asked more often indexes them
            /// by name once. Most trees are asked about a few names, and a table of every identifier of every tree read
            /// was most of what reading allocated; the index bounds the cost for a tree asked about many.
            /// </summary>
            public IReadOnlyList<Unit> Mentioning(string name, CancellationToken cancellationToken)
            {
                Read(null, cancellationToken);
                var byName = Volatile.Read(ref _byName);
                if (byName is null && Interlocked.Increment(ref _scans) > ScansBeforeIndex) byName = Index();
                if (byName is not null) return byName.TryGetValue(name, out var indexed) ? indexed : (IReadOnlyList<Unit>)Array.Empty<Unit>();
                List<Unit>? units = null;
                foreach (var unit in Units)
                {
                    if (Array.IndexOf(unit.Identifiers, name) >= 0) (units ??= new List<Unit>()).Add(unit);
                }

                return units ?? (IReadOnlyList<Unit>)Array.Empty<Unit>();
            }

            private Dictionary<string, List<Unit>> Index()
            {
                lock (_readLock)
                {
                    if (_byName is { } known) return known;
                    var byName = new Dictionary<string, List<Unit>>(StringComparer.Ordinal);
                    foreach (var unit in Units)
                    {
                        foreach (var identifier in unit.Identifiers)
                        {
                            if (!byName.TryGetValue(identifier, out var list)) byName.Add(identifier, list = new List<Unit>());
                            list.Add(unit);
                        }
                    }

                    Volatile.Write(ref _byName, byName);
                    return byName;
                }
            }

            /// <summary>
            /// Reads what each unit mentions and assigns, once (<see cref="UnitText"/>, or the tokens where the text does
            /// not spell an identifier's value). <paramref name="shared"/>: a word table shared with the other trees the
            /// caller reads on its thread, or null.
            /// </summary>
            public void Read(TreeWords? shared, CancellationToken cancellationToken)
            {
                if (_read) return;
                lock (_readLock)
                {
                    if (_read) return;
                    var words = new UnitText(_tree.GetText(cancellationToken).ToString(), shared ?? new TreeWords());
                    foreach (var unit in Units)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (!words.Read(unit, IsAttributeName, out var identifiers, out var assigned, out var mentionsAttribute))
                        {
                            (identifiers, assigned, mentionsAttribute) = ReadTokens(unit.Node);
                        }

                        unit.SetRead(identifiers, assigned, mentionsAttribute);
                    }

                    _read = true;
                }
            }

            /// <summary>
            /// Whether the walk that splits a tree enters <paramref name="node"/>: not a unit (nothing of a member is a unit of
            /// its own), and not what can hold neither a member nor a type declaration's parameter (directives, attributes,
            /// base lists, types and names, type parameters and their constraints, enums, delegates). The rest (namespaces,
            /// type declarations, their parameter lists, field declarations, top-level statements) is entered.
            /// </summary>
            internal static bool Enters(SyntaxNode node) =>
                node is not (BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax or VariableDeclaratorSyntax or
                    UsingDirectiveSyntax or ExternAliasDirectiveSyntax or AttributeListSyntax or BaseListSyntax or TypeSyntax or
                    TypeParameterListSyntax or TypeParameterConstraintClauseSyntax or EnumDeclarationSyntax or DelegateDeclarationSyntax);

            /// <summary>The units of <paramref name="tree"/>, not read yet.</summary>
            public static Split Of(SyntaxTree tree, CancellationToken cancellationToken)
            {
                var split = new Split(tree, new List<Unit>());
                var root = tree.GetRoot(cancellationToken);
                foreach (var node in root.DescendantNodes(Enters))
                {
                    Unit? unit = node switch
                    {
                        MethodDeclarationSyntax m => new Unit(m.Identifier.ValueText, m, split),
                        BaseMethodDeclarationSyntax b => new Unit(null, b, split),
                        PropertyDeclarationSyntax p => new Unit(p.Identifier.ValueText, p, split),
                        IndexerDeclarationSyntax i => new Unit(IndexerName, i, split),
                        BasePropertyDeclarationSyntax e => new Unit(null, e, split),
                        VariableDeclaratorSyntax { Parent.Parent: BaseFieldDeclarationSyntax } v => new Unit(v.Identifier.ValueText, v, split),
                        _ => null,
                    };
                    if (unit is null)
                    {
                        if (node is ParameterSyntax { Parent: ParameterListSyntax { Parent: TypeDeclarationSyntax } } parameter) split.TypeParameterNames.Add(parameter.Identifier.ValueText);
                        continue;
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    split.Units.Add(unit);
                }

                return split;
            }

            /// <summary>
            /// What <paramref name="node"/> (a unit) mentions and assigns, from one walk of its nodes and tokens: the
            /// identifiers' values (an element access mentions <see cref="IndexerName"/>), the names of what it may assign
            /// (<see cref="AssignmentTarget"/>, and an initialized declaration's own name), whether an identifier is an
            /// annotation's name. What <see cref="UnitText"/> reads from the text, where the text does not spell every
            /// identifier's value (a Unicode escape, a formatting character), and the reference it is tested against.
            /// </summary>
            internal static (string[] Identifiers, string[] Assigned, bool MentionsAttribute) ReadTokens(SyntaxNode node)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                var assigned = new HashSet<string>(StringComparer.Ordinal);
                var mentionsAttribute = false;
                foreach (var item in node.DescendantNodesAndTokensAndSelf())
                {
                    if (item.IsToken)
                    {
                        var token = item.AsToken();
                        if (token.IsKind(SyntaxKind.IdentifierToken) && seen.Add(token.ValueText) && IsAttributeName(token.ValueText)) mentionsAttribute = true;

                        // An element access names no indexer: it mentions "this[]", the indexers' unit name.
                        else if (token.IsKind(SyntaxKind.OpenBracketToken) && token.Parent is BracketedArgumentListSyntax) seen.Add(IndexerName);
                        continue;
                    }

                    if (AssignedName(item.AsNode()!) is { } name) assigned.Add(name);
                }

                if (InitializedName(node) is { } initialized) assigned.Add(initialized);
                var identifiers = new string[seen.Count];
                seen.CopyTo(identifiers);
                return (identifiers, assigned.Count == 0 ? Array.Empty<string>() : assigned.ToArray(), mentionsAttribute);
            }
        }

        /// <summary>The rightmost name of what <paramref name="node"/> may assign (<see cref="AssignmentTarget"/>), or null.</summary>
        private static string? AssignedName(SyntaxNode node) => AssignmentTarget(node) switch
        {
            MemberAccessExpressionSyntax a => a.Name.Identifier.ValueText,
            SimpleNameSyntax n => n.Identifier.ValueText,
            _ => null,
        };

        private sealed class Unit
        {
            private static int s_next;
            private readonly int _hash;

            private readonly Split _split;
            private string[] _identifiers = Array.Empty<string>();
            private string[] _assignedNames = Array.Empty<string>();
            private bool _mentionsAttribute;

            public Unit(string? name, SyntaxNode node, Split split)
            {
                Name = name;
                Node = node;
                _split = split;
                _hash = Interlocked.Increment(ref s_next);
            }

            /// <summary>Identity, as <see cref="object.Equals(object)"/>; the hash is kept in a field (the runtime's object hash, made on first use, showed at 10 % of the closure).</summary>
            public override int GetHashCode() => _hash;

            public override bool Equals(object? obj) => ReferenceEquals(this, obj);

            public string? Name { get; }

            public SyntaxNode Node { get; }

            /// <summary>The identifiers the unit mentions (its tree's units are read on first use of any of them: <see cref="Split.Read"/>).</summary>
            public string[] Identifiers
            {
                get
                {
                    _split.Read(null, CancellationToken.None);
                    return _identifiers;
                }
            }

            /// <summary>Whether an identifier of the unit is an annotation's name.</summary>
            public bool MentionsAttribute
            {
                get
                {
                    _split.Read(null, CancellationToken.None);
                    return _mentionsAttribute;
                }
            }

            /// <summary>The names of the fields and properties the unit may assign (syntactically: the rightmost name of each assignment target).</summary>
            public string[] AssignedNames
            {
                get
                {
                    _split.Read(null, CancellationToken.None);
                    return _assignedNames;
                }
            }

            /// <summary>Sets what <see cref="Split.Read"/> read (before the split publishes that it is read).</summary>
            public void SetRead(string[] identifiers, string[] assignedNames, bool mentionsAttribute)
            {
                _identifiers = identifiers;
                _assignedNames = assignedNames;
                _mentionsAttribute = mentionsAttribute;
            }
        }
    }
}
