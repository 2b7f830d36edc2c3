using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
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

            // The compiler gives trees with the same sections the same options object: read each once.
            var seen = new HashSet<AnalyzerConfigOptions>(ReferenceComparer.Instance);

            void Collect(AnalyzerConfigOptions options)
            {
                if (!seen.Add(options)) return;
                foreach (var key in ConfigurationKeys.Lists)
                {
                    if (options.TryGetValue(key, out var raw))
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
        /// The keys of one options object. The compiler's options list them; an options provider written
        /// for a test or a host may not (the base property throws), and then there is nothing to check.
        /// </summary>
        private static IEnumerable<string> KeysOf(AnalyzerConfigOptions options)
        {
            try
            {
                return new List<string>(options.Keys);
            }
            catch (NotImplementedException)
            {
                return Array.Empty<string>();
            }
            catch (NotSupportedException)
            {
                return Array.Empty<string>();
            }
        }

        private sealed class ReferenceComparer : IEqualityComparer<AnalyzerConfigOptions>
        {
            public static readonly ReferenceComparer Instance = new ReferenceComparer();

            public bool Equals(AnalyzerConfigOptions? x, AnalyzerConfigOptions? y) => ReferenceEquals(x, y);

            public int GetHashCode(AnalyzerConfigOptions obj) => RuntimeHelpers.GetHashCode(obj);
        }
    }
}
