using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// The per-compilation solver of the engine's recursive facts (method summaries, member taints): each is
    /// computed once per key, on demand, and recursion ends in a fixed point instead of a depth cut.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The keys a computation asks for form a graph; its strongly connected components (recursion, mutual
    /// calls, a member read in a method that assigns it) are found as they are met, in the manner of
    /// Tarjan's algorithm: every computation on the stack records the lowest stack index whose unfinished
    /// value it used (<see cref="FixedPointStack.Frame.DependsOn"/>), and a computation that used nothing
    /// below itself is the root of a component: everything computed since it was pushed and not yet final
    /// belongs to that component.
    /// </para>
    /// <para>
    /// A key asked for while it is being computed gets the least value (nothing tainted); a member of a
    /// component already computed gets its current value. Every such read is recorded (who read what).
    /// When the root returns and some key handed out a value that differs from the one then computed for
    /// it, the component is solved by a worklist: the readers of a changed value are computed again,
    /// against the current values of the others, and the readers of whatever changes in turn, until
    /// nothing changes (the facts only grow: taints are unions). Every member then rests on the final
    /// values of the others, and all of them become final together. A component whose members are
    /// computed again more than <see cref="FixedPointStack.MaxIterations"/> times each on average gives up:
    /// the root's value is the give-up value (opaque) and the other members are forgotten (computed again
    /// when asked, against it).
    /// </para>
    /// <para>
    /// So the cost of a component is its size times the number of times its values grow, whatever the
    /// nesting of its cycles, and the value of a key does not depend on which key was asked first. All
    /// caches of one compilation share one stack per thread, so a cycle through a summary and a member
    /// taint is one component. Nothing blocks across threads: two threads may compute the same key at once,
    /// and both get the same fixed point.
    /// </para>
    /// </remarks>
    internal sealed class FixedPointStack
    {
        private readonly ThreadLocal<State> _state = new ThreadLocal<State>(() => new State());

        /// <summary>How often, on average, each member of a component may be computed again before the component gives up.</summary>
        public const int MaxIterations = 8;

        internal State Current => _state.Value!;

        /// <summary>One thread's solver state.</summary>
        internal sealed class State
        {
            /// <summary>The computations in progress, innermost last.</summary>
            public readonly List<Frame> Frames = new List<Frame>();

            /// <summary>The stack index of each key being computed.</summary>
            public readonly Dictionary<Slot, int> OnStack = new Dictionary<Slot, int>(SlotComparer.Instance);

            /// <summary>
            /// The members of components whose root is still on the stack, with their current values, in
            /// the order they were computed: a root's component is the tail from its <see cref="Frame.Mark"/>.
            /// </summary>
            public readonly List<Entry> Provisional = new List<Entry>();

            /// <summary>The position of each key in <see cref="Provisional"/>.</summary>
            public readonly Dictionary<Slot, int> ProvisionalAt = new Dictionary<Slot, int>(SlotComparer.Instance);

            /// <summary>Who read each unfinished key (its approximation, or its current value as a member).</summary>
            public readonly Dictionary<Slot, List<Slot>> Readers = new Dictionary<Slot, List<Slot>>(SlotComparer.Instance);

            /// <summary>Keys that handed out an approximation other than the value then computed for them.</summary>
            public readonly List<Slot> Changed = new List<Slot>();

            public void RecordRead(Slot read, Slot reader)
            {
                if (!Readers.TryGetValue(read, out var readers))
                {
                    readers = new List<Slot>();
                    Readers.Add(read, readers);
                }

                readers.Add(reader);
            }

            /// <summary>Forgets the values computed since <paramref name="frame"/> was pushed, and what they changed (a component that gave up or failed).</summary>
            public void Forget(Frame frame)
            {
                EndComponent(frame.Mark, final: false);
                Readers.Remove(frame.Slot);
                if (Changed.Count > frame.ChangedMark) Changed.RemoveRange(frame.ChangedMark, Changed.Count - frame.ChangedMark);
            }

            /// <summary>Makes final the values computed since <paramref name="mark"/> (a solved component), or forgets them.</summary>
            public void EndComponent(int mark, bool final)
            {
                for (int i = mark; i < Provisional.Count; i++)
                {
                    var e = Provisional[i];
                    ProvisionalAt.Remove(e.Slot);
                    Readers.Remove(e.Slot);
                    if (final) e.Slot.Cache.SetFinal(e.Slot.Key, e.Value);
                }

                Provisional.RemoveRange(mark, Provisional.Count - mark);
            }

            public void Clear()
            {
                Provisional.Clear();
                ProvisionalAt.Clear();
                Readers.Clear();
                Changed.Clear();
            }

            /// <summary>
            /// Solves the component of <paramref name="root"/> (on top of the stack, its value just computed
            /// in <see cref="Frame.Approximation"/>) by a worklist over the recorded reads. Returns false when
            /// it does not settle within the budget; <paramref name="lowest"/> is the lowest stack index a
            /// recomputation used an unfinished value of (below the root: grown values reached further, and
            /// the component joins the one below).
            /// </summary>
            public bool Solve(Frame root, Func<object> computeRoot, CancellationToken cancellationToken, out int lowest)
            {
                lowest = int.MaxValue;
                // Dirty members by their place in the component, computed again latest-finished first
                // (the root, then the members that finished last: nearer the root).
                var dirty = new SortedSet<int>();
                const int Root = int.MaxValue;
                void ReadersAreDirty(Slot changed)
                {
                    if (!Readers.TryGetValue(changed, out var readers)) return;
                    foreach (var reader in readers)
                    {
                        if (SlotComparer.Instance.Equals(reader, root.Slot)) dirty.Add(Root);
                        else if (ProvisionalAt.TryGetValue(reader, out int position) && position >= root.Mark) dirty.Add(position);
                    }
                }

                // Keys that handed out the least value while being computed and then computed another.
                void ChangedSince(int mark)
                {
                    for (int i = mark; i < Changed.Count; i++)
                    {
                        ReadersAreDirty(Changed[i]);
                    }

                    Changed.RemoveRange(mark, Changed.Count - mark);
                }

                ChangedSince(root.ChangedMark);
                int recomputations = 0;
                while (dirty.Count > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (++recomputations > MaxIterations * (Provisional.Count - root.Mark + 1)) return false;
                    int position = dirty.Max;
                    dirty.Remove(position);
                    if (position == Root)
                    {
                        root.DependsOn = int.MaxValue;
                        var value = computeRoot();
                        lowest = Math.Min(lowest, root.DependsOn);
                        ChangedSince(root.ChangedMark);
                        if (root.Slot.Cache.Same(value, root.Approximation)) continue;
                        root.Approximation = value;
                        ReadersAreDirty(root.Slot);
                        continue;
                    }

                    var entry = Provisional[position];
                    var slot = entry.Slot;
                    var member = new Frame(slot, entry.Value, Frames.Count, Provisional.Count, Changed.Count);
                    Frames.Add(member);
                    OnStack.Add(slot, member.Index);
                    object recomputed;
                    try
                    {
                        recomputed = entry.Recompute();
                    }
                    finally
                    {
                        Frames.RemoveAt(Frames.Count - 1);
                        OnStack.Remove(slot);
                        member.JoinedTo = root;
                    }

                    lowest = Math.Min(lowest, member.DependsOn);
                    ChangedSince(member.ChangedMark);

                    // Its reads of itself, through others, got the value it had: if it changed, they follow.
                    if (slot.Cache.Same(recomputed, entry.Value)) continue;
                    Provisional[position] = new Entry(slot, recomputed, entry.DependsOn, entry.Recompute);
                    ReadersAreDirty(slot);
                }

                return true;
            }
        }

        /// <summary>What the stack needs of a cache: its key equality and a way to make a value final.</summary>
        internal interface ICache
        {
            bool KeysEqual(object a, object b);

            int KeyHash(object key);

            void SetFinal(object key, object value);

            bool Same(object a, object b);
        }

        /// <summary>A key of one cache.</summary>
        internal readonly struct Slot
        {
            public Slot(ICache cache, object key)
            {
                Cache = cache;
                Key = key;
            }

            public ICache Cache { get; }

            public object Key { get; }
        }

        private sealed class SlotComparer : IEqualityComparer<Slot>
        {
            public static readonly SlotComparer Instance = new SlotComparer();

            public bool Equals(Slot x, Slot y) => ReferenceEquals(x.Cache, y.Cache) && x.Cache.KeysEqual(x.Key, y.Key);

            public int GetHashCode(Slot obj) => (RuntimeHelpers.GetHashCode(obj.Cache) * 31) ^ obj.Cache.KeyHash(obj.Key);
        }

        /// <summary>A member of a component being solved: its current value and how to compute it again.</summary>
        internal readonly struct Entry
        {
            public Entry(Slot slot, object value, Frame dependsOn, Func<object> recompute)
            {
                Slot = slot;
                Value = value;
                DependsOn = dependsOn;
                Recompute = recompute;
            }

            public Slot Slot { get; }

            public object Value { get; }

            /// <summary>
            /// The lowest computation this value used an unfinished value of, when it was computed; that one
            /// may since have returned as a member of a component further down (<see cref="Frame.StackIndex"/>).
            /// </summary>
            public Frame DependsOn { get; }

            public Func<object> Recompute { get; }
        }

        internal sealed class Frame
        {
            public Frame(Slot slot, object approximation, int index, int mark, int changedMark)
            {
                Slot = slot;
                Approximation = approximation;
                Index = index;
                Mark = mark;
                ChangedMark = changedMark;
            }

            /// <summary>The key computed.</summary>
            public Slot Slot { get; }

            /// <summary>The value handed to requests for this key made while it is computed.</summary>
            public object Approximation { get; set; }

            /// <summary>Its position on the stack while it is there.</summary>
            public int Index { get; }

            /// <summary>Where this computation's component starts in <see cref="State.Provisional"/>.</summary>
            public int Mark { get; }

            /// <summary>Where the keys changed during this computation start in <see cref="State.Changed"/>.</summary>
            public int ChangedMark { get; }

            /// <summary>Asked for while being computed: its value must equal <see cref="Approximation"/>, else its readers are computed again.</summary>
            public bool Reentered { get; set; }

            /// <summary>The lowest stack index whose unfinished value this computation used (int.MaxValue: none).</summary>
            public int DependsOn { get; set; } = int.MaxValue;

            /// <summary>
            /// Once it returned as a member of a component: the computation further down whose component it
            /// joined (what a value that used this one's unfinished value now depends on).
            /// </summary>
            public Frame? JoinedTo { get; set; }

            /// <summary>
            /// The stack index of the computation a value that used this one's unfinished value depends on:
            /// this one while it is on the stack, else the one it joined, transitively (paths shortened).
            /// </summary>
            public int StackIndex()
            {
                var frame = this;
                while (frame.JoinedTo is { } joined)
                {
                    if (joined.JoinedTo is { } further) frame.JoinedTo = further;
                    frame = joined;
                }

                return frame.Index;
            }
        }
    }

    /// <summary>One memo of <see cref="FixedPointStack"/>'s kind: values per key, computed once, cycles solved to a fixed point.</summary>
    internal sealed class FixedPointCache<TKey, TValue> : FixedPointStack.ICache
        where TKey : notnull
        where TValue : class
    {
        private readonly ConcurrentDictionary<TKey, TValue> _final;
        private readonly FixedPointStack _stack;
        private readonly TValue _least;
        private readonly TValue _giveUp;
        private readonly Func<TValue, TValue, bool> _same;
        private readonly IEqualityComparer<TKey> _keys;

        public FixedPointCache(FixedPointStack stack, IEqualityComparer<TKey> keys, TValue least, TValue giveUp, Func<TValue, TValue, bool> same)
        {
            _stack = stack;
            _keys = keys;
            _final = new ConcurrentDictionary<TKey, TValue>(keys);
            _least = least;
            _giveUp = giveUp;
            _same = same;
        }

        /// <summary>The value of <paramref name="key"/> if it is final (its component solved).</summary>
        public bool TryGetFinal(TKey key, out TValue value) => _final.TryGetValue(key, out value!);

        bool FixedPointStack.ICache.KeysEqual(object a, object b) => _keys.Equals((TKey)a, (TKey)b);

        int FixedPointStack.ICache.KeyHash(object key) => _keys.GetHashCode((TKey)key);

        void FixedPointStack.ICache.SetFinal(object key, object value) => _final.TryAdd((TKey)key, (TValue)value);

        bool FixedPointStack.ICache.Same(object a, object b) => _same((TValue)a, (TValue)b);

        public TValue Get(TKey key, Func<TKey, TValue> compute, CancellationToken cancellationToken)
        {
            if (_final.TryGetValue(key, out var done)) return done;
            var state = _stack.Current;
            var frames = state.Frames;
            var slot = new FixedPointStack.Slot(this, key);

            // Asked for while being computed: a cycle; hand out the approximation.
            if (state.OnStack.TryGetValue(slot, out int at))
            {
                var current = frames[at];
                current.Reentered = true;
                var top = frames[frames.Count - 1];
                top.DependsOn = Math.Min(top.DependsOn, at);
                state.RecordRead(slot, top.Slot);
                return (TValue)current.Approximation;
            }

            // A member of a component still being solved: its current value.
            if (state.ProvisionalAt.TryGetValue(slot, out int position))
            {
                var entry = state.Provisional[position];
                var top = frames[frames.Count - 1];
                top.DependsOn = Math.Min(top.DependsOn, entry.DependsOn.StackIndex());
                state.RecordRead(slot, top.Slot);
                return (TValue)entry.Value;
            }

            int index = frames.Count;
            var frame = new FixedPointStack.Frame(slot, _least, index, state.Provisional.Count, state.Changed.Count);
            frames.Add(frame);
            state.OnStack.Add(slot, index);
            bool ended = false;
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                var value = compute(key);
                if (frame.Reentered && !_same(value, _least)) state.Changed.Add(slot);

                if (frame.DependsOn >= index && state.Changed.Count > frame.ChangedMark)
                {
                    // The root of a component (everything provisional since it was pushed) whose values
                    // handed out while computing it were not the final ones: solve it.
                    frame.Approximation = value;
                    if (!state.Solve(frame, () => compute(key), cancellationToken, out int lowest))
                    {
                        state.Forget(frame);
                        ended = true;
                        return _final.GetOrAdd(key, _giveUp);
                    }

                    value = (TValue)frame.Approximation;
                    frame.DependsOn = Math.Min(frame.DependsOn, lowest);
                }

                if (frame.DependsOn < index)
                {
                    // A member of a component whose root is further down, which solves it.
                    var parent = frames[index - 1];
                    parent.DependsOn = Math.Min(parent.DependsOn, frame.DependsOn);
                    state.RecordRead(slot, parent.Slot);
                    var joined = frames[frame.DependsOn];
                    frame.JoinedTo = joined;
                    state.ProvisionalAt[slot] = state.Provisional.Count;
                    state.Provisional.Add(new FixedPointStack.Entry(slot, value, joined, () => compute(key)));
                    ended = true;
                    return value;
                }

                // The root of a solved component: all of it is final.
                state.EndComponent(frame.Mark, final: true);
                state.Readers.Remove(slot);
                ended = true;
                return _final.GetOrAdd(key, value);
            }
            finally
            {
                if (!ended) state.Forget(frame);
                frames.RemoveAt(frames.Count - 1);
                state.OnStack.Remove(slot);
                if (frames.Count == 0) state.Clear();
            }
        }

    }
}
