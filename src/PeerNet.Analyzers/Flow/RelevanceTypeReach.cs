using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PeerNet.Analyzers.Flow
{
    internal sealed partial class RelevantSymbols
    {
        /// <summary>
        /// Which units can reference a member of a given source type, decided from declarations alone, before
        /// anything is bound. A member of type <c>D</c> is referenced through an expression of type <c>D</c> (or of a
        /// type derived from it), or by its simple name inside such a type. An expression of a member body can have
        /// that type only if the body names something whose declaration says so, since a local's type comes from its
        /// own declaration or initializer in the same body:
        /// <list type="bullet">
        /// <item>the types that can stand for <c>D</c> (<see cref="Reach.Types"/>): <c>D</c>, the types whose base list
        /// names one of them, the aliases and type parameter constraints naming one, the delegates whose signature
        /// names one, and the types whose pattern members (indexers, enumerators' <c>Current</c>, <c>GetEnumerator</c>,
        /// <c>GetAwaiter</c>, <c>GetResult</c>, <c>Deconstruct</c>, <c>Slice</c>, query operators, operators and
        /// conversions) name one, since those yield a value without naming it (for an extension method of such a
        /// name: the types its receiver names);</item>
        /// <item>the names whose declaration's type names one of those (<see cref="Reach.Names"/>): fields, properties,
        /// events, methods (result, parameters, so a lambda handed to one gets its parameter types), constructors
        /// (under their type's name), primary constructor and record parameters.</item>
        /// </list>
        /// A unit can reference the member only if it mentions one of those names or types, lies inside a type
        /// declaration of one of those types (or of a kind not known here, such as an extension block), or its tree
        /// imports one with <c>using static</c>. Names are compared as identifiers, so two types of the same name are
        /// both followed: an over-approximation, never a miss.
        /// </summary>
        private sealed class TypeReach
        {
            /// <summary>Members that yield a value through a pattern, not by name (an indexer is recorded as <see cref="IndexerName"/>).</summary>
            private static readonly HashSet<string> PatternNames = new HashSet<string>(StringComparer.Ordinal)
            {
                "Current", "GetEnumerator", "GetAsyncEnumerator", "GetAwaiter", "GetResult", "Deconstruct", "Slice",
                "Select", "SelectMany", "Where", "Join", "GroupJoin", "OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending", "GroupBy", "Cast",
            };

            private readonly Dictionary<string, List<string>> _typesById = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            private readonly Dictionary<string, List<string[]>> _receiversById = new Dictionary<string, List<string[]>>(StringComparer.Ordinal);
            private readonly Dictionary<string, List<string>> _valuesById = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            private readonly Dictionary<string, List<(SyntaxTree Tree, bool Global)>> _staticsById = new Dictionary<string, List<(SyntaxTree Tree, bool Global)>>(StringComparer.Ordinal);
            private readonly Dictionary<string, Reach> _reach = new Dictionary<string, Reach>(StringComparer.Ordinal);

            /// <summary>Reads every tree's declarations (once per tree) and indexes them by the identifiers that link them.</summary>
            public TypeReach(Compilation compilation, CancellationToken cancellationToken)
            {
                var words = new TreeWords(); // one table for every tree read here (one thread)
                foreach (var tree in compilation.SyntaxTrees)
                {
                    var declarations = Declarations.Of(tree, words, cancellationToken);
                    foreach (var (name, ids) in declarations.TypeLinks) Index(_typesById, ids, name);
                    foreach (var (signature, receiver) in declarations.ReceiverLinks) Index(_receiversById, signature, receiver);
                    foreach (var (name, ids) in declarations.ValueLinks) Index(_valuesById, ids, name);
                    foreach (var (ids, global) in declarations.UsingStatics)
                    {
                        Index(_staticsById, ids, (tree, global));
                    }
                }
            }

            private static void Index<T>(Dictionary<string, List<T>> index, string[] ids, T value)
            {
                foreach (var id in ids)
                {
                    if (!index.TryGetValue(id, out var list)) index.Add(id, list = new List<T>());
                    list.Add(value);
                }
            }

            /// <summary>
            /// The name of the type through which <paramref name="member"/> (normalized) is referenced, when the rule above
            /// applies to it: a field, property, event or ordinary method of a class, struct or interface declared in
            /// source with known declaration kinds, not an extension method. Null otherwise (every unit mentioning its name
            /// may reference it).
            /// </summary>
            public static string? OwnerOf(ISymbol member)
            {
                if (member is IMethodSymbol method && (method.IsExtensionMethod || method.MethodKind is not (MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation))) return null;
                if (member is not (IMethodSymbol or IPropertySymbol or IFieldSymbol or IEventSymbol)) return null;
                return member.ContainingType is { } owner ? OwnerOfType(owner) : null;
            }

            /// <summary>
            /// The types (as <see cref="OwnerOf(ISymbol)"/> names them; null for one the rule does not apply to) whose
            /// same-named members <paramref name="member"/> may override or implement: a call through one of those may
            /// dispatch to it, so a unit referencing one of them can make that member relevant.
            /// </summary>
            public static IEnumerable<string?> DispatchOwnersOf(ISymbol member, string simpleName)
            {
                if (member.ContainingType is not { } type || member.IsStatic) yield break;
                for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
                {
                    if (!baseType.GetMembers(simpleName).IsEmpty) yield return OwnerOfType(baseType);
                }

                foreach (var contract in type.AllInterfaces)
                {
                    if (!contract.GetMembers(simpleName).IsEmpty) yield return OwnerOfType(contract);
                }
            }

            private static string? OwnerOfType(INamedTypeSymbol type)
            {
                if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct or TypeKind.Interface) || type.DeclaringSyntaxReferences.IsEmpty) return null;
                foreach (var reference in type.DeclaringSyntaxReferences)
                {
                    if (!IsKnownTypeDeclaration(reference.GetSyntax())) return null;
                }

                return type.Name;
            }

            /// <summary>The name of the type a member unit declared in source belongs to, when the rule applies (see <see cref="OwnerOf(ISymbol)"/>).</summary>
            public static string? OwnerOf(SyntaxNode unitNode)
            {
                if (unitNode is MethodDeclarationSyntax method && IsExtension(method)) return null;
                if (unitNode is not (MethodDeclarationSyntax or BasePropertyDeclarationSyntax or VariableDeclaratorSyntax)) return null;
                var type = unitNode.FirstAncestorOrSelf<BaseTypeDeclarationSyntax>();
                return type is not null && IsKnownTypeDeclaration(type) && type is not EnumDeclarationSyntax ? type.Identifier.ValueText : null;
            }

            /// <summary>Whether <paramref name="unit"/> can reference a member of a type named <paramref name="owner"/> (see the class).</summary>
            public bool MayReference(Unit unit, string owner)
            {
                var reach = ReachOf(owner);
                if (reach.AllTrees || reach.StaticTrees.Contains(unit.Node.SyntaxTree)) return true;
                if (MentionsAny(unit.Identifiers, reach.Names) || MentionsAny(unit.Identifiers, reach.Types)) return true;
                for (var node = unit.Node.Parent; node is not null; node = node.Parent)
                {
                    if (node is BaseTypeDeclarationSyntax type && (!IsKnownTypeDeclaration(type) || reach.Types.Contains(type.Identifier.ValueText))) return true;
                }

                return false;
            }

            private Reach ReachOf(string owner)
            {
                lock (_reach)
                {
                    if (_reach.TryGetValue(owner, out var known)) return known;
                }

                var reach = Compute(owner);
                lock (_reach)
                {
                    if (_reach.TryGetValue(owner, out var known)) return known;
                    _reach.Add(owner, reach);
                    return reach;
                }
            }

            /// <summary>The types that can stand for <paramref name="owner"/>, found through the links' index, then the names declared with one of them.</summary>
            private Reach Compute(string owner)
            {
                var types = new HashSet<string>(StringComparer.Ordinal) { owner };
                var queue = new Queue<string>();
                queue.Enqueue(owner);
                while (queue.Count > 0)
                {
                    var type = queue.Dequeue();
                    if (_typesById.TryGetValue(type, out var linked))
                    {
                        foreach (var name in linked)
                        {
                            if (types.Add(name)) queue.Enqueue(name);
                        }
                    }

                    if (_receiversById.TryGetValue(type, out var receivers))
                    {
                        foreach (var receiver in receivers)
                        {
                            foreach (var name in receiver)
                            {
                                if (types.Add(name)) queue.Enqueue(name);
                            }
                        }
                    }
                }

                var reach = new Reach(types);
                foreach (var type in types)
                {
                    if (_valuesById.TryGetValue(type, out var values)) reach.Names.UnionWith(values);
                    if (!_staticsById.TryGetValue(type, out var statics)) continue;
                    foreach (var (tree, global) in statics)
                    {
                        if (global) reach.AllTrees = true;
                        else reach.StaticTrees.Add(tree);
                    }
                }

                return reach;
            }

            private static bool IsKnownTypeDeclaration(SyntaxNode node) =>
                node.IsKind(SyntaxKind.ClassDeclaration) || node.IsKind(SyntaxKind.StructDeclaration) || node.IsKind(SyntaxKind.InterfaceDeclaration) ||
                node.IsKind(SyntaxKind.RecordDeclaration) || node.IsKind(SyntaxKind.RecordStructDeclaration) || node.IsKind(SyntaxKind.EnumDeclaration);

            private static bool IsExtension(MethodDeclarationSyntax method) =>
                method.ParameterList.Parameters.Count > 0 && method.ParameterList.Parameters[0].Modifiers.Any(SyntaxKind.ThisKeyword);

            /// <summary>What the names and types that can stand for one type are (see the class).</summary>
            private sealed class Reach
            {
                public Reach(HashSet<string> types) => Types = types;

                public HashSet<string> Types { get; }

                public HashSet<string> Names { get; } = new HashSet<string>(StringComparer.Ordinal);

                public HashSet<SyntaxTree> StaticTrees { get; } = new HashSet<SyntaxTree>();

                public bool AllTrees { get; set; }
            }

            /// <summary>One tree's declarations outside member bodies, as identifiers (computed once per tree).</summary>
            private sealed class Declarations
            {
                private static readonly ConditionalWeakTable<SyntaxTree, Declarations> s_trees = new ConditionalWeakTable<SyntaxTree, Declarations>();

                /// <summary>The tree's words while its declarations are read (<see cref="Collect"/>), then dropped.</summary>
                private TreeWords? _words;
                private string? _text;

                private Declarations(SyntaxTree tree) => Tree = tree;

                public SyntaxTree Tree { get; }

                /// <summary>A type (or alias, or type parameter) name and the identifiers that make it stand for what they name.</summary>
                public List<(string Name, string[] Ids)> TypeLinks { get; } = new List<(string Name, string[] Ids)>();

                /// <summary>A name used at a reference and the identifiers of its declaration's type.</summary>
                public List<(string Name, string[] Ids)> ValueLinks { get; } = new List<(string Name, string[] Ids)>();

                /// <summary>An extension method with a pattern name: its signature's identifiers and its receiver's.</summary>
                public List<(string[] Signature, string[] Receiver)> ReceiverLinks { get; } = new List<(string[] Signature, string[] Receiver)>();

                public List<(string[] Ids, bool Global)> UsingStatics { get; } = new List<(string[] Ids, bool Global)>();

                public static Declarations Of(SyntaxTree tree, TreeWords words, CancellationToken cancellationToken) =>
                    s_trees.GetValue(tree, t => Collect(t, words, cancellationToken));

                private static Declarations Collect(SyntaxTree tree, TreeWords words, CancellationToken cancellationToken)
                {
                    var result = new Declarations(tree) { _words = words, _text = tree.GetText(cancellationToken).ToString() };
                    var root = tree.GetRoot(cancellationToken);
                    foreach (var node in root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax))
                    {
                        switch (node)
                        {
                            case UsingDirectiveSyntax u:
                                if (!u.StaticKeyword.IsKind(SyntaxKind.None)) result.UsingStatics.Add((result.Ids(u), !u.GlobalKeyword.IsKind(SyntaxKind.None)));
                                else if (u.Alias is { } alias) result.TypeLinks.Add((alias.Name.Identifier.ValueText, result.Ids(u, except: alias)));
                                break;
                            case DelegateDeclarationSyntax d:
                                result.TypeLinks.Add((d.Identifier.ValueText, result.Ids(d.ReturnType, d.ParameterList, d.ConstraintClauses)));
                                Constraints(result, d.ConstraintClauses);
                                break;
                            case TypeDeclarationSyntax t:
                                Type(result, t);
                                break;
                        }
                    }

                    result._words = null;
                    result._text = null;
                    return result;
                }

                private static void Type(Declarations result, TypeDeclarationSyntax type)
                {
                    var name = type.Identifier.ValueText;
                    var known = IsKnownTypeDeclaration(type);
                    if (type.BaseList is { } bases) result.TypeLinks.Add((name, result.Ids(bases)));
                    Constraints(result, type.ConstraintClauses);

                    // A primary constructor's or record's parameters: properties or captured names, and the constructor.
                    if (type.ParameterList is { } primary)
                    {
                        foreach (var parameter in primary.Parameters)
                        {
                            if (parameter.Type is { } parameterType) result.ValueLinks.Add((parameter.Identifier.ValueText, result.Ids(parameterType)));
                        }

                        result.ValueLinks.Add((name, result.Ids(primary)));
                    }

                    foreach (var member in type.Members)
                    {
                        switch (member)
                        {
                            case BaseFieldDeclarationSyntax field:
                                var fieldType = result.Ids(field.Declaration.Type);
                                foreach (var variable in field.Declaration.Variables) result.ValueLinks.Add((variable.Identifier.ValueText, fieldType));
                                break;
                            case PropertyDeclarationSyntax property:
                                var propertyType = result.Ids(property.Type);
                                result.ValueLinks.Add((property.Identifier.ValueText, propertyType));
                                if (property.Identifier.ValueText == "Current") result.TypeLinks.Add((name, propertyType));
                                break;
                            case EventDeclarationSyntax e:
                                result.ValueLinks.Add((e.Identifier.ValueText, result.Ids(e.Type)));
                                break;
                            case IndexerDeclarationSyntax indexer:
                                result.TypeLinks.Add((name, result.Ids(indexer.Type, indexer.ParameterList)));
                                break;
                            case MethodDeclarationSyntax method:
                                var signature = result.Ids(method.ReturnType, method.ParameterList, method.ConstraintClauses);
                                var methodName = method.Identifier.ValueText;
                                result.ValueLinks.Add((methodName, signature));
                                Constraints(result, method.ConstraintClauses);
                                if (!PatternNames.Contains(methodName)) break;
                                if (IsExtension(method)) result.ReceiverLinks.Add((signature, result.Ids(method.ParameterList.Parameters[0])));
                                else result.TypeLinks.Add((name, signature));
                                break;
                            case OperatorDeclarationSyntax op:
                                result.TypeLinks.Add((name, result.Ids(op.ReturnType, op.ParameterList)));
                                break;
                            case ConversionOperatorDeclarationSyntax conversion:
                                result.TypeLinks.Add((name, result.Ids(conversion.Type, conversion.ParameterList)));
                                break;
                            case ConstructorDeclarationSyntax constructor:
                                result.ValueLinks.Add((name, result.Ids(constructor.ParameterList)));
                                break;
                        }
                    }

                    // A declaration of a kind not known here (an extension block): a pattern member in it may yield
                    // through any type its header names.
                    if (!known)
                    {
                        var header = result.Ids(type, except: null, stopAt: type.OpenBraceToken);
                        foreach (var member in type.Members)
                        {
                            if (member is MethodDeclarationSyntax m && PatternNames.Contains(m.Identifier.ValueText))
                            {
                                result.ReceiverLinks.Add((result.Ids(m.ReturnType, m.ParameterList, m.ConstraintClauses), header));
                            }
                            else if (member is IndexerDeclarationSyntax or OperatorDeclarationSyntax or ConversionOperatorDeclarationSyntax || member is PropertyDeclarationSyntax { Identifier.ValueText: "Current" })
                            {
                                result.ReceiverLinks.Add((result.Ids(member), header));
                            }
                        }
                    }
                }

                private static void Constraints(Declarations result, SyntaxList<TypeParameterConstraintClauseSyntax> clauses)
                {
                    foreach (var clause in clauses) result.TypeLinks.Add((clause.Name.Identifier.ValueText, result.Ids(clause, except: clause.Name)));
                }

                /// <summary>
                /// The words of the nodes' text (identifiers, and keywords, which name no type here), read from the tree's
                /// text without walking the nodes' tokens, each word's string made once for all the trees read here (<see cref="TreeWords"/>).
                /// A comment inside adds words: more names followed, never fewer.
                /// </summary>
                private string[] Ids(params SyntaxNode?[] nodes)
                {
                    var stamp = _words!.NextStamp();
                    foreach (var node in nodes)
                    {
                        if (node is not null) AddWords(node, node.Span, except: default, stamp);
                    }

                    return _words.TakeCollected();
                }

                private string[] Ids(SyntaxNode returnType, SyntaxNode parameters, SyntaxList<TypeParameterConstraintClauseSyntax> clauses)
                {
                    var stamp = _words!.NextStamp();
                    AddWords(returnType, returnType.Span, except: default, stamp);
                    AddWords(parameters, parameters.Span, except: default, stamp);
                    foreach (var clause in clauses) AddWords(clause, clause.Span, except: default, stamp);
                    return _words.TakeCollected();
                }

                /// <summary>The words of <paramref name="node"/> up to <paramref name="stopAt"/> (when given), without those of <paramref name="except"/>.</summary>
                private string[] Ids(SyntaxNode node, SyntaxNode? except, SyntaxToken stopAt = default)
                {
                    var stamp = _words!.NextStamp();
                    var span = stopAt == default ? node.Span : Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(node.SpanStart, Math.Max(node.SpanStart, stopAt.SpanStart));
                    AddWords(node, span, except?.Span ?? default, stamp);
                    return _words.TakeCollected();
                }

                private void AddWords(SyntaxNode node, Microsoft.CodeAnalysis.Text.TextSpan span, Microsoft.CodeAnalysis.Text.TextSpan except, int stamp)
                {
                    var words = _words!;
                    var text = _text!;
                    var end = Math.Min(span.End, text.Length);
                    for (var i = span.Start; i < end; i++)
                    {
                        var c = text[i];
                        if (IsEscapeOrFormat(c))
                        {
                            // A Unicode escape (\u0044) or a formatting character in an identifier, which its value
                            // resolves or drops and the text would split: take the tokens' values instead.
                            foreach (var token in node.DescendantTokens())
                            {
                                if (token.IsKind(SyntaxKind.IdentifierToken) && span.Contains(token.SpanStart) && !except.Contains(token.SpanStart)) words.Collect(words.Intern(token.ValueText), stamp);
                            }

                            return;
                        }

                        // Words as the tree's word index has them (TreeText): runs of identifier characters. A word that
                        // an escape or a formatting character ends is left to the tokens (read next).
                        if (!TreeText.IsIdentifierPart(c)) continue;
                        var wordEnd = TreeText.ReadWord(text, i, end, out var hash);
                        if (!except.Contains(i) && (wordEnd == end || !IsEscapeOrFormat(text[wordEnd]))) words.Collect(words.Intern(text, i, wordEnd - i, hash), stamp);
                        i = wordEnd - 1;
                    }
                }

                private static bool IsEscapeOrFormat(char c) => c == '\\' || (c >= 128 && char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format);
            }
        }
    }
}
