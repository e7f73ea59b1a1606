using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Storage.Kubernetes.Caching;

/// <summary>
/// Pools read from the cache once it is synced (a pool it does not hold is read, or created, through the API) and
/// written by group commit, one <see cref="PoolWriter"/> per pool.
/// </summary>
internal sealed class SharedPoolStore : IPoolStore
{
    private readonly ConcurrentDictionary<string, PoolWriter> _writers = new(StringComparer.Ordinal);
    private readonly KubernetesPoolStore _api;
    private readonly StoreContext _context;
    private readonly StoreCaches _caches;
    private readonly SharedStoreCounters _counters;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;

    public SharedPoolStore(StoreContext context, StoreCaches caches, SharedStoreCounters counters, ILogger logger, CancellationToken stopping)
    {
        _api = new KubernetesPoolStore(context.Client, context.Namespace, caches);
        _context = context;
        _caches = caches;
        _counters = counters;
        _logger = logger;
        _stopping = stopping;
    }

    public Task<PoolSnapshot?> GetAsync(PoolKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Cached(key) is { } cached ? Task.FromResult<PoolSnapshot?>(cached) : _api.GetAsync(key, cancellationToken);
    }

    public Task<PoolSnapshot> GetOrCreateAsync(PoolKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Cached(key) is { } cached ? Task.FromResult(cached) : _api.GetOrCreateAsync(key, cancellationToken);
    }

    public Task<bool> TryUpdateAsync(PoolSnapshot snapshot, PoolChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(change);
        if (change.IsEmpty)
        {
            return Task.FromResult(true);
        }

        var writer = _writers.GetOrAdd(
            snapshot.Key.Name,
            static (name, self) => new PoolWriter(name, self._context.Namespace, self._context.Client, self._caches.Pools, self._counters, self._logger, self._stopping),
            this);
        return writer.WriteAsync(snapshot, change, cancellationToken);
    }

    private PoolSnapshot? Cached(PoolKey key) =>
        _caches.Pools.IsSynced && _caches.Pools.Get(key.Name) is { } cached ? StoreCaches.WithKey(cached, key) : null;
}
