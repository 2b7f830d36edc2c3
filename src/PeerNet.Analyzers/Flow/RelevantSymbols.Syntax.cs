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
                ExpressionSyntax? target = n switch
                {
                    AssignmentExpressionSyntax a => a.Left,
                    ArgumentSyntax { RefKindKeyword.RawKind: not 0 } arg => arg.Expression,
                    InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax stores } when CollectionModels.StoringMethods.Contains(stores.Name.Identifier.ValueText) => stores.Expression,
                    _ => null,
                };
                while (target is ElementAccessExpressionSyntax element) target = element.Expression; // cache[key] = value
                if (target is not (IdentifierNameSyntax or MemberAccessExpressionSyntax or MemberBindingExpressionSyntax)) continue;
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

                var bound = target is MemberBindingExpressionSyntax binding ? binding.Name : target;
                yield return (bound, site ?? node); // e.g. in an expression-bodied property: relevant, no summary site
            }

            switch (node)
            {
                case VariableDeclaratorSyntax { Initializer: not null } field:
                    yield return (field, field);
                    break;
                case PropertyDeclarationSyntax { Initializer: not null } property:
                    yield return (property, property);
                    break;
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
        }
    }
}
