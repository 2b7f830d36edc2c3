using System.Collections.Immutable;

namespace PeerNet.Analyzers
{
    /// <summary>
    /// The analyzer's .editorconfig / .globalconfig keys (docs/configuration.md). The four list keys hold
    /// documentation comment IDs separated by ',' or whitespace (<see cref="ConfigurationList"/>): the
    /// compiler ends a value at the first ';' or '#', so neither can separate entries.
    /// </summary>
    internal static class ConfigurationKeys
    {
        /// <summary>The prefix of every key of this analyzer (the parser lower-cases keys).</summary>
        public const string Prefix = "peernet.";

        /// <summary>Cached-snapshot reads (like [CachedSnapshotRead]): methods (M:), properties (P:), fields (F:).</summary>
        public const string Sources = "peernet.sources";

        /// <summary>
        /// Sinks (like [RequiresCurrentProtocol]): <c>M:Id(...)|param</c>, where <c>param</c> is the parameter's
        /// name or zero-based index; without <c>|param</c>, every parameter of type PeerNet.ProtocolId.
        /// <c>M:Id(...)|this</c>: the object the method is called on (like [RequiresCurrentReceiver]).
        /// <c>P:Id|value</c> (or <c>P:Id</c>): the value assigned to the property (like [RequiresCurrentProtocol] on a property).
        /// </summary>
        public const string Sinks = "peernet.sinks";

        /// <summary>Version checks (like [SnapshotVersionCheck]): methods, properties (indexers too) and fields.</summary>
        public const string VersionChecks = "peernet.version_checks";

        /// <summary>Try-sends whose result must be observed (PN0003): methods with a result.</summary>
        public const string TrySends = "peernet.try_sends";

        /// <summary>
        /// Sends bound to a snapshot version that their receiver validates (like [ValidatedSnapshotVersion]):
        /// <c>M:Id(...)|param</c> names the version parameter.
        /// </summary>
        public const string ValidatedVersions = "peernet.validated_versions";

        /// <summary>Types that own their connection and read its state at send time (like [ConnectionOwner]): <c>T:Id</c>.</summary>
        public const string ConnectionOwners = "peernet.connection_owners";

        /// <summary>"true" to analyze generated code (skipped by default); see <see cref="GeneratedCodeOption"/>.</summary>
        public const string AnalyzeGeneratedCode = "peernet.analyze_generated_code";

        /// <summary>The list keys, in the order their entries are resolved and reported.</summary>
        public static readonly ImmutableArray<string> Lists = ImmutableArray.Create(Sources, Sinks, VersionChecks, TrySends, ValidatedVersions, ConnectionOwners);

        /// <summary>Every key this analyzer reads.</summary>
        public static readonly ImmutableArray<string> All = Lists.Add(AnalyzeGeneratedCode);

        /// <summary>
        /// The keys of 0.1.0, whose entries were separated by ';' (which the compiler's parser cuts
        /// off), and the key that replaces each. They are no longer read; PN0000 reports each with the migration.
        /// </summary>
        public static readonly ImmutableArray<(string Retired, string Replacement)> Retired = ImmutableArray.Create(
            ("peernet.extra_sources", Sources),
            ("peernet.extra_sinks", Sinks),
            ("peernet.extra_version_checks", VersionChecks),
            ("peernet.extra_try_sends", TrySends));
    }
}
