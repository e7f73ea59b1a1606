using Microsoft.Extensions.Logging;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Ipam;

/// <summary>
/// The one place that deletes a cluster-wide reservation "if it is still ours": read it, test the owner, delete it
/// conditionally on the version read (a reservation that changed in between stays).
/// </summary>
internal sealed class ReservationRemover(IReservationStore store, StoreRetry retry, IpamOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>Deletes <paramref name="name"/> when <paramref name="isOurs"/> accepts it; true when it was deleted by this call.</summary>
    /// <exception cref="StoreUnavailableException">The store kept failing until the deadline.</exception>
    public async Task<bool> DeleteIfOursAsync(string name, Func<Reservation, bool> isOurs, OperationDeadline deadline)
    {
        var reservation = await retry.RunAsync(ct => store.GetAsync(name, ct), name, deadline);
        return reservation is not null && isOurs(reservation) && await DeleteReadAsync(reservation, deadline);
    }

    /// <summary>Deletes the very reservation that was read; false when it changed or is already gone.</summary>
    public Task<bool> DeleteReadAsync(Reservation reservation, OperationDeadline deadline) =>
        retry.RunAsync(ct => store.DeleteAsync(reservation, ct), reservation.Name, deadline);

    /// <summary>
    /// Deletes a reservation an ADD made and no pool entry uses, within the rollback time (it may run after the ADD's
    /// deadline); false when it could not, which has been logged. After this call nothing but the reconciler or the
    /// attachment's DEL would free it, so it is worth the retries.
    /// </summary>
    public async Task<bool> DeleteOwnAsync(Reservation reservation, CancellationToken cancellationToken)
    {
        using var deadline = new OperationDeadline(options.RollbackTimeout, time, cancellationToken);
        try
        {
            await DeleteReadAsync(reservation, deadline);
            return true;
        }
        catch (Exception ex) when (ex is IpamException or OperationCanceledException)
        {
            IpamLog.ReservationLeft(logger, reservation.Name, ex.Message);
            return false;
        }
    }

    /// <summary>Best effort within the rollback time: deletes <paramref name="name"/> if <paramref name="isOurs"/>; failures are logged.</summary>
    public async Task TryDeleteIfOursAsync(string name, Func<Reservation, bool> isOurs, CancellationToken cancellationToken)
    {
        using var deadline = new OperationDeadline(options.RollbackTimeout, time, cancellationToken);
        try
        {
            await DeleteIfOursAsync(name, isOurs, deadline);
        }
        catch (Exception ex) when (ex is IpamException or OperationCanceledException)
        {
            IpamLog.ReservationLeft(logger, name, ex.Message);
        }
    }
}
