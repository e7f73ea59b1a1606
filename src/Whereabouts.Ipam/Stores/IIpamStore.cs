using Whereabouts.Core.Allocation;

namespace Whereabouts.Ipam.Stores;

/// <summary>A datastore: pools, reservations, and the two questions only the store can answer.</summary>
public interface IIpamStore : IAsyncDisposable
{
    IPoolStore Pools { get; }

    IReservationStore Reservations { get; }

    /// <summary>The NodeSlicePools of node-slice mode; null when the store has none (the file datastore).</summary>
    INodeSliceStore? NodeSlices => null;

    /// <summary>Throws <see cref="Errors.StoreUnavailableException"/> (or access denied) when the store cannot serve an ADD.</summary>
    Task CheckReachableAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Where the pod of <paramref name="allocation"/> is, so that a CNI GC on this host releases only what belongs to
    /// this host or to nobody. A host-local store says <see cref="AllocationPlacement.ThisHost"/> of everything; a shared
    /// store asks the cluster, and says <see cref="AllocationPlacement.Gone"/> only when a fresh read finds no such pod.
    /// </summary>
    Task<AllocationPlacement> LocateAsync(PoolAllocation allocation, CancellationToken cancellationToken);
}
