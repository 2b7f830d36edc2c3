using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PeerNet.Analyzers
{
    /// <summary>
    /// The raw entries of the list keys, read from the global options and from every syntax tree's options
    /// (an .editorconfig section applies per file; an entry named in any of them applies to the whole
    /// compilation), and the problems with the keys themselves: retired keys, unknown <c>peernet.*</c> keys,
    /// a generated-code switch that is neither true nor false.
    /// </summary>
    internal sealed class ConfigurationValues
    {
        private ConfigurationValues(ImmutableDictionary<string, ImmutableArray<string>> entries, ImmutableArray<string> problems)
        {
            Entries = entries;
            Problems = problems;
        }

        /// <summary>For each key of <see cref="ConfigurationKeys.Lists"/>, its distinct entries in ordinal order.</summary>
        public ImmutableDictionary<string, ImmutableArray<string>> Entries { get; }

        /// <summary>Problems with keys (not entries), in a fixed order; reported as PN0000.</summary>
        public ImmutableArray<string> Problems { get; }

        public static ConfigurationValues Read(Compilation compilation, AnalyzerConfigOptionsProvider provider)
        {
            var entries = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
            foreach (var key in ConfigurationKeys.Lists) entries[key] = new SortedSet<string>(StringComparer.Ordinal);
            var retired = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
            var unknown = new SortedSet<string>(StringComparer.Ordinal);
            var badSwitch = new SortedSet<string>(StringComparer.Ordinal);

            // Each tree has its own options object, but trees under the same sections share their values (the
            // same strings): a value already split for a key is not split again. Objects are told apart by
            // reference, not by a hash set (the runtime's object hash, made on first use for each tree's
            // options, showed in profiles).
            AnalyzerConfigOptions? previous = null;
            var splitValues = new Dictionary<string, List<string>>(StringComparer.Ordinal);

            void Collect(AnalyzerConfigOptions options)
            {
                if (ReferenceEquals(options, previous)) return;
                previous = options;
                foreach (var key in ConfigurationKeys.Lists)
                {
                    if (options.TryGetValue(key, out var raw) && FirstTime(key, raw))
                    {
                        foreach (var entry in ConfigurationList.Split(raw)) entries[key].Add(entry);
                    }
                }

                foreach (var (old, _) in ConfigurationKeys.Retired)
                {
                    if (options.TryGetValue(old, out var raw))
                    {
                        if (!retired.TryGetValue(old, out var values)) retired[old] = values = new SortedSet<string>(StringComparer.Ordinal);
                        values.Add(raw.Trim());
                    }
                }

                if (options.TryGetValue(ConfigurationKeys.AnalyzeGeneratedCode, out var generated) && GeneratedCodeOption.Parse(generated) is null)
                {
                    badSwitch.Add(generated.Trim());
                }

                foreach (var key in KeysOf(options))
                {
                    if (key.StartsWith(ConfigurationKeys.Prefix, StringComparison.Ordinal) && !IsKnown(key)) unknown.Add(key);
                }
            }

            bool FirstTime(string key, string raw)
            {
                if (!splitValues.TryGetValue(key, out var known)) splitValues.Add(key, known = new List<string>());
                foreach (var value in known)
                {
                    if (ReferenceEquals(value, raw)) return false;
                }

                known.Add(raw);
                return true;
            }

            Collect(provider.GlobalOptions);
            foreach (var tree in compilation.SyntaxTrees)
            {
                Collect(provider.GetOptions(tree));
            }

            var problems = ImmutableArray.CreateBuilder<string>();
            foreach (var (old, replacement) in ConfigurationKeys.Retired)
            {
                if (!retired.TryGetValue(old, out var values)) continue;
                foreach (var value in values)
                {
                    problems.Add(
                        $"{old} is no longer read: rename it {replacement} and separate its entries with ',' or spaces " +
                        $"(the compiler ends a value at the first ';' or '#', so this value arrived as '{value}')");
                }
            }

            foreach (var key in unknown)
            {
                problems.Add($"{key} is not a key of the PeerNet analyzers (they read {string.Join(", ", ConfigurationKeys.All)})");
            }

            foreach (var value in badSwitch)
            {
                problems.Add($"{ConfigurationKeys.AnalyzeGeneratedCode}: '{value}' is neither true nor false; generated code stays skipped");
            }

            var builder = ImmutableDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
            foreach (var pair in entries) builder[pair.Key] = pair.Value.ToImmutableArray();
            return new ConfigurationValues(builder.ToImmutable(), problems.ToImmutable());
        }

        private static bool IsKnown(string key)
        {
            foreach (var known in ConfigurationKeys.All)
            {
                if (key == known) return true;
            }

            foreach (var (old, _) in ConfigurationKeys.Retired)
            {
                if (key == old) return true;
            }

            return false;
        }

        /// <summary>
        /// The keys of one options object that may be ours (they start with 'p'; a copy of every key of every
        /// tree's options was most of this reading on large codebases). The compiler's options list them; an options provider written
        /// for a test or a host may not (the base property throws), and then there is nothing to check.
        /// </summary>
        private static List<string> KeysOf(AnalyzerConfigOptions options)
        {
            var keys = new List<string>();
            try
            {
                foreach (var key in options.Keys)
                {
                    if (key.Length > 0 && key[0] == 'p') keys.Add(key);
                }
            }
            catch (NotImplementedException)
            {
            }
            catch (NotSupportedException)
            {
            }

            return keys;
        }
    }
}
