using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// Whether a syntax tree's text contains a name: the analyzers' cheapest filter, in front of any walk of
    /// a tree's tokens. Answers are kept per tree and name for as long as the tree lives (a weak table keyed
    /// by the immutable tree), so an editor's next compilation, which reuses every unchanged tree, asks the
    /// text again only for the edited one. A function of the text alone: nothing of a compilation is kept.
    /// </summary>
    internal static class TreeText
    {
        private static readonly ConditionalWeakTable<SyntaxTree, ConcurrentDictionary<string, bool>> s_answers =
            new ConditionalWeakTable<SyntaxTree, ConcurrentDictionary<string, bool>>();

        private static readonly ConditionalWeakTable<SyntaxTree, WordFilter> s_words = new ConditionalWeakTable<SyntaxTree, WordFilter>();

        /// <summary>
        /// Whether the text of <paramref name="tree"/> may hold <paramref name="name"/> as a word (a run of
        /// letters, digits and underscores): one pass over the text, once per tree, marks the hashes of its words in a
        /// bit filter (<see cref="WordFilter"/>); each question is then a few bit tests, however many trees and names. A
        /// superset of "an identifier is that name" (two words may share bits, a comment may hold the word), never a
        /// subset.
        /// </summary>
        public static bool MayHoldWord(SyntaxTree tree, string name) => WordsOf(tree).MayContain(WordHash(name, 0, name.Length));

        /// <summary>The hashes <see cref="MayHoldAnyHash"/> takes for <paramref name="names"/>: computed once for a question asked of many trees.</summary>
        public static WordHashes HashesOf(ICollection<string> names) => new WordHashes(names);

        /// <summary><see cref="MayHoldWord"/> for names given by their <see cref="HashesOf">hashes</see>.</summary>
        public static bool MayHoldAnyHash(SyntaxTree tree, WordHashes hashes)
        {
            var words = WordsOf(tree);
            foreach (var hash in hashes.All)
            {
                if (words.MayContain(hash)) return true;
            }

            return false;
        }

        /// <summary>The hashes of a set of names (computed once, for all the trees a question is asked of).</summary>
        internal sealed class WordHashes
        {
            public WordHashes(ICollection<string> names)
            {
                var all = new HashSet<int>();
                foreach (var name in names) all.Add(WordHash(name, 0, name.Length));
                All = new int[all.Count];
                all.CopyTo(All);
            }

            /// <summary>The distinct hashes.</summary>
            public int[] All { get; }
        }

        /// <summary>
        /// The words of one text as bits: each word's hash sets two bits (its low bits, and the high bits of its product
        /// with an odd constant) in a table of about one bit per character of the text, so that a word of the text always
        /// finds both of its bits set and an absent word rarely does (a few words per hundred at the densest code). Built
        /// in one pass with no allocation per word: a set of the hashes, grown as it filled, was most of the time the
        /// name closure spent on each tree.
        /// </summary>
        internal sealed class WordFilter
        {
            private readonly ulong[] _bits;
            private readonly int _shift;
            private readonly uint _mask;

            public WordFilter(int textLength)
            {
                var log = 10; // at least 1,024 bits; at most 4 Mi (a text of megabytes)
                while (log < 22 && (1 << log) < textLength) log++;
                _bits = new ulong[(1 << log) >> 6];
                _mask = (uint)(1 << log) - 1;
                _shift = 32 - log;
            }

            public void Add(int hash)
            {
                Set((uint)hash & _mask);
                Set(Second(hash));
            }

            public bool MayContain(int hash) => IsSet((uint)hash & _mask) && IsSet(Second(hash));

            private uint Second(int hash) => unchecked((uint)hash * 0x9E3779B1u) >> _shift;

            private void Set(uint bit) => _bits[bit >> 6] |= 1UL << (int)(bit & 63);

            private bool IsSet(uint bit) => (_bits[bit >> 6] & (1UL << (int)(bit & 63))) != 0;
        }

        private static WordFilter WordsOf(SyntaxTree tree) => s_words.GetValue(tree, t => Words(t.GetText().ToString()));

        /// <summary>
        /// Reads the words of every tree of <paramref name="compilation"/> ahead of need: called before the first symbol
        /// is asked for, where the analysis is certain to look for names in every tree. The first symbol asked of a
        /// compilation waits for the compiler's first symbol work (binding the references, merging the declarations),
        /// which csc starts on its own thread as the analyzers start: reading the texts first overlaps the two, where
        /// asking first made this analyzer wait for, or do, that work (a trace of a configured Orleans build showed
        /// 150 ms of a 0.6 s charge there).
        /// </summary>
        public static void ReadWords(Compilation compilation, CancellationToken cancellationToken)
        {
            foreach (var tree in compilation.SyntaxTrees)
            {
                cancellationToken.ThrowIfCancellationRequested();
                WordsOf(tree);
            }
        }

        /// <summary>Whether the words of <paramref name="tree"/> have been read, for tests.</summary>
        internal static bool HasReadWords(SyntaxTree tree) => s_words.TryGetValue(tree, out _);

        /// <summary>The hash <see cref="MayHoldWord"/> keeps for the word <c>text[start..start+length]</c> (FNV-1a over its characters).</summary>
        public static int WordHash(string text, int start, int length)
        {
            unchecked
            {
                var hash = (int)2166136261;
                for (var i = start; i < start + length; i++)
                {
                    hash = (hash ^ text[i]) * 16777619;
                }

                return hash;
            }
        }

        /// <summary>A character an identifier can hold (C#: letters, digits, connectors, combining marks; formatting characters, which an identifier's value drops, split words).</summary>
        internal static bool IsIdentifierPart(char c)
        {
            if (c < 128) return c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_';
            switch (char.GetUnicodeCategory(c))
            {
                case System.Globalization.UnicodeCategory.UppercaseLetter:
                case System.Globalization.UnicodeCategory.LowercaseLetter:
                case System.Globalization.UnicodeCategory.TitlecaseLetter:
                case System.Globalization.UnicodeCategory.ModifierLetter:
                case System.Globalization.UnicodeCategory.OtherLetter:
                case System.Globalization.UnicodeCategory.LetterNumber:
                case System.Globalization.UnicodeCategory.DecimalDigitNumber:
                case System.Globalization.UnicodeCategory.ConnectorPunctuation:
                case System.Globalization.UnicodeCategory.NonSpacingMark:
                case System.Globalization.UnicodeCategory.SpacingCombiningMark:
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>
        /// Reads the word starting at <paramref name="start"/> (a run of identifier characters, <see cref="IsIdentifierPart"/>,
        /// ending at <paramref name="end"/> at the latest): returns where it ends and gives its hash (<see cref="WordHash"/>),
        /// computed in the same pass. The one way the analyzers cut text into words (this index, a unit's words, a
        /// declaration's), so that a word found in one is found in the others.
        /// </summary>
        internal static int ReadWord(string text, int start, int end, out int hash)
        {
            unchecked
            {
                var h = (int)2166136261;
                var i = start;
                for (; i < end; i++)
                {
                    var c = text[i];
                    if (!IsIdentifierPart(c)) break;
                    h = (h ^ c) * 16777619;
                }

                hash = h;
                return i;
            }
        }

        private static WordFilter Words(string text)
        {
            var words = new WordFilter(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                if (!IsIdentifierPart(text[i])) continue;
                i = ReadWord(text, i, text.Length, out var hash); // the character at i ends the word: no word starts there
                words.Add(hash);
            }

            return words;
        }

        /// <summary>Whether the text of <paramref name="tree"/> contains one of <paramref name="names"/> (ordinal; a superset of "an identifier is one of them").</summary>
        public static bool ContainsAny(SyntaxTree tree, IEnumerable<string> names)
        {
            var answers = s_answers.GetValue(tree, _ => new ConcurrentDictionary<string, bool>(StringComparer.Ordinal));
            string? text = null;
            foreach (var name in names)
            {
                if (!answers.TryGetValue(name, out var contains))
                {
                    text ??= tree.GetText().ToString();
                    contains = text.IndexOf(name, StringComparison.Ordinal) >= 0;
                    answers.TryAdd(name, contains);
                }

                if (contains) return true;
            }

            return false;
        }
    }
}
