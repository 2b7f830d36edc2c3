using System.Collections.Immutable;
using PeerNet.Analyzers.Flow;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// The engine's memo of recursive facts (summaries, member taints): cycles are solved to their least fixed point, and once
/// a cycle's head has converged every member of the cycle is final, so a large cycle is solved once, not once per member.
/// </summary>
public class FixedPointCacheTests
{
    private static readonly ImmutableSortedSet<int> Least = ImmutableSortedSet<int>.Empty;

    /// <summary>A ring 0 -> 1 -> ... -> n-1 -> 0; each node's fact is what its successor has, plus its own source (node 0 only).</summary>
    private static (FixedPointCache<int, ImmutableSortedSet<int>> Cache, Func<int> Computes, Func<int, ImmutableSortedSet<int>> Ask) Ring(int n, Func<int, ImmutableSortedSet<int>> own)
    {
        var cache = new FixedPointCache<int, ImmutableSortedSet<int>>(new FixedPointStack(), EqualityComparer<int>.Default, Least, Least, (a, b) => a.SetEquals(b));
        var computes = 0;
        ImmutableSortedSet<int> Ask(int i) => cache.Get(i, Compute, CancellationToken.None);
        ImmutableSortedSet<int> Compute(int i)
        {
            computes++;
            return Ask((i + 1) % n).Union(own(i));
        }

        return (cache, () => computes, Ask);
    }

    [Fact]
    public void A_cycle_is_solved_once_and_every_member_is_final_with_the_fixed_point()
    {
        const int n = 60;
        var (cache, computes, ask) = Ring(n, i => i == 0 ? ImmutableSortedSet.Create(0) : Least);

        Assert.Equal(new[] { 0 }, ask(0));
        var afterFirst = computes();
        Assert.InRange(afterFirst, n, 3 * n); // the head's iterations, each through the ring once

        for (var i = 0; i < n; i++)
        {
            Assert.True(cache.TryGetFinal(i, out var value), $"node {i} is not final after its cycle converged");
            Assert.Equal(new[] { 0 }, value); // the converged value, not the first iteration's (which started from nothing)
        }

        for (var i = n - 1; i >= 0; i--) Assert.Equal(new[] { 0 }, ask(i));
        Assert.Equal(afterFirst, computes()); // nothing computed again
    }

    [Fact]
    public void Every_member_gets_the_facts_of_the_whole_cycle_whichever_is_asked_first()
    {
        const int n = 7;
        for (var first = 0; first < n; first++)
        {
            var (_, _, ask) = Ring(n, i => i % 3 == 0 ? ImmutableSortedSet.Create(i) : Least);
            Assert.Equal(new[] { 0, 3, 6 }, ask(first));
            for (var i = 0; i < n; i++) Assert.Equal(new[] { 0, 3, 6 }, ask(i));
        }
    }
}
