using Whereabouts.Core.Allocation;

namespace Whereabouts.Ipam.Stores;

/// <summary>Pools with compare-and-swap writes: no store ever needs a cluster-wide lock.</summary>
public interface IPoolStore
{
    /// <summary>Reads the pool, creating it empty when it does not exist (safe when another creator races).</summary>
    Task<PoolSnapshot> GetOrCreateAsync(PoolKey key, CancellationToken cancellationToken);

    /// <summary>Reads the pool; null when it does not exist.</summary>
    Task<PoolSnapshot?> GetAsync(PoolKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> only if every entry it touches still holds what <paramref name="snapshot"/> read
    /// (a store may instead require the whole pool to be at <paramref name="snapshot"/>'s version, which is stricter).
    /// Returns false on a conflict; the caller re-reads and decides again.
    /// </summary>
    Task<bool> TryUpdateAsync(PoolSnapshot snapshot, PoolChange change, CancellationToken cancellationToken);
}
