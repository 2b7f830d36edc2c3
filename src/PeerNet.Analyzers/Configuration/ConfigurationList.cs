using System.Collections.Immutable;
using System.Text;

namespace PeerNet.Analyzers
{
    /// <summary>
    /// Splits the value of a list key into entries. Entries are separated by ',' or whitespace outside
    /// brackets; inside '(' '{' '[' a ',' belongs to the ID (parameter lists, generic arguments, array
    /// bounds) and whitespace is dropped (IDs have none). Whitespace next to '|' is dropped too, so
    /// <c>M:T.Send(A, B) | protocol</c> is one entry, <c>M:T.Send(A,B)|protocol</c>.
    /// </summary>
    /// <remarks>
    /// The compiler's .editorconfig / .globalconfig parser ends a value at the first ';' or '#', so neither
    /// ever arrives here. An entry with an unclosed bracket ends where the next entry (a letter and ':')
    /// starts, so it is reported alone.
    /// </remarks>
    internal static class ConfigurationList
    {
        public static ImmutableArray<string> Split(string? value)
        {
            var entries = ImmutableArray.CreateBuilder<string>();
            if (string.IsNullOrWhiteSpace(value)) return entries.ToImmutable();

            var current = new StringBuilder();
            int depth = 0;
            string text = value!;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (depth > 0 && (c == ',' || char.IsWhiteSpace(c)) && StartsEntry(text, i + 1))
                {
                    // An unclosed bracket: the next entry starts here, not inside it.
                    depth = 0;
                    Flush(current, entries);
                    continue;
                }

                if (char.IsWhiteSpace(c))
                {
                    if (depth > 0) continue;

                    // Whitespace before or after '|' joins the method and its parameter.
                    int next = i;
                    while (next < text.Length && char.IsWhiteSpace(text[next])) next++;
                    bool joins = (current.Length > 0 && current[current.Length - 1] == '|' && !StartsEntry(text, next)) ||
                                 (next < text.Length && text[next] == '|' && current.Length > 0);
                    if (!joins) Flush(current, entries);
                    i = next - 1;
                    continue;
                }

                if (c == ',' && depth == 0)
                {
                    Flush(current, entries);
                    continue;
                }

                if (c is '(' or '{' or '[') depth++;
                else if (c is ')' or '}' or ']' && depth > 0) depth--;
                current.Append(c);
            }

            Flush(current, entries);
            return entries.ToImmutable();
        }

        /// <summary>
        /// Whether an entry starts at <paramref name="at"/> (after whitespace): a letter and ':'. No type in
        /// a parameter list looks like that (array bounds are digits, type parameters start with '`').
        /// </summary>
        private static bool StartsEntry(string text, int at)
        {
            while (at < text.Length && char.IsWhiteSpace(text[at])) at++;
            return at + 1 < text.Length && char.IsLetter(text[at]) && text[at + 1] == ':';
        }

        private static void Flush(StringBuilder current, ImmutableArray<string>.Builder entries)
        {
            if (current.Length > 0) entries.Add(current.ToString());
            current.Clear();
        }
    }
}
