using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

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

        private RelevantNames(HashSet<string> names) => _names = names;

        public bool Contains(string name) => _names.Contains(name);

        public int Count => _names.Count;

        /// <summary>Whether any identifier in <paramref name="node"/> is a relevant name.</summary>
        public bool IsMentionedIn(SyntaxNode node)
        {
            foreach (var token in node.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken) && _names.Contains(token.ValueText)) return true;
            }

            return false;
        }

        public static RelevantNames Build(WellKnownSymbols symbols, int levels, CancellationToken cancellationToken)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var compilation = symbols.Compilation;

            // Seeds: annotated members of PeerNet and of every referenced assembly that declares one of
            // the attributes (by name).
            var assemblies = new List<IAssemblySymbol>();
            if (symbols.NetworkClient?.ContainingAssembly is { } peerNet) assemblies.Add(peerNet);
            foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
            {
                if (!WellKnownSymbols.MayDeclareAttributes(assembly)) continue;
                var typeNames = assembly.TypeNames;
                if (typeNames.Contains(WellKnownSymbols.CachedSnapshotReadName) || typeNames.Contains(WellKnownSymbols.RequiresCurrentProtocolName) ||
                    typeNames.Contains(WellKnownSymbols.SnapshotVersionCheckName))
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
                        bool relevant = member switch
                        {
                            IMethodSymbol m => symbols.IsSnapshotRead(m) || symbols.IsVersionCheck(m) || !symbols.SinkParameters(m).IsEmpty,
                            IPropertySymbol p => symbols.IsSnapshotRead(p) || symbols.IsVersionCheck(p),
                            _ => false,
                        };
                        if (relevant) names.Add(member.Name);
                    }
                }
            }

            // Configured extras.
            foreach (var s in symbols.Configured.Sources.Concat(symbols.Configured.VersionChecks).Concat(symbols.Configured.Sinks.Keys))
            {
                names.Add(s.Name);
            }

            // One pass over the source: every member declaration (a unit) with the distinct identifiers it
            // mentions; a unit that mentions an attribute name is checked for the annotation itself.
            var units = new List<Unit>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var tree in compilation.SyntaxTrees)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes(n => n is not (BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax or VariableDeclaratorSyntax)))
                {
                    Unit? unit = node switch
                    {
                        MethodDeclarationSyntax m => new Unit(m.Identifier.ValueText, m),
                        BaseMethodDeclarationSyntax b => new Unit(null, b),
                        PropertyDeclarationSyntax p => new Unit(p.Identifier.ValueText, p),
                        IndexerDeclarationSyntax i => new Unit("this[]", i),
                        BasePropertyDeclarationSyntax e => new Unit(null, e),
                        VariableDeclaratorSyntax { Parent.Parent: BaseFieldDeclarationSyntax } v => new Unit(v.Identifier.ValueText, v),
                        _ => null,
                    };
                    if (unit is null) continue;
                    seen.Clear();
                    var mentionsAttribute = false;
                    foreach (var token in unit.Node.DescendantTokens())
                    {
                        if (token.IsKind(SyntaxKind.IdentifierToken) && seen.Add(token.ValueText) && IsAttributeName(token.ValueText)) mentionsAttribute = true;
                    }

                    unit.Identifiers = new string[seen.Count];
                    seen.CopyTo(unit.Identifiers);
                    if (unit.Name is not null && mentionsAttribute && HasAnnotation(unit.Node)) names.Add(unit.Name);
                    units.Add(unit);
                }
            }

            // Closure, level by level: a unit that mentions a name of the frontier is relevant, and so are
            // its name and the members it assigns.
            var frontier = new HashSet<string>(names, StringComparer.Ordinal);
            for (int level = 0; level <= levels && frontier.Count > 0; level++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var next = new HashSet<string>(StringComparer.Ordinal);
                foreach (var unit in units)
                {
                    if (unit.Added || !MentionsAny(unit.Identifiers, frontier)) continue;
                    unit.Added = true;
                    if (unit.Name is not null && names.Add(unit.Name)) next.Add(unit.Name);
                    foreach (var assigned in AssignedMembers(unit.Node))
                    {
                        if (names.Add(assigned)) next.Add(assigned);
                    }
                }

                frontier = next;
            }

            return new RelevantNames(names);
        }

        private static bool MentionsAny(string[] identifiers, HashSet<string> names)
        {
            foreach (var identifier in identifiers)
            {
                if (names.Contains(identifier)) return true;
            }

            return false;
        }

        private static bool IsAttributeName(string name) =>
            name is "CachedSnapshotRead" or "RequiresCurrentProtocol" or "SnapshotVersionCheck" or
                WellKnownSymbols.CachedSnapshotReadName or WellKnownSymbols.RequiresCurrentProtocolName or WellKnownSymbols.SnapshotVersionCheckName;

        /// <summary>Whether the member, one of its own parameters, or one of its accessors carries one of the attributes.</summary>
        private static bool HasAnnotation(SyntaxNode node)
        {
            if (node is MemberDeclarationSyntax member && HasAnnotation(member.AttributeLists)) return true;
            var parameters = node switch
            {
                BaseMethodDeclarationSyntax m => m.ParameterList.Parameters,
                IndexerDeclarationSyntax i => i.ParameterList.Parameters,
                _ => default,
            };
            foreach (var parameter in parameters)
            {
                if (HasAnnotation(parameter.AttributeLists)) return true;
            }

            if (node is BasePropertyDeclarationSyntax { AccessorList: { } accessors })
            {
                foreach (var accessor in accessors.Accessors)
                {
                    if (HasAnnotation(accessor.AttributeLists)) return true;
                }
            }

            return false;
        }

        private static bool HasAnnotation(SyntaxList<AttributeListSyntax> lists)
        {
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
                    if (IsAttributeName(name)) return true;
                }
            }

            return false;
        }

        /// <summary>Names of fields/properties assigned in <paramref name="node"/> (not its locals or parameters).</summary>
        private static IEnumerable<string> AssignedMembers(SyntaxNode node)
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
                    _ => null,
                };
                switch (target)
                {
                    case IdentifierNameSyntax id when !locals.Contains(id.Identifier.ValueText):
                        yield return id.Identifier.ValueText;
                        break;
                    case MemberAccessExpressionSyntax member:
                        yield return member.Name.Identifier.ValueText;
                        break;
                    case MemberBindingExpressionSyntax binding:
                        yield return binding.Name.Identifier.ValueText;
                        break;
                }
            }

            if (node is VariableDeclaratorSyntax field) yield return field.Identifier.ValueText;
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

            public bool Added { get; set; }
        }
    }
}
