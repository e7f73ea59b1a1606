using Whereabouts.Core.Allocation;

namespace Whereabouts.Ipam.Stores;

/// <summary>A datastore: pools, reservations, and the two questions only the store can answer.</summary>
public interface IIpamStore : IAsyncDisposable
{
    IPoolStore Pools { get; }

    IReservationStore Reservations { get; }

    /// <summary>Throws <see cref="Errors.StoreUnavailableException"/> (or access denied) when the store cannot serve an ADD.</summary>
    Task CheckReachableAsync(CancellationToken cancellationToken);

    /// <summary>
    /// True when <paramref name="allocation"/> belongs to a container of this host, so a CNI GC here may release it.
    /// A host-local store says yes to everything; a shared store must check where the pod runs.
    /// </summary>
    Task<bool> IsLocalAsync(PoolAllocation allocation, CancellationToken cancellationToken);
}
