using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>What kind of value an <see cref="Origin"/> stands for.</summary>
    internal enum OriginKind
    {
        /// <summary>A cached snapshot read (attribute, configuration, or a summarized method/field).</summary>
        Source,

        /// <summary>A parameter of the method being summarized (symbolic; only inside summaries).</summary>
        Parameter,
    }

    /// <summary>Where a tainted value came from.</summary>
    internal sealed class Origin : IEquatable<Origin>
    {
        private Origin(OriginKind kind, string member, Location location, int ordinal, string part = "", string path = "", ISymbol? receiver = null, CheckSite? site = null)
        {
            Kind = kind;
            Member = member;
            Location = location;
            Ordinal = ordinal;
            Part = part;
            Path = path;
            Receiver = receiver;
            Site = site;
        }

        /// <summary>
        /// Field sensitivity: when not empty, this origin taints only the member of that name of the value
        /// (`new Plan(Constant, staleNote)` is stale in Note only); reading another member drops it.
        /// </summary>
        public string Part { get; }

        /// <summary>
        /// For <see cref="OriginKind.Parameter"/>: when not empty, the member of that name of the argument
        /// (a summary reading `plan.Protocol` from its parameter stands for the argument's Protocol only).
        /// </summary>
        public string Path { get; }

        /// <summary>This origin restricted to the member <paramref name="part"/> of the value holding it.</summary>
        public Origin WithPart(string part) =>
            string.Equals(part, Part, StringComparison.Ordinal) ? this : new Origin(Kind, Member, Location, Ordinal, part, Path, Receiver, Site);

        /// <summary>A parameter origin standing for the member <paramref name="path"/> of the argument.</summary>
        public Origin WithPath(string path) =>
            string.Equals(path, Path, StringComparison.Ordinal) ? this : new Origin(Kind, Member, Location, Ordinal, Part, path, Receiver, Site);

        public OriginKind Kind { get; }

        /// <summary>The name of the member that was read (for <see cref="OriginKind.Source"/>).</summary>
        public string Member { get; }

        /// <summary>The read in the analyzed body (for <see cref="OriginKind.Source"/>).</summary>
        public Location Location { get; }

        /// <summary>The parameter ordinal (for <see cref="OriginKind.Parameter"/>).</summary>
        public int Ordinal { get; }

        /// <summary>For a source: the local or parameter the read was performed on, when it was one (see SnapshotBinding).</summary>
        public ISymbol? Receiver { get; }

        /// <summary>For a version check: the operation and block it was evaluated in (see CheckRelevance).</summary>
        public CheckSite? Site { get; }

        public static Origin Source(string member, Location location) => new Origin(OriginKind.Source, member, location, -1);

        public static Origin Source(string member, Location location, ISymbol? receiver) => new Origin(OriginKind.Source, member, location, -1, receiver: receiver);

        public static Origin Check(string member, Location location, CheckSite site) => new Origin(OriginKind.Source, member, location, -1, site: site);

        public static Origin Parameter(int ordinal) => new Origin(OriginKind.Parameter, string.Empty, Location.None, ordinal);

        public bool Equals(Origin? other) =>
            other is not null && other.Kind == Kind && other.Ordinal == Ordinal &&
            string.Equals(other.Member, Member, StringComparison.Ordinal) && other.Location.Equals(Location) &&
            string.Equals(other.Part, Part, StringComparison.Ordinal) && string.Equals(other.Path, Path, StringComparison.Ordinal);

        public override bool Equals(object? obj) => Equals(obj as Origin);

        public override int GetHashCode() =>
            (((((int)Kind * 31) + Ordinal) * 31 + StringComparer.Ordinal.GetHashCode(Member)) * 31 + Location.GetHashCode()) * 31 +
            StringComparer.Ordinal.GetHashCode(Part) + StringComparer.Ordinal.GetHashCode(Path);

        /// <summary>A deterministic order: by file, then position.</summary>
        public static int Compare(Origin a, Origin b)
        {
            int c = a.Kind.CompareTo(b.Kind);
            if (c != 0) return c;
            c = string.CompareOrdinal(a.Location.SourceTree?.FilePath ?? string.Empty, b.Location.SourceTree?.FilePath ?? string.Empty);
            if (c != 0) return c;
            c = a.Location.SourceSpan.Start.CompareTo(b.Location.SourceSpan.Start);
            if (c != 0) return c;
            c = a.Location.SourceSpan.Length.CompareTo(b.Location.SourceSpan.Length);
            if (c != 0) return c;
            c = a.Ordinal.CompareTo(b.Ordinal);
            if (c != 0) return c;
            c = string.CompareOrdinal(a.Member, b.Member);
            if (c != 0) return c;
            c = string.CompareOrdinal(a.Part, b.Part);
            return c != 0 ? c : string.CompareOrdinal(a.Path, b.Path);
        }
    }

    /// <summary>
    /// The abstract value of an expression or variable: the snapshot reads (or, in a summary, the
    /// parameters) it may be derived from, and whether it carries protocol information (a protocol, a
    /// protocol set, or a decision taken on one), which is what makes a branch on it choose a protocol.
    /// </summary>
    internal readonly struct Taint : IEquatable<Taint>
    {
        private static readonly ImmutableHashSet<Origin> NoOrigins = ImmutableHashSet<Origin>.Empty;

        public Taint(ImmutableHashSet<Origin> origins, bool protocolBearing)
        {
            _origins = origins.Count == 0 ? null : origins;
            ProtocolBearing = protocolBearing && origins.Count > 0;
            // Asked of nearly every value the solver handles (Flatten, HasSource): found once, when the value is made.
            var hasSource = false;
            var hasParts = false;
            foreach (var origin in origins)
            {
                hasSource |= origin.Kind == OriginKind.Source;
                hasParts |= origin.Part.Length != 0;
                if (hasSource && hasParts) break;
            }

            HasSource = hasSource;
            HasParts = hasParts;
        }

        /// <summary>A taint whose flags are known without looking at its origins (a union's are its operands').</summary>
        private Taint(ImmutableHashSet<Origin> origins, bool protocolBearing, bool hasSource, bool hasParts)
        {
            _origins = origins.Count == 0 ? null : origins;
            ProtocolBearing = protocolBearing && origins.Count > 0;
            HasSource = hasSource && origins.Count > 0;
            HasParts = hasParts && origins.Count > 0;
        }

        public static Taint Clean => default;

        private readonly ImmutableHashSet<Origin>? _origins;

        public ImmutableHashSet<Origin> Origins => _origins ?? NoOrigins;

        public bool ProtocolBearing { get; }

        public bool IsClean => _origins is null;

        /// <summary>Whether some origin is a snapshot read (not only a summary's parameter).</summary>
        public bool HasSource { get; }

        public static Taint Of(Origin origin, bool protocolBearing) =>
            new Taint(NoOrigins.Add(origin), protocolBearing, origin.Kind == OriginKind.Source, origin.Part.Length != 0);

        public Taint Union(Taint other)
        {
            if (other.IsClean) return this;
            if (IsClean) return other;
            var bearing = ProtocolBearing || other.ProtocolBearing;
            var origins = ReferenceEquals(_origins, other._origins) ? _origins! : _origins!.Union(other.Origins);
            return ReferenceEquals(origins, _origins) && bearing == ProtocolBearing ? this : new Taint(origins, bearing, HasSource || other.HasSource, HasParts || other.HasParts);
        }

        public Taint WithBearing(bool bearing) => IsClean || ProtocolBearing || !bearing ? this : new Taint(Origins, true, HasSource, HasParts);

        public Taint OnlySources() =>
            IsClean ? this : new Taint(Origins.Where(o => o.Kind == OriginKind.Source).ToImmutableHashSet(), ProtocolBearing);

        /// <summary>Whether some origin taints only one member of the value (see <see cref="Origin.Part"/>).</summary>
        public bool HasParts { get; }

        /// <summary>The whole value used as one (an operand, an argument of an opaque call): member restrictions dropped.</summary>
        public Taint Flatten() =>
            HasParts ? new Taint(Origins.Select(o => o.WithPart(string.Empty)).ToImmutableHashSet(), ProtocolBearing, HasSource, hasParts: false) : this;

        /// <summary>The value stored in member <paramref name="part"/> of a new object: its origins taint that member only.</summary>
        public Taint AsPart(string part) =>
            IsClean ? this : new Taint(Origins.Select(o => o.WithPart(part)).ToImmutableHashSet(), ProtocolBearing);

        /// <summary>The value without what taints only member <paramref name="part"/> (that member is overwritten).</summary>
        public Taint WithoutPart(string part) =>
            IsClean || !HasParts ? this : new Taint(Origins.Where(o => !string.Equals(o.Part, part, StringComparison.Ordinal)).ToImmutableHashSet(), ProtocolBearing);

        /// <summary>
        /// Reading member <paramref name="member"/> of a value of this taint: what taints another member only
        /// is dropped, what taints that member is the whole result. With <paramref name="parameterOrdinal"/>
        /// (the receiver is that parameter itself, in a summary), the parameter's origin becomes the argument's member.
        /// </summary>
        public Taint ReadMember(string member, int parameterOrdinal = -1)
        {
            if (IsClean) return this;
            if (!HasParts && parameterOrdinal < 0) return this;
            var builder = ImmutableHashSet.CreateBuilder<Origin>();
            foreach (var o in Origins)
            {
                if (o.Part.Length != 0)
                {
                    if (string.Equals(o.Part, member, StringComparison.Ordinal)) builder.Add(o.WithPart(string.Empty));
                }
                else if (o.Kind == OriginKind.Parameter && o.Ordinal == parameterOrdinal && o.Path.Length == 0)
                {
                    builder.Add(o.WithPath(member));
                }
                else
                {
                    builder.Add(o);
                }
            }

            return new Taint(builder.ToImmutable(), ProtocolBearing);
        }

        public Origin? FirstSource()
        {
            Origin? best = null;
            if (IsClean) return null;
            foreach (var o in Origins)
            {
                if (o.Kind != OriginKind.Source) continue;
                if (best is null || Origin.Compare(o, best) < 0) best = o;
            }

            return best;
        }

        public bool Equals(Taint other) =>
            ProtocolBearing == other.ProtocolBearing && (ReferenceEquals(_origins, other._origins) || Origins.SetEquals(other.Origins));

        public override bool Equals(object? obj) => obj is Taint t && Equals(t);

        public override int GetHashCode() => Origins.Count * 2 + (ProtocolBearing ? 1 : 0);
    }
}
