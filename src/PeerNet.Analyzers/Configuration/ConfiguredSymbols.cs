using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PeerNet.Analyzers
{
    /// <summary>
    /// The APIs named in configuration (<see cref="ConfigurationKeys"/>), resolved to symbols of one
    /// compilation. An entry is kept only when the engine can act on it; every other entry, and every
    /// problem with the keys themselves, is in <see cref="Errors"/> (reported as PN0000).
    /// </summary>
    internal sealed class ConfiguredSymbols
    {
        private static readonly ConditionalWeakTable<Compilation, Cached> s_byCompilation = new ConditionalWeakTable<Compilation, Cached>();

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

        /// <summary>Methods, properties and fields named in <see cref="ConfigurationKeys.Sources"/> (original definitions).</summary>
        public ImmutableHashSet<ISymbol> Sources { get; }

        /// <summary>Sink methods and the ordinals of their sink parameters.</summary>
        public ImmutableDictionary<IMethodSymbol, ImmutableHashSet<int>> Sinks { get; }

        /// <summary>Methods named in <see cref="ConfigurationKeys.VersionChecks"/>.</summary>
        public ImmutableHashSet<ISymbol> VersionChecks { get; }

        /// <summary>Methods named in <see cref="ConfigurationKeys.TrySends"/>.</summary>
        public ImmutableHashSet<ISymbol> TrySends { get; }

        /// <summary>
        /// What is wrong with the configuration, one message per problem, deterministic in content and
        /// order: key problems first, then each list key's entries in ordinal order.
        /// </summary>
        public ImmutableArray<string> Errors { get; }

        public bool IsEmpty => Sources.Count == 0 && Sinks.Count == 0 && VersionChecks.Count == 0 && TrySends.Count == 0;

        /// <summary>
        /// Reads and resolves the configuration of <paramref name="compilation"/>; once per compilation and
        /// options provider (PN0000 and the rules' shared symbols ask for the same).
        /// </summary>
        public static ConfiguredSymbols Read(Compilation compilation, AnalyzerConfigOptionsProvider provider)
        {
            var cached = s_byCompilation.GetValue(compilation, c => new Cached(provider, Resolve(c, provider)));
            return ReferenceEquals(cached.Provider, provider) ? cached.Symbols : Resolve(compilation, provider);
        }

        /// <summary>Whether <paramref name="tree"/> should be skipped as generated code (see <see cref="GeneratedCodeOption"/>).</summary>
        public static bool ShouldSkipGenerated(SyntaxTree tree, AnalyzerConfigOptionsProvider provider, CancellationToken cancellationToken) =>
            GeneratedCodeOption.ShouldSkip(tree, provider, cancellationToken);

        private static ConfiguredSymbols Resolve(Compilation compilation, AnalyzerConfigOptionsProvider provider)
        {
            var values = ConfigurationValues.Read(compilation, provider);
            var errors = new ErrorList(values.Problems);

            var sources = ResolveMembers(compilation, ConfigurationKeys.Sources, values, ConfigurableKinds.WhyNotSource, errors);
            var sinks = ImmutableDictionary.CreateBuilder<IMethodSymbol, ImmutableHashSet<int>>(SymbolEqualityComparer.Default);
            foreach (var entry in values.Entries[ConfigurationKeys.Sinks])
            {
                ResolveSink(compilation, entry, sinks, errors);
            }

            var checks = ResolveMembers(compilation, ConfigurationKeys.VersionChecks, values, ConfigurableKinds.WhyNotVersionCheck, errors);
            var trySends = ResolveMembers(compilation, ConfigurationKeys.TrySends, values, ConfigurableKinds.WhyNotTrySend, errors);
            return new ConfiguredSymbols(sources, sinks.ToImmutable(), checks, trySends, errors.ToImmutable());
        }

        /// <summary>The entries of a key whose entries are plain IDs, each kept when <paramref name="whyNot"/> has no objection.</summary>
        private static ImmutableHashSet<ISymbol> ResolveMembers(
            Compilation compilation, string key, ConfigurationValues values, System.Func<ISymbol, string?> whyNot, ErrorList errors)
        {
            var set = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var entry in values.Entries[key])
            {
                if (entry.IndexOf('|') >= 0)
                {
                    errors.Add(key, entry, $"names a parameter with '|', which only {ConfigurationKeys.Sinks} takes");
                    continue;
                }

                foreach (var symbol in Lookup(compilation, key, entry, entry, errors))
                {
                    var problem = whyNot(symbol);
                    if (problem is null) set.Add(symbol.OriginalDefinition);
                    else errors.Add(key, entry, problem);
                }
            }

            return set.ToImmutable();
        }

        private static void ResolveSink(Compilation compilation, string entry, ImmutableDictionary<IMethodSymbol, ImmutableHashSet<int>>.Builder sinks, ErrorList errors)
        {
            const string key = ConfigurationKeys.Sinks;
            string id = entry;
            string? parameter = null;
            int bar = entry.LastIndexOf('|');
            if (bar >= 0)
            {
                id = entry.Substring(0, bar);
                parameter = entry.Substring(bar + 1);
                if (parameter.Length == 0)
                {
                    errors.Add(key, entry, "names no parameter after '|' (write the parameter's name or zero-based index)");
                    return;
                }
            }

            foreach (var symbol in Lookup(compilation, key, entry, id, errors))
            {
                if (ConfigurableKinds.WhyNotSink(symbol) is { } problem)
                {
                    errors.Add(key, entry, problem);
                    continue;
                }

                var method = (IMethodSymbol)symbol;
                var ordinals = ImmutableHashSet.CreateBuilder<int>();
                if (parameter is null)
                {
                    foreach (var p in method.Parameters)
                    {
                        if (ConfigurableKinds.IsPeerNetProtocolId(p.Type)) ordinals.Add(p.Ordinal);
                    }

                    if (ordinals.Count == 0) errors.Add(key, entry, "has no PeerNet.ProtocolId parameter; name the sink parameter with '|parameterName' or '|index'");
                }
                else if (int.TryParse(parameter, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index))
                {
                    if (index < method.Parameters.Length) ordinals.Add(index);
                    else errors.Add(key, entry, $"has no parameter at index {index} (it has {method.Parameters.Length})");
                }
                else
                {
                    foreach (var p in method.Parameters)
                    {
                        if (p.Name == parameter) ordinals.Add(p.Ordinal);
                    }

                    if (ordinals.Count == 0) errors.Add(key, entry, $"has no parameter named '{parameter}'");
                }

                if (ordinals.Count > 0)
                {
                    var definition = method.OriginalDefinition;
                    sinks[definition] = sinks.TryGetValue(definition, out var existing) ? existing.Union(ordinals) : ordinals.ToImmutable();
                }
            }
        }

        /// <summary>
        /// The symbols a documentation comment ID names exactly (the compiler's lookup also accepts IDs with
        /// trailing text or a missing ')', which would act on something the entry does not say); none, and
        /// an error, otherwise.
        /// </summary>
        private static ImmutableArray<ISymbol> Lookup(Compilation compilation, string key, string entry, string id, ErrorList errors)
        {
            if (!(id.Length > 2 && char.IsLetter(id[0]) && id[1] == ':'))
            {
                errors.Add(key, entry, "is not a documentation comment ID (M:, P: or F: followed by the member's full name)");
                return ImmutableArray<ISymbol>.Empty;
            }

            if (!IsBalanced(id))
            {
                errors.Add(key, entry, "names no symbol of this compilation (a bracket is not closed)");
                return ImmutableArray<ISymbol>.Empty;
            }

            var found = DocumentationCommentId.GetSymbolsForDeclarationId(id, compilation);
            if (found.IsDefaultOrEmpty)
            {
                errors.Add(key, entry, "names no symbol of this compilation");
                return ImmutableArray<ISymbol>.Empty;
            }

            var exact = ImmutableArray.CreateBuilder<ISymbol>();
            foreach (var symbol in found)
            {
                if (symbol.GetDocumentationCommentId() == id) exact.Add(symbol);
            }

            if (exact.Count == 0)
            {
                errors.Add(key, entry, $"names no symbol of this compilation; did you mean '{found[0].GetDocumentationCommentId()}'?");
            }

            return exact.ToImmutable();
        }

        private static bool IsBalanced(string id)
        {
            int depth = 0;
            foreach (char c in id)
            {
                if (c is '(' or '{' or '[') depth++;
                else if (c is ')' or '}' or ']') depth--;
            }

            return depth == 0;
        }

        /// <summary>Error messages, each once, in the order first added.</summary>
        private sealed class ErrorList
        {
            private readonly ImmutableArray<string>.Builder _ordered = ImmutableArray.CreateBuilder<string>();
            private readonly HashSet<string> _seen = new HashSet<string>(System.StringComparer.Ordinal);

            public ErrorList(ImmutableArray<string> problems)
            {
                foreach (var p in problems) Add(p);
            }

            public void Add(string key, string entry, string problem) => Add($"{key}: '{entry}' {problem}");

            private void Add(string message)
            {
                if (_seen.Add(message)) _ordered.Add(message);
            }

            public ImmutableArray<string> ToImmutable() => _ordered.ToImmutable();
        }

        private sealed class Cached
        {
            public Cached(AnalyzerConfigOptionsProvider provider, ConfiguredSymbols symbols)
            {
                Provider = provider;
                Symbols = symbols;
            }

            public AnalyzerConfigOptionsProvider Provider { get; }

            public ConfiguredSymbols Symbols { get; }
        }
    }
}
