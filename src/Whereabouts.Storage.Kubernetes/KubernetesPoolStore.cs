using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Api;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Storage.Kubernetes;

/// <summary>Pools as IPPool objects in one namespace; writes are JSON Patches guarded by a resourceVersion test.</summary>
internal sealed class KubernetesPoolStore(WhereaboutsClient client, string @namespace, IStoreObserver? observer = null) : IPoolStore
{
    // A pool deleted between our create conflict and our read is recreated; more rounds than this mean churn.
    private const int CreateAttempts = 5;

    public async Task<PoolSnapshot?> GetAsync(PoolKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var pool = await client.GetPoolAsync(@namespace, key.Name, cancellationToken);
        return pool is null ? null : Read(pool, key);
    }

    public async Task<PoolSnapshot> GetOrCreateAsync(PoolKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var attempt = 0; attempt < CreateAttempts; attempt++)
        {
            if (await GetAsync(key, cancellationToken) is { } existing)
            {
                return existing;
            }

            if (await client.CreatePoolAsync(@namespace, key, cancellationToken) is { } created)
            {
                return Read(created, key);
            }
        }

        throw new StoreUnavailableException(
            $"IPPool {key.Name} in namespace {@namespace} was deleted {CreateAttempts} times between being created and being read");
    }

    public Task<bool> TryUpdateAsync(PoolSnapshot snapshot, PoolChange change, CancellationToken cancellationToken) =>
        client.TryUpdatePoolAsync(@namespace, snapshot, change, cancellationToken);

    public async Task<IReadOnlyList<PoolSnapshot>> ListAsync(CancellationToken cancellationToken)
    {
        var pools = await client.ListPoolsAsync(@namespace, cancellationToken);
        return [.. pools.Select(static p => CrdConversion.ToSnapshot(p))];
    }

    private PoolSnapshot Read(IPPool pool, PoolKey key) => observer?.SeenPool(pool, key) ?? CrdConversion.ToSnapshot(pool, key);
}
