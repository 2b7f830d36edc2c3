using System.Collections.Concurrent;
using System.Collections.Immutable;
using PeerNet.Analyzers.Flow;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// The engine's solver of recursive facts (summaries, member taints), checked on its own: every key's value
/// is computed as "my facts and everything my successors have" over graphs with nested cycles, and must be
/// the least fixed point (what the key reaches), whichever key is asked first, on any thread, and at a cost
/// bounded by the number of keys, not by the nesting of the cycles.
/// </summary>
public class FixedPointCacheTests
{
    private sealed class Graph
    {
        public Graph(int[][] successors) => Successors = successors;

        public int[][] Successors { get; }

        public int Count => Successors.Length;

        /// <summary>What each key reaches (itself included): the expected least fixed point.</summary>
        public ImmutableHashSet<int> Reach(int from)
        {
            var seen = new HashSet<int> { from };
            var work = new Stack<int>();
            work.Push(from);
            while (work.Count > 0)
            {
                foreach (var next in Successors[work.Pop()])
                {
                    if (seen.Add(next)) work.Push(next);
                }
            }

            return seen.ToImmutableHashSet();
        }
    }

    private sealed class Solver
    {
        private readonly Graph _graph;
        private readonly FixedPointCache<int, ImmutableHashSet<int>> _cache;
        private int _computations;

        public Solver(Graph graph, FixedPointStack? stack = null)
        {
            _graph = graph;
            _cache = new FixedPointCache<int, ImmutableHashSet<int>>(
                stack ?? new FixedPointStack(), EqualityComparer<int>.Default, ImmutableHashSet<int>.Empty, GiveUp, (a, b) => a.SetEquals(b));
        }

        /// <summary>A value no reachability set has: the solver gave up.</summary>
        public static readonly ImmutableHashSet<int> GiveUp = ImmutableHashSet.Create(-1);

        public int Computations => _computations;

        public ImmutableHashSet<int> Get(int key) => _cache.Get(key, Compute, CancellationToken.None);

        private ImmutableHashSet<int> Compute(int key)
        {
            Interlocked.Increment(ref _computations);
            var value = ImmutableHashSet.Create(key);
            foreach (var next in _graph.Successors[key])
            {
                value = value.Union(Get(next));
            }

            return value;
        }
    }

