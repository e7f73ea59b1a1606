using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Storage.Kubernetes;

/// <summary>
/// Told about every object a store reads or writes, so that a cache shows a process its own writes at once instead of
/// after the watch delivers them.
/// </summary>
internal interface IStoreObserver
{
    /// <summary>A pool was read or written; returns the snapshot to hand out (the newest the observer knows).</summary>
    PoolSnapshot SeenPool(IPPool pool, PoolKey key);

    /// <summary>A reservation was read or created; returns it as the store hands it out.</summary>
    Reservation SeenReservation(OverlappingRangeIPReservation reservation);

    /// <summary>A read found no reservation of this name.</summary>
    void ReservationGone(string name);

    /// <summary>This process deleted <paramref name="reservation"/>.</summary>
    void ReservationDeleted(Reservation reservation);

    /// <summary>
    /// The holder of <paramref name="name"/> as far as the observer knows, for a create that found the name taken; null
    /// when it does not know, and the store reads it.
    /// </summary>
    Reservation? KnownHolder(string name);
}
