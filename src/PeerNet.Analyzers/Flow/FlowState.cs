using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>The key of one element of a tuple-typed local (tracked when assigned from a tuple literal).</summary>
    internal readonly struct TupleElementKey : System.IEquatable<TupleElementKey>
    {
        public TupleElementKey(ILocalSymbol local, int index)
        {
            Local = local;
            Index = index;
        }

        public ILocalSymbol Local { get; }

        public int Index { get; }

        public bool Equals(TupleElementKey other) => Index == other.Index && SymbolEqualityComparer.Default.Equals(Local, other.Local);

        public override bool Equals(object? obj) => obj is TupleElementKey k && Equals(k);

        public override int GetHashCode() => SymbolEqualityComparer.Default.GetHashCode(Local) * 31 + Index;
    }

    /// <summary>Keys of the flow state: locals and parameters by symbol identity, flow captures by id.</summary>
    internal sealed class StateKeyComparer : IEqualityComparer<object>
    {
        public static readonly StateKeyComparer Instance = new StateKeyComparer();

        public new bool Equals(object? x, object? y)
        {
            if (x is ISymbol sx && y is ISymbol sy) return SymbolEqualityComparer.Default.Equals(sx, sy);
            return object.Equals(x, y);
        }

        public int GetHashCode(object obj) => obj is ISymbol s ? SymbolEqualityComparer.Default.GetHashCode(s) : obj.GetHashCode();
    }

    /// <summary>
    /// The immutable abstract state at a program point: the taint of every tracked variable (absent = clean)
    /// and the version checks evaluated on some path to this point (for PN0002). Join is union: a value
    /// stale on one incoming branch is stale after the merge.
    /// </summary>
    internal sealed class FlowState
    {
        public static readonly FlowState Empty = new FlowState(
            ImmutableDictionary.Create<object, Taint>(StateKeyComparer.Instance), ImmutableHashSet<Origin>.Empty);

        private FlowState(ImmutableDictionary<object, Taint> vars, ImmutableHashSet<Origin> checks)
        {
            Vars = vars;
            Checks = checks;
        }

        public ImmutableDictionary<object, Taint> Vars { get; }

        /// <summary>Version checks seen on some path (Origin.Member = what was checked, Location = where).</summary>
        public ImmutableHashSet<Origin> Checks { get; }

        public Taint Get(object key) => Vars.TryGetValue(key, out var t) ? t : Taint.Clean;

        public FlowState Set(object key, Taint taint)
        {
            if (taint.IsClean) return Vars.ContainsKey(key) ? new FlowState(Vars.Remove(key), Checks) : this;
            if (Vars.TryGetValue(key, out var old) && old.Equals(taint)) return this;
            return new FlowState(Vars.SetItem(key, taint), Checks);
        }

        public FlowState AddCheck(Origin check) => Checks.Contains(check) ? this : new FlowState(Vars, Checks.Add(check));

        /// <summary>Only the symbol keys (flow captures belong to one graph).</summary>
        public FlowState WithoutCaptures()
        {
            var any = false;
            foreach (var key in Vars.Keys)
            {
                if (key is CaptureId)
                {
                    any = true;
                    break;
                }
            }

            if (!any) return this;
            var builder = Vars.ToBuilder();
            foreach (var key in Vars.Keys)
            {
                if (key is CaptureId) builder.Remove(key);
            }

            return new FlowState(builder.ToImmutable(), Checks);
        }

        public static FlowState Join(FlowState? a, FlowState b)
        {
            if (a is null) return b;
            if (ReferenceEquals(a, b)) return a;
            var vars = a.Vars;
            foreach (var pair in b.Vars)
            {
                if (!vars.TryGetValue(pair.Key, out var existing))
                {
                    vars = vars.Add(pair.Key, pair.Value);
                    continue;
                }

                var joined = existing.Union(pair.Value);
                if (!joined.Equals(existing)) vars = vars.SetItem(pair.Key, joined);
            }

            var checks = a.Checks.Union(b.Checks);
            return ReferenceEquals(vars, a.Vars) && checks.Count == a.Checks.Count ? a : new FlowState(vars, checks);
        }

        public bool SameAs(FlowState other)
        {
            if (ReferenceEquals(this, other)) return true;
            if (Vars.Count != other.Vars.Count || !Checks.SetEquals(other.Checks)) return false;
            foreach (var pair in Vars)
            {
                if (!other.Vars.TryGetValue(pair.Key, out var t) || !t.Equals(pair.Value)) return false;
            }

            return true;
        }
    }
}
