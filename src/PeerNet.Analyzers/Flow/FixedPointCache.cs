using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// The per-compilation memo of the engine's recursive facts (method summaries, member taints): each is
    /// computed once per key, on demand, and recursion ends in a fixed point instead of a depth cut.
    /// </summary>
    /// <remarks>
    /// A key asked for while it is being computed on the same thread (a cycle: recursion, mutual calls, a
    /// member read in a method that assigns it) gets its current approximation, starting from the least
    /// value (nothing tainted); the computation at the head of the cycle is then repeated with the new
    /// approximation until it no longer changes (the facts only grow: taints are unions). Results computed
    /// from an approximation (inside a cycle, below its head) are not kept: only the head's final value and
    /// values computed without any approximation are; within one iteration of the head they are memoized
    /// (<see cref="Provisional"/>), so a cycle's members are computed once per iteration, not once per
    /// path through the cycle. All keys of one compilation share one stack per
    /// thread, so a cycle through a summary and a member taint is seen as one. Nothing blocks across
    /// threads: two threads may compute the same key at once, and both get the same fixed point.
    /// </remarks>
    internal sealed class FixedPointStack
    {
        private readonly ThreadLocal<List<Frame>> _frames = new ThreadLocal<List<Frame>>(() => new List<Frame>());
        private readonly ThreadLocal<List<Entry>> _provisional = new ThreadLocal<List<Entry>>(() => new List<Entry>());

        /// <summary>How often the head of a cycle is recomputed before giving up on it (its value is then the give-up value, opaque).</summary>
        public const int MaxIterations = 8;

        public List<Frame> Frames => _frames.Value!;

        /// <summary>
        /// Values computed from an approximation during the current iteration of a head further down the
        /// stack (<see cref="Entry.Head"/>: the lowest stack index they depend on); dropped when that head
        /// iterates again or returns.
        /// </summary>
        public List<Entry> Provisional => _provisional.Value!;

        /// <summary>Drops the provisional values that depend on stack index <paramref name="index"/> or above.</summary>
        public void DropProvisional(int index)
        {
            var list = Provisional;
            list.RemoveAll(e => e.Head >= index);
        }

        internal sealed class Entry
        {
            public Entry(object cache, object key, object value, int head)
            {
                Cache = cache;
                Key = key;
                Value = value;
                Head = head;
            }

            public object Cache { get; }

            public object Key { get; }

            public object Value { get; }

            public int Head { get; }
        }

        internal sealed class Frame
        {
            public Frame(object cache, object key)
            {
                Cache = cache;
                Key = key;
            }

            public object Cache { get; }

            public object Key { get; }

            /// <summary>The current approximation handed to re-entrant requests.</summary>
            public object? Approximation { get; set; }

            /// <summary>Re-entered during this computation: its value must be recomputed until stable.</summary>
            public bool IsHead { get; set; }

            /// <summary>The lowest stack index whose approximation this computation used (int.MaxValue: none).</summary>
            public int DependsOn { get; set; } = int.MaxValue;
        }
    }

    /// <summary>One memo of <see cref="FixedPointStack"/>'s kind: values per key, computed once, cycles solved to a fixed point.</summary>
    internal sealed class FixedPointCache<TKey, TValue>
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

        /// <summary>The value of <paramref name="key"/> if it is final (computed outside any cycle still being solved).</summary>
        public bool TryGetFinal(TKey key, out TValue value) => _final.TryGetValue(key, out value!);

        public TValue Get(TKey key, Func<TKey, TValue> compute, CancellationToken cancellationToken)
        {
            if (_final.TryGetValue(key, out var done)) return done;
            var frames = _stack.Frames;
            for (int i = frames.Count - 1; i >= 0; i--)
            {
                var f = frames[i];
                if (f.Cache != this || !_keys.Equals((TKey)f.Key, key)) continue;
                f.IsHead = true;
                for (int j = i + 1; j < frames.Count; j++)
                {
                    frames[j].DependsOn = Math.Min(frames[j].DependsOn, i);
                }

                return (TValue)(f.Approximation ?? _least);
            }

            foreach (var e in _stack.Provisional)
            {
                if (e.Cache != this || !_keys.Equals((TKey)e.Key, key)) continue;
                for (int j = e.Head + 1; j < frames.Count; j++)
                {
                    frames[j].DependsOn = Math.Min(frames[j].DependsOn, e.Head);
                }

                return (TValue)e.Value;
            }

            var frame = new FixedPointStack.Frame(this, key) { Approximation = _least };
            int index = frames.Count;
            frames.Add(frame);
            try
            {
                TValue value;
                for (int iteration = 0; ; iteration++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    _stack.DropProvisional(index);
                    frame.IsHead = false;
                    value = compute(key);
                    if (!frame.IsHead || _same(value, (TValue)frame.Approximation!)) break;
                    if (iteration >= FixedPointStack.MaxIterations)
                    {
                        value = _giveUp;
                        break;
                    }

                    frame.Approximation = value;
                }

                // Used an approximation of a computation further down the stack: that one is not final yet.
                if (frame.DependsOn < index)
                {
                    if (index > 0) frames[index - 1].DependsOn = Math.Min(frames[index - 1].DependsOn, frame.DependsOn);
                    _stack.DropProvisional(index);
                    _stack.Provisional.Add(new FixedPointStack.Entry(this, key, value, frame.DependsOn));
                    return value;
                }

                _stack.DropProvisional(index);

                return _final.GetOrAdd(key, value);
            }
            finally
            {
                if (frames.Count == index + 1) _stack.DropProvisional(index + 1);
                frames.RemoveAt(frames.Count - 1);
                if (frames.Count == 0) _stack.Provisional.Clear();
            }
        }
    }
}
