using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PeerNet.Analyzers.Flow
{
    internal sealed partial class RelevantSymbols
    {
        /// <summary>
        /// What a unit mentions and assigns, read from its tree's text instead of a walk of all its nodes and
        /// tokens (which creates every node of a body not created yet; splitting every tree into units was most
        /// of the name closure's cost on configured Orleans). One pass over the unit's characters:
        /// <list type="bullet">
        /// <item>Identifiers: the words of the text (runs of identifier characters, as <see cref="TreeText"/>
        /// cuts them) but reserved keywords (unless after '@'). A superset of the identifier tokens' values: a
        /// contextual keyword, or a word in a comment or a string, is a word too, and a name looked for that only a comment holds costs a needless look, never
        /// a miss. A word is made a string once per word table (<see cref="TreeWords"/>, shared by the trees read in a row), so a unit's list allocates no strings.</item>
        /// <item>Assigned names and element accesses: the text only says where to look. Each '=' (an assignment
        /// operator is one, compound or not), each <c>ref</c>, <c>out</c> or <c>in</c> word, each storing method's
        /// name (<see cref="CollectionModels.StoringMethods"/>) and each '[' is resolved to its token
        /// (<see cref="SyntaxNode.FindToken"/> from the unit's node, which creates the nodes of one path only), and the syntax decides
        /// as in <see cref="Split.ReadTokens"/>: the same names, the same element accesses.</item>
        /// </list>
        /// Where the text does not spell an identifier's value (a Unicode escape <c>\u0041</c>, a formatting
        /// character) the unit is read from its tokens instead.
        /// </summary>
        private sealed class UnitText
        {
            private readonly string _text;
            private readonly TreeWords _words;
            private readonly List<string> _identifiers = new List<string>();
            private readonly List<string> _assigned = new List<string>();

            /// <param name="text">The tree's text.</param>
            /// <param name="words">Where words are made strings: this tree's own, or one shared by the trees read in a row (fewer strings made).</param>
            public UnitText(string text, TreeWords words)
            {
                _text = text;
                _words = words;
            }

            /// <summary>Reads <paramref name="unit"/>; false when its text cannot be read for it (see the class).</summary>
            public bool Read(Unit unit, Func<string, bool> isAttributeName, out string[] identifiers, out string[] assigned, out bool mentionsAttribute)
            {
                identifiers = assigned = Array.Empty<string>();
                mentionsAttribute = false;
                var node = unit.Node;
                var text = _text;
                var start = node.SpanStart;
                var end = Math.Min(node.Span.End, text.Length);
                var stamp = _words.NextStamp();
                _identifiers.Clear();
                _assigned.Clear();
                var indexer = false;
                for (var i = start; i < end; i++)
                {
                    var c = text[i];
                    if (TreeText.IsIdentifierPart(c))
                    {
                        var wordEnd = TreeText.ReadWord(text, i, end, out var hash);
                        var word = _words.Intern(text, i, wordEnd - i, hash);
                        if (word.MentionedIn != stamp && (!word.Reserved || (i > 0 && text[i - 1] == '@')))
                        {
                            word.MentionedIn = stamp;
                            _identifiers.Add(word.Value);
                            mentionsAttribute |= isAttributeName(word.Value);
                        }

                        if (IsAssignmentWord(word.Value)) ResolveAssignment(node, i, stamp);
                        i = wordEnd - 1; // the character ending the word is read next
                        continue;
                    }

                    if ((c == '\\' && i + 1 < end && text[i + 1] is 'u' or 'U') || (c >= 128 && char.GetUnicodeCategory(c) == UnicodeCategory.Format))
                    {
                        return false;
                    }

                    if (c == '=') ResolveAssignment(node, i, stamp);
                    else if (c == '[' && !indexer && node.FindToken(i) is { RawKind: (int)SyntaxKind.OpenBracketToken, Parent: BracketedArgumentListSyntax } open && open.SpanStart == i)
                    {
                        // An element access names no indexer: it mentions "this[]", the indexers' unit name.
                        indexer = true;
                    }
                }

                if (indexer) _identifiers.Add(IndexerName);
                if (InitializedName(node) is { } initialized && !_assigned.Contains(initialized)) _assigned.Add(initialized);
                identifiers = _identifiers.ToArray();
                assigned = _assigned.Count == 0 ? Array.Empty<string>() : _assigned.ToArray();
                return true;
            }

            /// <summary>A word that may start or name what an assignment-like node assigns: ref, out, in, a storing method.</summary>
            private static bool IsAssignmentWord(string word) =>
                word is "ref" or "out" or "in" || CollectionModels.StoringMethods.Contains(word);

            /// <summary>The name assigned by the node around the token at <paramref name="position"/>, if that token is an assignment's operator, an argument's ref kind or a storing call's name.</summary>
            private void ResolveAssignment(SyntaxNode unit, int position, int stamp)
            {
                var token = unit.FindToken(position);
                if (!token.Span.Contains(position)) return; // in trivia: a comment
                SyntaxNode? node = token.Parent switch
                {
                    AssignmentExpressionSyntax assignment when assignment.OperatorToken == token => assignment,
                    ArgumentSyntax argument when argument.RefKindKeyword == token => argument,
                    SimpleNameSyntax { Parent: MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax invocation } access } name when access.Name == name && token.IsKind(SyntaxKind.IdentifierToken) => invocation,
                    _ => null,
                };
                if (node is null || AssignedName(node) is not { } assigned) return;
                var word = _words.Intern(assigned);
                if (word.AssignedIn == stamp) return;
                word.AssignedIn = stamp;
                _assigned.Add(word.Value);
            }
        }

        /// <summary>
        /// Words of source text, each made a string once (interned by its hash and its characters), with stamps
        /// that keep a word once per list being collected (a unit's identifiers, a declaration's words) without
        /// hashing strings. Lives while one tree, or the trees one thread reads in a row, are read: shared by
        /// those trees, a word common to them (a type's name, a member's) is one string, not one per tree
        /// (making a string per word and tree was most of what splitting allocated). Not thread-safe.
        /// </summary>
        private sealed class TreeWords
        {
            private readonly Dictionary<int, Word> _words = new Dictionary<int, Word>();
            private readonly List<string> _collected = new List<string>();
            private int _stamp;

            /// <summary>A new stamp, for one list of distinct words (<see cref="Collect"/>).</summary>
            public int NextStamp()
            {
                _collected.Clear();
                return ++_stamp;
            }

            /// <summary>Adds <paramref name="word"/> to the list of <paramref name="stamp"/> unless it is in it.</summary>
            public void Collect(Word word, int stamp)
            {
                if (word.MentionedIn == stamp) return;
                word.MentionedIn = stamp;
                _collected.Add(word.Value);
            }

            /// <summary>The words collected since the last stamp.</summary>
            public string[] TakeCollected() => _collected.Count == 0 ? Array.Empty<string>() : _collected.ToArray();

            /// <summary>A distinct word of the tree, with the last list (stamp) that collected it and the last unit that assigned it (to keep each once per list).</summary>
            public sealed class Word
            {
                public Word(string value)
                {
                    Value = value;
                    Reserved = SyntaxFacts.GetKeywordKind(value) != SyntaxKind.None;
                }

                public string Value { get; }

                /// <summary>A reserved keyword (an identifier only after '@', <c>@class</c>).</summary>
                public bool Reserved { get; }

                public int MentionedIn { get; set; }

                public int AssignedIn { get; set; }

                /// <summary>Another word of the same hash.</summary>
                public Word? Next { get; set; }
            }

            public Word Intern(string text, int start, int length, int hash)
            {
                if (_words.TryGetValue(hash, out var first))
                {
                    for (var word = first; word is not null; word = word.Next)
                    {
                        if (word.Value.Length == length && string.CompareOrdinal(text, start, word.Value, 0, length) == 0) return word;
                    }

                    var other = new Word(text.Substring(start, length)) { Next = first.Next };
                    first.Next = other;
                    return other;
                }

                var added = new Word(text.Substring(start, length));
                _words.Add(hash, added);
                return added;
            }

            /// <summary>A name from the syntax (an identifier's value, which the text may spell otherwise) as a word of the tree.</summary>
            public Word Intern(string value)
            {
                var hash = TreeText.WordHash(value, 0, value.Length);
                if (_words.TryGetValue(hash, out var first))
                {
                    for (var word = first; word is not null; word = word.Next)
                    {
                        if (word.Value == value) return word;
                    }

                    var other = new Word(value) { Next = first.Next };
                    first.Next = other;
                    return other;
                }

                var added = new Word(value);
                _words.Add(hash, added);
                return added;
            }
        }


        /// <summary>
        /// For tests: each unit of <paramref name="trees"/> as read from its text (<see cref="UnitText"/>, one word
        /// table shared by all the trees, as the name closure shares one; null where it falls back to the tokens)
        /// and from its tokens (<see cref="Split.ReadTokens"/>).
        /// </summary>
        internal static IEnumerable<(SyntaxNode Unit, (string[] Identifiers, string[] Assigned, bool MentionsAttribute)? Text, (string[] Identifiers, string[] Assigned, bool MentionsAttribute) Tokens)> ReadUnitsBothWays(IEnumerable<SyntaxTree> trees)
        {
            var shared = new TreeWords();
            foreach (var tree in trees)
            {
                var words = new UnitText(tree.GetText().ToString(), shared);
                foreach (var unit in Split.Of(tree, default).Units)
                {
                    var text = words.Read(unit, IsAttributeName, out var identifiers, out var assigned, out var mentionsAttribute)
                        ? (identifiers, assigned, mentionsAttribute)
                        : ((string[], string[], bool)?)null;
                    yield return (unit.Node, text, Split.ReadTokens(unit.Node));
                }
            }
        }
    }
}
