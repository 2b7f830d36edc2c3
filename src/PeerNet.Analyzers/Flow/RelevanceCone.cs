using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PeerNet.Analyzers.Flow
{
    internal sealed partial class RelevantSymbols
    {
        private sealed partial class RelevanceQuery
        {
            /// <summary>
            /// Everything relevant to one query, found forward from its seeds: a unit is examined (bound) only
            /// when it mentions a seed's name or the name of a member already found relevant, and confirmed when
            /// one of its references binds to a seed or to a relevant member (at once, or later, when that member
            /// is found relevant). A confirmed unit makes relevant the member it declares (for the sources query
            /// only when the member can hand a value to its caller) and, for the sources query, the fields and
            /// properties it assigns (the second query takes what the sources query finds as seeds instead); a
            /// member it declares that is a dispatch target of an interface or base method (the targets the engine
            /// summarizes, <see cref="DispatchTargets.Of"/>) makes that method relevant. The same least fixed point
            /// as the backward search, so the same answers.
            /// </summary>
            private sealed class Cone
            {
                private readonly RelevanceQuery _query;
                private readonly HashSet<ISymbol> _members = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
                private readonly HashSet<ISymbol> _declared = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
                private readonly HashSet<Unit> _units = new HashSet<Unit>();
                private readonly HashSet<Unit> _examined = new HashSet<Unit>();
                private readonly Dictionary<ISymbol, List<Unit>> _waitingUnits = new Dictionary<ISymbol, List<Unit>>(SymbolEqualityComparer.Default);
                private readonly Dictionary<ISymbol, List<ISymbol>> _waitingDispatch = new Dictionary<ISymbol, List<ISymbol>>(SymbolEqualityComparer.Default);
                private readonly HashSet<ISymbol> _dispatchLooked = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
                private readonly Dictionary<string, Owners> _namesLooked = new Dictionary<string, Owners>(StringComparer.Ordinal);
                private readonly Queue<string> _names = new Queue<string>();
                private readonly Queue<Unit> _confirmed = new Queue<Unit>();

                public Cone(RelevanceQuery query) => _query = query;

                /// <summary>The answer to a node's question, from the cone (an interface or base method: through its dispatch targets).</summary>
                public bool Contains(Node node, CancellationToken cancellationToken)
                {
                    switch (node.Kind)
                    {
                        case NodeKind.Unit:
                            return _units.Contains((Unit)node.Value);
                        case NodeKind.Member:
                            var member = (ISymbol)node.Value;
                            if (_query.IsSeed(member, cancellationToken) || _members.Contains(member)) return true;
                            return member is IMethodSymbol method && _query.Names.Contains(SimpleName(method)) && DispatchesToDeclared(method, cancellationToken);
                        default:
                            return _declared.Contains((ISymbol)node.Value);
                    }
                }

                public void Compute(CancellationToken cancellationToken)
                {
                    foreach (var name in _query._seedNames)
                    {
                        if (_query._seedOwners is { } seedOwners && seedOwners.TryGetValue(name, out var owners) && owners is not null)
                        {
                            foreach (var owner in owners) LookFor(name, owner);
                        }
                        else
                        {
                            LookFor(name, null);
                        }
                    }

                    while (_names.Count > 0 || _confirmed.Count > 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (_confirmed.Count > 0)
                        {
                            Spread(_confirmed.Dequeue(), cancellationToken);
                            continue;
                        }

                        var name = _names.Dequeue();
                        var looked = _namesLooked[name];
                        looked.Queued = false;
                        foreach (var unit in _query._index.Mentioning(name, cancellationToken))
                        {
                            if (_examined.Contains(unit) || !looked.MayBeReferencedIn(unit, _query._index.TypeReach) || !MayNameMember(unit, name)) continue;
                            _examined.Add(unit);
                            Examine(unit, cancellationToken);
                        }
                    }
                }

                /// <summary>
                /// Whether <paramref name="unit"/> names <paramref name="name"/> where a member can be meant: a simple name
                /// that is not in a type-only position (a declaration's type, a type argument, <c>new T(...)</c>, a cast's type,
                /// <c>typeof</c>, a base list). Where a type and a member share a name (Orleans' <c>MembershipTableSnapshot</c>
                /// property of type <c>MembershipTableSnapshot</c>), the units that name only the type are not bound for it.
                /// Such a unit is not marked examined: if it references a member that becomes relevant later, that member's
                /// name is looked for and finds it then. True when the text does not spell the name (a Unicode escape).
                /// </summary>
                private static bool MayNameMember(Unit unit, string name)
                {
                    if (name == IndexerName) return true;
                    var node = unit.Node;
                    var text = node.SyntaxTree.GetText().ToString(node.Span);
                    if (text.IndexOf("\\u", StringComparison.OrdinalIgnoreCase) >= 0) return true; // an escape may spell the name
                    var found = false;
                    for (var at = text.IndexOf(name, StringComparison.Ordinal); at >= 0; at = text.IndexOf(name, at + name.Length, StringComparison.Ordinal))
                    {
                        var end = at + name.Length;
                        if ((at > 0 && TreeText.IsIdentifierPart(text[at - 1])) || (end < text.Length && TreeText.IsIdentifierPart(text[end]))) continue;
                        found = true;
                        var token = node.FindToken(node.SpanStart + at);
                        if (!token.IsKind(SyntaxKind.IdentifierToken) || token.SpanStart != node.SpanStart + at && !(token.SpanStart == node.SpanStart + at - 1 && text[at - 1] == '@')) continue;
                        if (token.Parent is not SimpleNameSyntax simple) continue;
                        ExpressionSyntax top = simple;
                        while (top.Parent is QualifiedNameSyntax qualified && qualified.Right == top) top = qualified;
                        if (top.Parent is AliasQualifiedNameSyntax alias && alias.Name == top) top = alias;
                        if (!SyntaxFacts.IsInTypeOnlyContext(top)) return true;
                    }

                    return !found;
                }

                /// <summary>
                /// Looks for the units that can reference a member named <paramref name="name"/> of the type named
                /// <paramref name="owner"/> (any unit mentioning the name when null: <see cref="TypeReach.OwnerOf(ISymbol)"/>). A
                /// name already looked for is looked for again, among the units not yet examined, when a new owner makes
                /// more of them possible.
                /// </summary>
                private void LookFor(string name, string? owner)
                {
                    if (!_namesLooked.TryGetValue(name, out var looked)) _namesLooked.Add(name, looked = new Owners());
                    if (looked.Add(owner) && !looked.Queued)
                    {
                        looked.Queued = true;
                        _names.Enqueue(name);
                    }
                }

                /// <summary>Binds what <paramref name="unit"/> references: a seed or a relevant member confirms it, anything else may later.</summary>
                private void Examine(Unit unit, CancellationToken cancellationToken)
                {
                    if (!_query.Names.MentionedIn(unit)) return;
                    foreach (var (name, symbol) in _query._index.Hits(unit, cancellationToken))
                    {
                        if (!_query.Names.Contains(name)) continue;
                        var member = Normalize(symbol);
                        if (_query.IsSeed(symbol, cancellationToken) || _query.IsSeed(member, cancellationToken) || _members.Contains(member))
                        {
                            Confirm(unit);
                            return;
                        }

                        if (!_waitingUnits.TryGetValue(member, out var waiting)) _waitingUnits.Add(member, waiting = new List<Unit>());
                        waiting.Add(unit);
                        if (member is IMethodSymbol method && _dispatchLooked.Add(method) && _query.Names.Contains(SimpleName(method)))
                        {
                            var targets = _query._dispatch.Of(method, cancellationToken);
                            if (targets.IsDefault) continue;
                            foreach (var target in targets)
                            {
                                var normalized = Normalize(target);
                                if (_declared.Contains(normalized))
                                {
                                    Relevant(method);
                                    break;
                                }

                                if (!_waitingDispatch.TryGetValue(normalized, out var through)) _waitingDispatch.Add(normalized, through = new List<ISymbol>());
                                through.Add(method);
                            }
                        }

                        if (_units.Contains(unit)) return;
                    }
                }

                private void Confirm(Unit unit)
                {
                    if (_units.Add(unit)) _confirmed.Enqueue(unit);
                }

                /// <summary>What a confirmed unit makes relevant: the member it declares, the members it assigns.</summary>
                private void Spread(Unit unit, CancellationToken cancellationToken)
                {
                    if (_query._index.DeclaredBy(unit, cancellationToken) is { } declared && (!_query._onlyYielding || MayYield(declared)))
                    {
                        Relevant(declared);
                        if (_declared.Add(declared) && _waitingDispatch.TryGetValue(declared, out var through))
                        {
                            foreach (var method in through) Relevant(method);
                        }
                    }

                    if (_query._values is not null) return;
                    foreach (var (assigned, _) in _query._index.Assigned(unit, cancellationToken)) Relevant(assigned);
                }

                private void Relevant(ISymbol member)
                {
                    var name = SimpleName(member);
                    if (!_query.Names.Contains(name) && !_query._isSeed(member)) return;
                    if (!_members.Add(member)) return;
                    if (_waitingUnits.TryGetValue(member, out var waiting))
                    {
                        foreach (var unit in waiting) Confirm(unit);
                    }

                    if (_query._seedOwners is null)
                    {
                        LookFor(name, null);
                        return;
                    }

                    LookFor(name, TypeReach.OwnerOf(member));
                    foreach (var owner in TypeReach.DispatchOwnersOf(member, name)) LookFor(name, owner);
                }

                /// <summary>The types whose members of one name are looked for; any type once one is not known.</summary>
                private sealed class Owners
                {
                    private HashSet<string>? _types = new HashSet<string>(StringComparer.Ordinal);

                    public bool Queued { get; set; }

                    /// <summary>Adds a type (null: any); whether that makes more units possible.</summary>
                    public bool Add(string? owner)
                    {
                        if (_types is null) return false;
                        if (owner is not null) return _types.Add(owner);
                        _types = null;
                        return true;
                    }

                    public bool MayBeReferencedIn(Unit unit, TypeReach reach)
                    {
                        if (_types is null) return true;
                        foreach (var owner in _types)
                        {
                            if (reach.MayReference(unit, owner)) return true;
                        }

                        return false;
                    }
                }

                private bool DispatchesToDeclared(IMethodSymbol method, CancellationToken cancellationToken)
                {
                    var targets = _query._dispatch.Of(method, cancellationToken);
                    if (targets.IsDefault) return false;
                    foreach (var target in targets)
                    {
                        if (_declared.Contains(Normalize(target))) return true;
                    }

                    return false;
                }
            }
        }
    }
}
