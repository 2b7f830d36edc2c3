using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
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
