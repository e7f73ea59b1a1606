using Whereabouts.Core.Allocation;

namespace Whereabouts.Ipam.Stores;

/// <summary>Cluster-wide address reservations (OverlappingRangeIPReservation objects).</summary>
public interface IReservationStore
{
    Task<Reservation?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates the reservation, or returns the one that already holds the name.</summary>
    Task<ReservationClaim> TryCreateAsync(string name, AllocationOwner owner, CancellationToken cancellationToken);

    /// <summary>Deletes the reservation only if it is still the one that was read; false when it changed or is gone.</summary>
    Task<bool> DeleteAsync(Reservation reservation, CancellationToken cancellationToken);

    /// <summary>
    /// The reservations whose container id is exactly <paramref name="containerId"/>, found without reading every
    /// reservation of the cluster (a label on those this project creates). Reservations written by upstream carry no
    /// such label and may be missing here; the reconciler finds those.
    /// </summary>
    Task<IReadOnlyList<Reservation>> FindByContainerAsync(string containerId, CancellationToken cancellationToken);
}
