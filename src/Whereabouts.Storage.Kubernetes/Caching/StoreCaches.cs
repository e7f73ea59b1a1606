using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Storage.Kubernetes.Caching;

/// <summary>The pools and reservations of the store's namespace, fed by the watches and by every answer the store gets.</summary>
internal sealed class StoreCaches(TimeProvider time) : IStoreObserver
{
    public ObjectCache<PoolSnapshot> Pools { get; } = new(static p => p.Version, static _ => null, time);

    public ObjectCache<Reservation> Reservations { get; } = new(static r => r.Version, static r => r.Uid, time);

    public ObjectCache<CachedSliceTable> NodeSlices { get; } = new(static t => t.Version, static t => t.Uid, time);

    /// <summary>The cached form of a NodeSlicePool.</summary>
    public static CachedSliceTable ToSliceTable(NodeSlicePool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return new CachedSliceTable(KubernetesNodeSliceStore.ToTable(pool), pool.Metadata.ResourceVersion ?? string.Empty, pool.Metadata.Uid);
    }

    /// <summary>The cached form of a pool: allocations that did not change are shared with the version cached before.</summary>
    public static PoolSnapshot ToSnapshot(IPPool pool, PoolSnapshot? known) =>
        CrdConversion.ToSnapshot(pool, null, known?.Allocations);

    /// <summary><paramref name="snapshot"/> under the key the caller asked with (the cache keys pools by the range in the object).</summary>
    public static PoolSnapshot WithKey(PoolSnapshot snapshot, PoolKey key) =>
        snapshot.Key == key ? snapshot : snapshot with { Key = key };

    public PoolSnapshot SeenPool(IPPool pool, PoolKey key)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(key);
        var snapshot = ToSnapshot(pool, Pools.Get(key.Name));
        var newest = Pools.Apply(key.Name, snapshot) ?? snapshot;
        return WithKey(newest, key);
    }

    public Reservation SeenReservation(OverlappingRangeIPReservation reservation)
    {
        var value = CrdConversion.ToReservation(reservation);
        return Reservations.Apply(value.Name, value) is { } newest && newest.Uid == value.Uid ? newest : value;
    }

    public void ReservationGone(string name) => Reservations.Remove(name, null, null);

    public void ReservationDeleted(Reservation reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        Reservations.Deleted(reservation.Name, reservation);
    }

    public Reservation? KnownHolder(string name) => Reservations.Get(name);
}
