using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PeerNet.Analyzers
{
    /// <summary>
    /// The analyzer's configuration keys (.editorconfig / .globalconfig) and their parsing. Entries are
    /// documentation comment IDs separated by ';' (IDs never contain ';'). See docs/rules/PN0001.md.
    /// </summary>
    internal static class AnalyzerOptionKeys
    {
        /// <summary>Extra cached-snapshot reads: methods (M:), properties (P:) or fields (F:).</summary>
        public const string ExtraSources = "peernet.extra_sources";

        /// <summary>
        /// Extra sinks: <c>M:Id(...)|param</c> where <c>param</c> is the parameter's name or zero-based
        /// index; without <c>|param</c>, every parameter of type PeerNet.ProtocolId.
        /// </summary>
        public const string ExtraSinks = "peernet.extra_sinks";

        /// <summary>Extra version checks (like [SnapshotVersionCheck]): methods or properties.</summary>
        public const string ExtraVersionChecks = "peernet.extra_version_checks";

        /// <summary>Extra Try-sends whose result must be observed (PN0003): methods.</summary>
        public const string ExtraTrySends = "peernet.extra_try_sends";

        /// <summary>"true" to analyze generated code (skipped by default).</summary>
        public const string AnalyzeGeneratedCode = "peernet.analyze_generated_code";
    }

    /// <summary>The extras named in configuration, resolved to symbols of one compilation.</summary>
    internal sealed class ConfiguredSymbols
    {
        private ConfiguredSymbols(
            ImmutableHashSet<ISymbol> sources,
            ImmutableDictionary<IMethodSymbol, ImmutableHashSet<int>> sinks,
            ImmutableHashSet<ISymbol> versionChecks,
            ImmutableHashSet<ISymbol> trySends,
            ImmutableArray<string> errors)
        {
            Sources = sources;
            Sinks = sinks;
            VersionChecks = versionChecks;
            TrySends = trySends;
            Errors = errors;
        }

        public ImmutableHashSet<ISymbol> Sources { get; }

        /// <summary>Sink methods and the ordinals of their sink parameters.</summary>
        public ImmutableDictionary<IMethodSymbol, ImmutableHashSet<int>> Sinks { get; }

        public ImmutableHashSet<ISymbol> VersionChecks { get; }

        public ImmutableHashSet<ISymbol> TrySends { get; }

        /// <summary>Entries that could not be resolved, with the reason (reported as PN0000).</summary>
        public ImmutableArray<string> Errors { get; }

        public bool IsEmpty => Sources.Count == 0 && Sinks.Count == 0 && VersionChecks.Count == 0 && TrySends.Count == 0;

        /// <summary>
        /// Reads the keys from the global options and from every syntax tree's options (an .editorconfig
        /// section applies per file; an extra named in any of them applies to the whole compilation).
        /// </summary>
        public static ConfiguredSymbols Read(Compilation compilation, AnalyzerConfigOptionsProvider provider)
        {
            var values = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal)
            {
                [AnalyzerOptionKeys.ExtraSources] = new SortedSet<string>(StringComparer.Ordinal),
                [AnalyzerOptionKeys.ExtraSinks] = new SortedSet<string>(StringComparer.Ordinal),
                [AnalyzerOptionKeys.ExtraVersionChecks] = new SortedSet<string>(StringComparer.Ordinal),
                [AnalyzerOptionKeys.ExtraTrySends] = new SortedSet<string>(StringComparer.Ordinal),
            };

            void Collect(AnalyzerConfigOptions options)
            {
                foreach (var pair in values)
                {
                    if (options.TryGetValue(pair.Key, out var raw) && !string.IsNullOrWhiteSpace(raw))
                    {
                        foreach (var entry in raw.Split(';'))
                        {
                            var trimmed = entry.Trim();
                            if (trimmed.Length > 0) pair.Value.Add(trimmed);
                        }
                    }
                }
            }

            Collect(provider.GlobalOptions);
            foreach (var tree in compilation.SyntaxTrees)
            {
                Collect(provider.GetOptions(tree));
            }

            var errors = ImmutableArray.CreateBuilder<string>();
            var sources = ResolveAll(compilation, AnalyzerOptionKeys.ExtraSources, values[AnalyzerOptionKeys.ExtraSources], errors);
            var checks = ResolveAll(compilation, AnalyzerOptionKeys.ExtraVersionChecks, values[AnalyzerOptionKeys.ExtraVersionChecks], errors);
            var trySends = ResolveAll(compilation, AnalyzerOptionKeys.ExtraTrySends, values[AnalyzerOptionKeys.ExtraTrySends], errors);

            var sinks = ImmutableDictionary.CreateBuilder<IMethodSymbol, ImmutableHashSet<int>>(SymbolEqualityComparer.Default);
            foreach (var entry in values[AnalyzerOptionKeys.ExtraSinks])
            {
                string id = entry;
                string? parameter = null;
                int bar = entry.LastIndexOf('|');
                if (bar >= 0)
                {
                    id = entry.Substring(0, bar).Trim();
                    parameter = entry.Substring(bar + 1).Trim();
                }

                var symbols = DocumentationCommentId.GetSymbolsForDeclarationId(id, compilation);
                if (symbols.IsDefaultOrEmpty)
                {
                    errors.Add($"{AnalyzerOptionKeys.ExtraSinks}: '{id}' names no symbol of this compilation");
                    continue;
                }

                foreach (var symbol in symbols)
                {
                    if (symbol is not IMethodSymbol method)
                    {
                        errors.Add($"{AnalyzerOptionKeys.ExtraSinks}: '{id}' is not a method");
                        continue;
                    }

                    var ordinals = ImmutableHashSet.CreateBuilder<int>();
                    if (parameter is null)
                    {
                        foreach (var p in method.Parameters)
                        {
                            if (p.Type is { Name: "ProtocolId", ContainingNamespace: { Name: "PeerNet", ContainingNamespace.IsGlobalNamespace: true } })
                                ordinals.Add(p.Ordinal);
                        }

                        if (ordinals.Count == 0)
                            errors.Add($"{AnalyzerOptionKeys.ExtraSinks}: '{id}' has no PeerNet.ProtocolId parameter; name one with '|parameterName'");
                    }
                    else if (int.TryParse(parameter, out int index))
                    {
                        if (index >= 0 && index < method.Parameters.Length) ordinals.Add(index);
                        else errors.Add($"{AnalyzerOptionKeys.ExtraSinks}: '{id}' has no parameter at index {index}");
                    }
                    else
                    {
                        bool found = false;
                        foreach (var p in method.Parameters)
                        {
                            if (p.Name == parameter)
                            {
                                ordinals.Add(p.Ordinal);
                                found = true;
                            }
                        }

                        if (!found) errors.Add($"{AnalyzerOptionKeys.ExtraSinks}: '{id}' has no parameter named '{parameter}'");
                    }

                    if (ordinals.Count > 0)
                    {
                        var key = method.OriginalDefinition;
                        sinks[key] = sinks.TryGetValue(key, out var existing) ? existing.Union(ordinals) : ordinals.ToImmutable();
                    }
                }
            }

            return new ConfiguredSymbols(sources, sinks.ToImmutable(), checks, trySends, errors.ToImmutable());
        }

        private static ImmutableHashSet<ISymbol> ResolveAll(Compilation compilation, string key, IEnumerable<string> ids, ImmutableArray<string>.Builder errors)
        {
            var set = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var id in ids)
            {
                var symbols = DocumentationCommentId.GetSymbolsForDeclarationId(id, compilation);
                if (symbols.IsDefaultOrEmpty)
                {
                    errors.Add($"{key}: '{id}' names no symbol of this compilation");
                    continue;
                }

                foreach (var s in symbols)
                {
                    if (s is IMethodSymbol or IPropertySymbol or IFieldSymbol) set.Add(s.OriginalDefinition);
                    else errors.Add($"{key}: '{id}' is not a method, property or field");
                }
            }

            return set.ToImmutable();
        }

        /// <summary>Whether <paramref name="tree"/> should be skipped as generated code.</summary>
        public static bool ShouldSkipGenerated(SyntaxTree tree, AnalyzerConfigOptionsProvider provider, System.Threading.CancellationToken cancellationToken)
        {
            var options = provider.GetOptions(tree);
            if (options.TryGetValue(AnalyzerOptionKeys.AnalyzeGeneratedCode, out var v) || provider.GlobalOptions.TryGetValue(AnalyzerOptionKeys.AnalyzeGeneratedCode, out v))
            {
                if (string.Equals(v.Trim(), "true", StringComparison.OrdinalIgnoreCase)) return false;
            }

            return GeneratedCode.IsGenerated(tree, options, cancellationToken);
        }
    }

    /// <summary>Generated-code detection, the same conventions the compiler uses.</summary>
    internal static class GeneratedCode
    {
        public static bool IsGenerated(SyntaxTree tree, AnalyzerConfigOptions options, System.Threading.CancellationToken cancellationToken)
        {
            if (options.TryGetValue("generated_code", out var g))
            {
                var t = g.Trim();
                if (string.Equals(t, "true", StringComparison.OrdinalIgnoreCase)) return true;
                if (string.Equals(t, "false", StringComparison.OrdinalIgnoreCase)) return false;
            }

            var path = tree.FilePath ?? string.Empty;
            var name = path;
            int slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
            if (slash >= 0) name = path.Substring(slash + 1);
            if (name.StartsWith("TemporaryGeneratedFile_", StringComparison.OrdinalIgnoreCase)) return true;
            foreach (var suffix in new[] { ".designer.cs", ".generated.cs", ".g.cs", ".g.i.cs" })
            {
                if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return true;
            }

            var root = tree.GetRoot(cancellationToken);
            foreach (var trivia in root.GetLeadingTrivia())
            {
                var text = trivia.ToString();
                if (text.IndexOf("<auto-generated", StringComparison.OrdinalIgnoreCase) >= 0 ||
                    text.IndexOf("<autogenerated", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
