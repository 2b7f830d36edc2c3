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

        /// <summary>FNV-1a, the one hash of a word (<see cref="WordHash"/>, <see cref="ReadWord"/>, <see cref="AddValues"/>).</summary>
        private const int FnvOffset = unchecked((int)2166136261);

        private const int FnvPrime = 16777619;

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

            /// <summary>Whether the text spells a word otherwise than by its value, and the values were added too (<see cref="AddValues"/>).</summary>
            public bool HasValues { get; set; }

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

        /// <summary>Whether the words of <paramref name="tree"/> were also read decoded (<see cref="AddValues"/>), for tests.</summary>
        internal static bool HasDecodedWords(SyntaxTree tree) => WordsOf(tree).HasValues;

        /// <summary>Whether the words of <paramref name="tree"/> have been read, for tests.</summary>
        internal static bool HasReadWords(SyntaxTree tree) => s_words.TryGetValue(tree, out _);

        /// <summary>The hash <see cref="MayHoldWord"/> keeps for the word <c>text[start..start+length]</c> (FNV-1a over its characters).</summary>
        public static int WordHash(string text, int start, int length)
        {
            unchecked
            {
                var hash = FnvOffset;
                for (var i = start; i < start + length; i++)
                {
                    hash = (hash ^ text[i]) * FnvPrime;
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
                var h = FnvOffset;
                var i = start;
                for (; i < end; i++)
                {
                    var c = text[i];
                    if (!IsIdentifierPart(c)) break;
                    h = (h ^ c) * FnvPrime;
                }

                hash = h;
                return i;
            }
        }

        private static WordFilter Words(string text)
        {
            var words = new WordFilter(text.Length);
            var spelledOtherwise = false;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (!IsIdentifierPart(c))
                {
                    spelledOtherwise |= IsEscape(text, i) || (c >= 128 && char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format);
                    continue;
                }

                i = ReadWord(text, i, text.Length, out var hash); // the character at i ends the word: no word starts there
                words.Add(hash);
                i--; // ...but it may be an escape or a formatting character, looked at above
            }

            if (spelledOtherwise)
            {
                AddValues(text, words);
                words.HasValues = true;
            }

            return words;
        }

        /// <summary>
        /// Whether a Unicode escape (<c>\uXXXX</c>, <c>\UXXXXXXXX</c>) starts at <paramref name="i"/> standing for a character
        /// an identifier's value can hold (an escape in a string, such as <c>\u0020</c>, spells no identifier).
        /// </summary>
        private static bool IsEscape(string text, int i) =>
            text[i] == '\\' && i + 1 < text.Length && text[i + 1] is 'u' or 'U' && EscapedChar(text, i, out var c, out _) &&
            (IsIdentifierPart(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format);

        /// <summary>The character a Unicode escape at <paramref name="i"/> stands for (one UTF-16 unit; none beyond the first plane), and where it ends.</summary>
        private static bool EscapedChar(string text, int i, out char value, out int end)
        {
            value = default;
            var digits = text[i + 1] == 'u' ? 4 : 8;
            end = i + 2 + digits;
            if (end > text.Length) return false;
            var code = 0L;
            for (var k = i + 2; k < end; k++)
            {
                var d = text[k];
                var v = d is >= '0' and <= '9' ? d - '0' : d is >= 'a' and <= 'f' ? d - 'a' + 10 : d is >= 'A' and <= 'F' ? d - 'A' + 10 : -1;
                if (v < 0) return false;
                code = (code << 4) | (uint)v;
            }

            if (code > 0xFFFF) return false;
            value = (char)code;
            return true;
        }

        /// <summary>
        /// Where the text spells an identifier otherwise than by its value (a Unicode escape, a formatting character, which
        /// the value drops), adds the words as the compiler reads them: an escape stands for its character, and a formatting
        /// character neither ends a word nor is part of it. In a comment or a string this adds words no identifier has, which
        /// a filter may (it is a superset).
        /// </summary>
        private static void AddValues(string text, WordFilter words)
        {
            unchecked
            {
                var hash = FnvOffset;
                var inWord = false;
                for (var i = 0; i < text.Length; i++)
                {
                    var c = text[i];
                    if (c == '\\' && i + 1 < text.Length && text[i + 1] is 'u' or 'U' && EscapedChar(text, i, out var escaped, out var end))
                    {
                        c = escaped;
                        i = end - 1;
                    }

                    if (c >= 128 && char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format) continue;
                    if (IsIdentifierPart(c))
                    {
                        hash = (hash ^ c) * FnvPrime;
                        inWord = true;
                        continue;
                    }

                    if (inWord) words.Add(hash);
                    hash = FnvOffset;
                    inWord = false;
                }

                if (inWord) words.Add(hash);
            }
        }

        /// <summary>The key under which a tree's answers keep <see cref="MaySpellOtherwise"/> (no name a caller asks about: not a word).</summary>
        private const string SpelledOtherwiseKey = "\0spelled otherwise";

        /// <summary>
        /// Whether a text may spell an identifier otherwise than by its value: it holds a Unicode escape. Two vectorized
        /// searches, so that a text with none, nearly every one, is not read for words here. (A formatting character
        /// inside a namespace's or an attribute's name is not looked for here: a search for those characters cost more
        /// than the rest of this reading on code that never names PeerNet. The words of member names hold them.)
        /// </summary>
        private static bool MaySpellOtherwise(string text) =>
            text.IndexOf("\\u", StringComparison.Ordinal) >= 0 || text.IndexOf("\\U", StringComparison.Ordinal) >= 0;

        private static bool SpelledOtherwise(ConcurrentDictionary<string, bool> answers, string text)
        {
            if (answers.TryGetValue(SpelledOtherwiseKey, out var known)) return known;
            var spelled = MaySpellOtherwise(text);
            answers.TryAdd(SpelledOtherwiseKey, spelled);
            return spelled;
        }

        private static bool IsWord(string name)
        {
            foreach (var c in name)
            {
                if (!IsIdentifierPart(c)) return false;
            }

            return name.Length > 0;
        }

        /// <summary>
        /// Whether the text of <paramref name="tree"/> contains one of <paramref name="names"/> (ordinal; a superset of "an
        /// identifier is one of them"): a name the text spells otherwise, with a Unicode escape
        /// (<see cref="MaySpellOtherwise"/>), counts when the words the compiler reads hold it (<see cref="WordFilter.HasValues"/>).
        /// </summary>
        public static bool ContainsAny(SyntaxTree tree, IEnumerable<string> names)
        {
            var answers = s_answers.GetValue(tree, _ => new ConcurrentDictionary<string, bool>(StringComparer.Ordinal));
            string? text = null;
            foreach (var name in names)
            {
                if (!answers.TryGetValue(name, out var contains))
                {
                    text ??= tree.GetText().ToString();
                    contains = text.IndexOf(name, StringComparison.Ordinal) >= 0 ||
                               (IsWord(name) && SpelledOtherwise(answers, text) && WordsOf(tree).HasValues && WordsOf(tree).MayContain(WordHash(name, 0, name.Length)));
                    answers.TryAdd(name, contains);
                }

                if (contains) return true;
            }

            return false;
        }
    }
}
