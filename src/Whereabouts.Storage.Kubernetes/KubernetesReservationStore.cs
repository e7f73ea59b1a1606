using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Api;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Storage.Kubernetes;

/// <summary>
/// Reservations as OverlappingRangeIPReservation objects in one namespace. The API server's create-if-absent decides
/// between claimants; deletes carry uid and resourceVersion preconditions, so only the reservation that was read goes.
/// </summary>
internal sealed class KubernetesReservationStore(WhereaboutsClient client, string @namespace, IStoreObserver? observer = null) : IReservationStore
{
    // A holder deleted between our create conflict and our read is raced again; more rounds than this mean churn.
    private const int CreateAttempts = 5;

    public async Task<Reservation?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var reservation = await client.GetReservationAsync(@namespace, name, cancellationToken);
        if (reservation is null)
        {
            observer?.ReservationGone(name);
            return null;
        }

        return Read(reservation);
    }

    public async Task<ReservationClaim> TryCreateAsync(string name, AllocationOwner owner, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < CreateAttempts; attempt++)
        {
            if (await client.CreateReservationAsync(@namespace, name, owner, cancellationToken) is { } created)
            {
                return new ReservationClaim(Read(created), Created: true);
            }

            // Another pod's holding, as the cache knows it, is answer enough: at worst it is stale and the caller looks
            // elsewhere. A holding that looks like the caller's own must be read: acting on a stale one would be a duplicate.
            if (observer?.KnownHolder(name) is { } known && !known.IsOwnedBy(owner.PodRef, owner.IfName))
            {
                return new ReservationClaim(known, Created: false);
            }

            if (await GetAsync(name, cancellationToken) is { } holder)
            {
                return new ReservationClaim(holder, Created: false);
            }
        }

        throw new StoreUnavailableException(
            $"OverlappingRangeIPReservation {name} in namespace {@namespace} was deleted {CreateAttempts} times between a conflicting create and a read");
    }

    public async Task<bool> DeleteAsync(Reservation reservation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (!await client.DeleteReservationAsync(@namespace, reservation, cancellationToken))
        {
            return false;
        }

        observer?.ReservationDeleted(reservation);
        return true;
    }

    public async Task<IReadOnlyList<Reservation>> FindByContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        var labelled = await client.ListReservationsAsync(@namespace, ReservationLabels.SelectorFor(containerId), cancellationToken);
        return [.. labelled.Select(Read).Where(r => r.ContainerId == containerId)];
    }

    public async Task<IReadOnlyList<Reservation>> ListAsync(CancellationToken cancellationToken)
    {
        var reservations = await client.ListReservationsAsync(@namespace, cancellationToken);
        return [.. reservations.Select(CrdConversion.ToReservation)];
    }

    private Reservation Read(OverlappingRangeIPReservation reservation) =>
        observer?.SeenReservation(reservation) ?? CrdConversion.ToReservation(reservation);
}
