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
    /// Tarjan's algorithm: every computation on the stack records the lowest stack index it used an
    /// unfinished value of (<see cref="Frame.DependsOn"/>), and a computation that used nothing below
    /// itself is the root of a component: everything computed since it was pushed and not yet final
    /// belongs to that component.
    /// </para>
    /// <para>
    /// A key asked for while it is being computed gets its approximation: the least value (nothing
    /// tainted) the first time, then the value it had in the component's previous iteration. Inside one
    /// iteration each key of the component is computed once and later requests reuse that value. When
    /// the root returns, the component is solved if every approximation handed out equals the value then
    /// computed for its key: each value was computed from final values, from values of this iteration, or
    /// from approximations equal to them, so all of them are final together. Otherwise the root computes
    /// the whole component again, each member starting from its last value (the facts only grow: taints
    /// are unions), at most <see cref="MaxIterations"/> times, after which the root's value is the
    /// give-up value (opaque) and the other members are forgotten (computed again when asked, against it).
    /// </para>
    /// <para>
    /// Only the root of a component iterates: members do not iterate on their own, so the cost of a
    /// component is its size times its iterations, whatever the nesting of cycles inside it, and the value
    /// of a key does not depend on which key was asked first. All caches of one compilation share one
    /// stack per thread, so a cycle through a summary and a member taint is one component. Nothing blocks
    /// across threads: two threads may compute the same key at once, and both get the same fixed point.
    /// </para>
    /// </remarks>
    internal sealed class FixedPointStack
    {
        private readonly ThreadLocal<State> _state = new ThreadLocal<State>(() => new State());

        /// <summary>How often the root of a component computes it before giving up (its value is then the give-up value, opaque).</summary>
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
            /// Values computed in the current iteration of a component whose root is still on the stack, in
            /// the order they were computed: a root's component is the tail from its <see cref="Frame.Mark"/>.
            /// </summary>
            public readonly List<Entry> Provisional = new List<Entry>();

            /// <summary>The position of each key in <see cref="Provisional"/>.</summary>
            public readonly Dictionary<Slot, int> ProvisionalAt = new Dictionary<Slot, int>(SlotComparer.Instance);

            /// <summary>The previous iteration's values of the members of components being iterated: their next approximations.</summary>
            public readonly Dictionary<Slot, object> Previous = new Dictionary<Slot, object>(SlotComparer.Instance);

            /// <summary>Makes final the values computed since <paramref name="mark"/> (a solved component), or forgets them.</summary>
            public void EndComponent(int mark, bool final)
            {
                for (int i = mark; i < Provisional.Count; i++)
                {
                    var e = Provisional[i];
                    ProvisionalAt.Remove(e.Slot);
                    if (final) e.Slot.Cache.SetFinal(e.Slot.Key, e.Value);
                }

                Provisional.RemoveRange(mark, Provisional.Count - mark);
            }

            /// <summary>Keeps the values computed since <paramref name="mark"/> as the approximations of the component's next iteration.</summary>
            public void NextIteration(int mark)
            {
                for (int i = mark; i < Provisional.Count; i++)
                {
                    var e = Provisional[i];
                    ProvisionalAt.Remove(e.Slot);
                    Previous[e.Slot] = e.Value;
                }

                Provisional.RemoveRange(mark, Provisional.Count - mark);
            }
        }

        /// <summary>What the stack needs of a cache: its key equality and a way to make a value final.</summary>
        internal interface ICache
        {
            bool KeysEqual(object a, object b);

            int KeyHash(object key);

            void SetFinal(object key, object value);
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

        internal readonly struct Entry
        {
            public Entry(Slot slot, object value, int dependsOn)
            {
                Slot = slot;
                Value = value;
                DependsOn = dependsOn;
            }

            public Slot Slot { get; }

            public object Value { get; }

            /// <summary>The lowest stack index this value used an unfinished value of.</summary>
            public int DependsOn { get; }
        }

        internal sealed class Frame
        {
            public Frame(object approximation, int mark)
            {
                Approximation = approximation;
                Mark = mark;
            }

            /// <summary>The value handed to requests for this key made while it is computed.</summary>
            public object Approximation { get; set; }

            /// <summary>Where this computation's component starts in <see cref="State.Provisional"/>.</summary>
            public int Mark { get; }

            /// <summary>Asked for while being computed in this iteration: its value must equal <see cref="Approximation"/>.</summary>
            public bool Reentered { get; set; }

            /// <summary>An approximation of this computation's component, handed out in this iteration, differs from the value then computed.</summary>
            public bool Unstable { get; set; }

            /// <summary>The lowest stack index whose unfinished value this computation used (int.MaxValue: none).</summary>
            public int DependsOn { get; set; } = int.MaxValue;
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
                return (TValue)current.Approximation;
            }

            // Computed in this iteration of a component still being solved.
            if (state.ProvisionalAt.TryGetValue(slot, out int position))
            {
                var entry = state.Provisional[position];
                var top = frames[frames.Count - 1];
                top.DependsOn = Math.Min(top.DependsOn, entry.DependsOn);
                return (TValue)entry.Value;
            }

            int index = frames.Count;
            var frame = new FixedPointStack.Frame(state.Previous.TryGetValue(slot, out var previous) ? previous : _least, state.Provisional.Count);
            frames.Add(frame);
            state.OnStack.Add(slot, index);
            bool ended = false;
            try
            {
                for (int iteration = 0; ; iteration++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    frame.Reentered = false;
                    frame.Unstable = false;
                    frame.DependsOn = int.MaxValue;
                    var value = compute(key);
                    if (frame.Reentered && !_same(value, (TValue)frame.Approximation)) frame.Unstable = true;

                    if (frame.DependsOn < index)
                    {
                        // A member of a component whose root is further down: its value holds for this
                        // iteration of that root, which decides whether the component is solved.
                        var parent = frames[index - 1];
                        parent.DependsOn = Math.Min(parent.DependsOn, frame.DependsOn);
                        parent.Unstable |= frame.Unstable;
                        state.ProvisionalAt[slot] = state.Provisional.Count;
                        state.Provisional.Add(new FixedPointStack.Entry(slot, value, frame.DependsOn));
                        ended = true;
                        return value;
                    }

                    // The root of a component: everything provisional since this frame was pushed.
                    if (!frame.Unstable)
                    {
                        state.EndComponent(frame.Mark, final: true);
                        ended = true;
                        return _final.GetOrAdd(key, value);
                    }

                    if (iteration + 1 >= FixedPointStack.MaxIterations)
                    {
                        state.EndComponent(frame.Mark, final: false);
                        ended = true;
                        return _final.GetOrAdd(key, _giveUp);
                    }

                    state.NextIteration(frame.Mark);
                    frame.Approximation = value;
                }
            }
            finally
            {
                if (!ended) state.EndComponent(frame.Mark, final: false);
                frames.RemoveAt(frames.Count - 1);
                state.OnStack.Remove(slot);
                if (frames.Count == 0)
                {
                    state.Provisional.Clear();
                    state.ProvisionalAt.Clear();
                    state.Previous.Clear();
                }
            }
        }
    }
}