    /// <summary>Random graphs, dense enough for large components with cycles nested inside cycles.</summary>
    private static Graph RandomGraph(int seed, int keys, int edgesPerKey)
    {
        var random = new Random(seed);
        var successors = new int[keys][];
        for (int k = 0; k < keys; k++)
        {
            int edges = random.Next(edgesPerKey + 1);
            successors[k] = Enumerable.Range(0, edges).Select(_ => random.Next(keys)).Distinct().ToArray();
        }

        return new Graph(successors);
    }

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, 40).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_key_gets_what_it_reaches_whichever_key_is_asked_first(int seed)
    {
        var graph = RandomGraph(seed, keys: 60, edgesPerKey: 3);
        var orders = new[]
        {
            Enumerable.Range(0, graph.Count).ToArray(),
            Enumerable.Range(0, graph.Count).Reverse().ToArray(),
            Enumerable.Range(0, graph.Count).OrderBy(k => new Random(seed * 7919 + k).Next()).ToArray(),
        };

        foreach (var order in orders)
        {
            var solver = new Solver(graph);
            foreach (var key in order)
            {
                var value = solver.Get(key);
                Assert.True(graph.Reach(key).SetEquals(value), $"seed {seed}, key {key} asked after {Array.IndexOf(order, key)} others: got {{{string.Join(",", value.OrderBy(x => x))}}}, reaches {{{string.Join(",", graph.Reach(key).OrderBy(x => x))}}}");
            }

            // Each key is computed once, then again only when something it read has grown.
            Assert.True(solver.Computations <= 5 * graph.Count, $"seed {seed}: {solver.Computations} computations for {graph.Count} keys");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Cycles_nested_in_cycles_cost_a_few_computations_per_key_not_one_per_nesting_level(bool lastFirst)
    {
        // 0 -> 1 -> 2 -> ... -> 254, and every key k also points back to k / 2: cycles nested eight deep, one
        // component. Solving each nested cycle on its own, again for every pass of the one around it, took
        // 1,642 computations for 15 such keys, 24,948 for 31 and 633,790 for 63.
        const int keys = 255;
        var graph = new Graph(Enumerable.Range(0, keys).Select(k => (k + 1 < keys ? new[] { k + 1 } : Array.Empty<int>()).Append(k / 2).ToArray()).ToArray());
        var solver = new Solver(graph);

        foreach (var k in lastFirst ? Enumerable.Range(0, keys).Reverse() : Enumerable.Range(0, keys))
        {
            var value = solver.Get(k);
            Assert.True(graph.Reach(k).SetEquals(value), $"key {k}: {value.Count} of {keys}");
        }

        Assert.True(solver.Computations <= 4 * keys, $"{solver.Computations} computations for {keys} keys");
    }

    [Fact]
    public void Threads_asking_in_different_orders_get_the_same_least_fixed_point()
    {
        for (int seed = 100; seed < 110; seed++)
        {
            var graph = RandomGraph(seed, keys: 80, edgesPerKey: 3);
            var solver = new Solver(graph);
            var wrong = new ConcurrentBag<string>();
            Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, thread =>
            {
                var order = Enumerable.Range(0, graph.Count).OrderBy(k => new Random(seed * 31 + thread * 1009 + k).Next()).ToArray();
                foreach (var key in order)
                {
                    if (!graph.Reach(key).SetEquals(solver.Get(key))) wrong.Add($"seed {seed}, thread {thread}, key {key}");
                }
            });

            Assert.Empty(wrong);
        }
    }

    [Fact]
    public void Two_caches_on_one_stack_form_one_component()
    {
        // Even keys live in one cache, odd keys in another; the cycle 0 -> 1 -> 2 -> 3 -> 0 crosses them.
        var stack = new FixedPointStack();
        var successors = new[] { new[] { 1 }, new[] { 2 }, new[] { 3 }, new[] { 0, 4 }, Array.Empty<int>() };
        FixedPointCache<int, ImmutableHashSet<int>> even = null!, odd = null!;
        even = new FixedPointCache<int, ImmutableHashSet<int>>(stack, EqualityComparer<int>.Default, ImmutableHashSet<int>.Empty, Solver.GiveUp, (a, b) => a.SetEquals(b));
        odd = new FixedPointCache<int, ImmutableHashSet<int>>(stack, EqualityComparer<int>.Default, ImmutableHashSet<int>.Empty, Solver.GiveUp, (a, b) => a.SetEquals(b));
        ImmutableHashSet<int> Get(int key) => (key % 2 == 0 ? even : odd).Get(key, Compute, CancellationToken.None);
        ImmutableHashSet<int> Compute(int key) => successors[key].Aggregate(ImmutableHashSet.Create(key), (set, next) => set.Union(Get(next)));

        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, Get(2).OrderBy(x => x));
        foreach (var key in new[] { 0, 1, 3 })
        {
            Assert.True(((key % 2 == 0) ? even : odd).TryGetFinal(key, out var value), $"key {key} is final once its component is solved");
            Assert.Equal(new[] { 0, 1, 2, 3, 4 }, value.OrderBy(x => x));
        }
    }

    [Fact]
    public void A_component_that_never_settles_gives_up_at_its_root_and_forgets_its_members()
    {
        // A value that grows every time it is computed never reaches a fixed point.
        var stack = new FixedPointStack();
        int counter = 0;
        FixedPointCache<int, ImmutableHashSet<int>> cache = null!;
        cache = new FixedPointCache<int, ImmutableHashSet<int>>(stack, EqualityComparer<int>.Default, ImmutableHashSet<int>.Empty, Solver.GiveUp, (a, b) => a.SetEquals(b));
        ImmutableHashSet<int> Compute(int key) => key == 0
            ? cache.Get(1, Compute, CancellationToken.None).Add(Interlocked.Increment(ref counter))
            : cache.Get(0, Compute, CancellationToken.None);

        Assert.Same(Solver.GiveUp, cache.Get(0, Compute, CancellationToken.None));

        // Two keys: at most MaxIterations recomputations each (the root's first computation aside).
        Assert.InRange(counter, FixedPointStack.MaxIterations, 1 + FixedPointStack.MaxIterations * 2);
        Assert.False(cache.TryGetFinal(1, out _));
    }
}
