using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>The per-compilation caches' one way to compute a value once per key across threads.</summary>
    internal static class ConcurrentCache
    {
        /// <summary>
        /// One computation per key across threads. A computation cancelled by another caller's token is not
        /// kept: it is dropped and redone under ours.
        /// </summary>
        public static TValue GetOrCompute<TKey, TValue>(ConcurrentDictionary<TKey, Lazy<TValue>> cache, TKey key, Func<TKey, TValue> compute, CancellationToken cancellationToken)
            where TKey : notnull
        {
            for (int attempt = 0; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var lazy = cache.GetOrAdd(key, k => new Lazy<TValue>(() => compute(k), LazyThreadSafetyMode.ExecutionAndPublication));
                try
                {
                    return lazy.Value;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    ((ICollection<KeyValuePair<TKey, Lazy<TValue>>>)cache).Remove(new KeyValuePair<TKey, Lazy<TValue>>(key, lazy));
                    if (attempt >= 2) return compute(key);
                }
            }
        }
    }
}
