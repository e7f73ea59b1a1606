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
internal sealed class KubernetesReservationStore(WhereaboutsClient client, string @namespace) : IReservationStore
{
    // A holder deleted between our create conflict and our read is raced again; more rounds than this mean churn.
    private const int CreateAttempts = 5;

    public async Task<Reservation?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var reservation = await client.GetReservationAsync(@namespace, name, cancellationToken);
        return reservation is null ? null : CrdConversion.ToReservation(reservation);
    }

    public async Task<ReservationClaim> TryCreateAsync(string name, AllocationOwner owner, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < CreateAttempts; attempt++)
        {
            if (await client.CreateReservationAsync(@namespace, name, owner, cancellationToken) is { } created)
            {
                return new ReservationClaim(CrdConversion.ToReservation(created), Created: true);
            }

            if (await GetAsync(name, cancellationToken) is { } holder)
            {
                return new ReservationClaim(holder, Created: false);
            }
        }

        throw new StoreUnavailableException(
            $"OverlappingRangeIPReservation {name} in namespace {@namespace} was deleted {CreateAttempts} times between a conflicting create and a read");
    }

    public Task<bool> DeleteAsync(Reservation reservation, CancellationToken cancellationToken) =>
        client.DeleteReservationAsync(@namespace, reservation, cancellationToken);

    public async Task<IReadOnlyList<Reservation>> FindByContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        var labelled = await client.ListReservationsAsync(@namespace, ReservationLabels.SelectorFor(containerId), cancellationToken);
        return [.. labelled.Select(CrdConversion.ToReservation).Where(r => r.ContainerId == containerId)];
    }

    public async Task<IReadOnlyList<Reservation>> ListAsync(CancellationToken cancellationToken)
    {
        var reservations = await client.ListReservationsAsync(@namespace, cancellationToken);
        return [.. reservations.Select(CrdConversion.ToReservation)];
    }
}
