using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
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
            Extras extras,
            ImmutableArray<string> errors)
        {
            Sources = sources;
            Sinks = sinks;
            VersionChecks = versionChecks;
            TrySends = trySends;
            ReceiverSinks = extras.ReceiverSinks.ToImmutable();
            SetterSinks = extras.SetterSinks.ToImmutable();
            ValidatedVersions = extras.ValidatedVersions.ToImmutable();
            ConnectionOwners = extras.ConnectionOwners;
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

        /// <summary>Instance methods whose receiver is a sink (<c>M:...|this</c>).</summary>
        public ImmutableHashSet<ISymbol> ReceiverSinks { get; }

        /// <summary>Properties whose assigned value is a sink (<c>P:...|value</c>).</summary>
        public ImmutableHashSet<ISymbol> SetterSinks { get; }

        /// <summary>Sends and the ordinals of their validated snapshot-version parameters (<see cref="ConfigurationKeys.ValidatedVersions"/>).</summary>
        public ImmutableDictionary<IMethodSymbol, ImmutableHashSet<int>> ValidatedVersions { get; }

        /// <summary>Types named in <see cref="ConfigurationKeys.ConnectionOwners"/>.</summary>
        public ImmutableHashSet<ISymbol> ConnectionOwners { get; }

        /// <summary>
        /// What is wrong with the configuration, one message per problem, deterministic in content and
        /// order: key problems first, then each list key's entries in ordinal order.
        /// </summary>
        public ImmutableArray<string> Errors { get; }

        public bool IsEmpty =>
            Sources.Count == 0 && Sinks.Count == 0 && VersionChecks.Count == 0 && TrySends.Count == 0 &&
            ReceiverSinks.Count == 0 && SetterSinks.Count == 0 && ValidatedVersions.Count == 0 && ConnectionOwners.Count == 0;

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

            // Sources are configured: the analysis will look for their names in every tree. Reading the texts before the
            // first lookup below lets the compiler's first symbol work finish on its own thread meanwhile (TreeText.ReadWords).
            if (!values.Entries[ConfigurationKeys.Sources].IsEmpty) Flow.TreeText.ReadWords(compilation, CancellationToken.None);

            var sources = ResolveMembers(compilation, ConfigurationKeys.Sources, values, ConfigurableKinds.WhyNotSource, errors);
            var sinks = ImmutableDictionary.CreateBuilder<IMethodSymbol, ImmutableHashSet<int>>(SymbolEqualityComparer.Default);
            var extras = new Extras();
            foreach (var entry in values.Entries[ConfigurationKeys.Sinks])
            {
                ResolveSink(compilation, entry, sinks, extras, errors);
            }

            var checks = ResolveMembers(compilation, ConfigurationKeys.VersionChecks, values, ConfigurableKinds.WhyNotVersionCheck, errors);
            var trySends = ResolveMembers(compilation, ConfigurationKeys.TrySends, values, ConfigurableKinds.WhyNotTrySend, errors);
            foreach (var entry in values.Entries[ConfigurationKeys.ValidatedVersions])
            {
                ResolveValidatedVersion(compilation, entry, extras.ValidatedVersions, errors);
            }

            extras.ConnectionOwners = ResolveMembers(compilation, ConfigurationKeys.ConnectionOwners, values, ConfigurableKinds.WhyNotConnectionOwner, errors);
            return new ConfiguredSymbols(sources, sinks.ToImmutable(), checks, trySends, extras, errors.ToImmutable());
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
                    errors.Add(key, entry, $"names a parameter with '|', which only {ConfigurationKeys.Sinks} and {ConfigurationKeys.ValidatedVersions} take");
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

        private static void ResolveSink(
            Compilation compilation, string entry, ImmutableDictionary<IMethodSymbol, ImmutableHashSet<int>>.Builder sinks, Extras extras, ErrorList errors)
        {
            const string key = ConfigurationKeys.Sinks;
            if (!SplitParameter(key, entry, errors, out var id, out var parameter)) return;
            foreach (var symbol in Lookup(compilation, key, entry, id, errors))
            {
                if (ConfigurableKinds.WhyNotSink(symbol) is { } problem)
                {
                    errors.Add(key, entry, problem);
                    continue;
                }

                if (symbol is IPropertySymbol property)
                {
                    if (parameter is null or "value") extras.SetterSinks.Add(property.OriginalDefinition);
                    else errors.Add(key, entry, $"names '{parameter}' of a property; a property sink takes '|value' (the assigned value) or nothing");
                    continue;
                }

                var method = (IMethodSymbol)symbol;
                if (parameter == "this" && !method.Parameters.Any(p => p.Name == "this"))
                {
                    if (ConfigurableKinds.WhyNotReceiverSink(method) is { } notReceiver) errors.Add(key, entry, notReceiver);
                    else extras.ReceiverSinks.Add(method.OriginalDefinition);
                    continue;
                }

                var ordinals = ImmutableHashSet.CreateBuilder<int>();
                if (parameter is null)
                {
                    foreach (var p in method.Parameters)
                    {
                        if (ConfigurableKinds.IsPeerNetProtocolId(p.Type)) ordinals.Add(p.Ordinal);
                    }

                    if (ordinals.Count == 0) errors.Add(key, entry, "has no PeerNet.ProtocolId parameter; name the sink parameter with '|parameterName' or '|index', or the receiver with '|this'");
                }
                else
                {
                    AddParameter(key, entry, method, parameter, ordinals, errors);
                }

                if (ordinals.Count > 0) Merge(sinks, method.OriginalDefinition, ordinals.ToImmutable());
            }
        }

        private static void ResolveValidatedVersion(
            Compilation compilation, string entry, ImmutableDictionary<IMethodSymbol, ImmutableHashSet<int>>.Builder versions, ErrorList errors)
        {
            const string key = ConfigurationKeys.ValidatedVersions;
            if (!SplitParameter(key, entry, errors, out var id, out var parameter)) return;
            foreach (var symbol in Lookup(compilation, key, entry, id, errors))
            {
                if (ConfigurableKinds.WhyNotValidatedVersion(symbol) is { } problem)
                {
                    errors.Add(key, entry, problem);
                    continue;
                }

                if (parameter is null)
                {
                    errors.Add(key, entry, "names no parameter; write '|parameterName' or '|index' for the snapshot version the receiver validates");
                    continue;
                }

                var method = (IMethodSymbol)symbol;
                var ordinals = ImmutableHashSet.CreateBuilder<int>();
                AddParameter(key, entry, method, parameter, ordinals, errors);
                if (ordinals.Count > 0) Merge(versions, method.OriginalDefinition, ordinals.ToImmutable());
            }
        }

        /// <summary>Splits <c>ID|parameter</c>; false (and an error) when the part after '|' is empty.</summary>
        private static bool SplitParameter(string key, string entry, ErrorList errors, out string id, out string? parameter)
        {
            id = entry;
            parameter = null;
            int bar = entry.LastIndexOf('|');
            if (bar < 0) return true;
            id = entry.Substring(0, bar);
            parameter = entry.Substring(bar + 1);
            if (parameter.Length > 0) return true;
            errors.Add(key, entry, "names no parameter after '|' (write the parameter's name or zero-based index)");
            return false;
        }

        /// <summary>The parameter named by <paramref name="parameter"/> (a name or a zero-based index), or an error.</summary>
        private static void AddParameter(string key, string entry, IMethodSymbol method, string parameter, ImmutableHashSet<int>.Builder ordinals, ErrorList errors)
        {
            if (int.TryParse(parameter, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index))
            {
                if (index < method.Parameters.Length) ordinals.Add(index);
                else errors.Add(key, entry, $"has no parameter at index {index} (it has {method.Parameters.Length})");
                return;
            }

            foreach (var p in method.Parameters)
            {
                if (p.Name == parameter) ordinals.Add(p.Ordinal);
            }

            if (ordinals.Count == 0) errors.Add(key, entry, $"has no parameter named '{parameter}'");
        }

        private static void Merge(ImmutableDictionary<IMethodSymbol, ImmutableHashSet<int>>.Builder map, IMethodSymbol method, ImmutableHashSet<int> ordinals) =>
            map[method] = map.TryGetValue(method, out var existing) ? existing.Union(ordinals) : ordinals;

        /// <summary>
        /// The symbols a documentation comment ID names exactly (the compiler's lookup also accepts IDs with
        /// trailing text or a missing ')', which would act on something the entry does not say); none, and
        /// an error, otherwise.
        /// </summary>
        private static ImmutableArray<ISymbol> Lookup(Compilation compilation, string key, string entry, string id, ErrorList errors)
        {
            if (!(id.Length > 2 && char.IsLetter(id[0]) && id[1] == ':'))
            {
                errors.Add(key, entry, "is not a documentation comment ID (M:, P:, F: or T: followed by the member's or type's full name)");
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

        /// <summary>The kinds resolved beside the four original lists.</summary>
        private sealed class Extras
        {
            public ImmutableHashSet<ISymbol>.Builder ReceiverSinks { get; } = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);

            public ImmutableHashSet<ISymbol>.Builder SetterSinks { get; } = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);

            public ImmutableDictionary<IMethodSymbol, ImmutableHashSet<int>>.Builder ValidatedVersions { get; } =
                ImmutableDictionary.CreateBuilder<IMethodSymbol, ImmutableHashSet<int>>(SymbolEqualityComparer.Default);

            public ImmutableHashSet<ISymbol> ConnectionOwners { get; set; } = ImmutableHashSet<ISymbol>.Empty;
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
