using System.Collections.Concurrent;
using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Storage.Kubernetes.Caching;

/// <summary>
/// Reservations read from the cache once it is synced (a name it does not hold does not exist), created in parallel,
/// with concurrent creates of one name inside the process made once.
/// </summary>
internal sealed class SharedReservationStore(StoreContext context, StoreCaches caches) : IReservationStore
{
    private readonly ConcurrentDictionary<string, Task<ReservationClaim>> _creating = new(StringComparer.Ordinal);
    private readonly KubernetesReservationStore _api = new(context.Client, context.Namespace, caches);

    public Task<Reservation?> GetAsync(string name, CancellationToken cancellationToken) =>
        caches.Reservations.IsSynced ? Task.FromResult(caches.Reservations.Get(name)) : _api.GetAsync(name, cancellationToken);

    /// <summary>
    /// Creates the reservation. A name the synced cache shows held by another pod is answered from the cache, without
    /// a request: at worst that holding is already gone and the caller looks elsewhere, which never hands an address out
    /// twice (a holding that looks like the caller's own is always asked for). A create of the same name already under
    /// way in this process is waited for instead: whoever it was for holds the name now, so this call gets that holding
    /// with <c>Created = false</c>.
    /// </summary>
    public async Task<ReservationClaim> TryCreateAsync(string name, AllocationOwner owner, CancellationToken cancellationToken)
    {
        if (caches.Reservations.IsSynced && caches.Reservations.Get(name) is { } known && !known.IsOwnedBy(owner.PodRef, owner.IfName))
        {
            return new ReservationClaim(known, Created: false);
        }

        while (true)
        {
            var mine = new TaskCompletionSource<ReservationClaim>(TaskCreationOptions.RunContinuationsAsynchronously);
            var running = _creating.GetOrAdd(name, mine.Task);
            if (running != mine.Task)
            {
                try
                {
                    var first = await running.WaitAsync(cancellationToken);
                    return first with { Created = false };
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // That create failed, so nobody holds the name through it: try on our own.
                    _creating.TryRemove(KeyValuePair.Create(name, running));
                    continue;
                }
            }

            try
            {
                var claim = await _api.TryCreateAsync(name, owner, cancellationToken);
                mine.SetResult(claim);
                return claim;
            }
            catch (Exception ex)
            {
                mine.SetException(ex);
                _ = mine.Task.Exception;
                throw;
            }
            finally
            {
                _creating.TryRemove(KeyValuePair.Create(name, mine.Task));
            }
        }
    }

    /// <summary>
    /// Deletes with the uid and resourceVersion preconditions of <paramref name="reservation"/>. When they fail, the
    /// reservation is read once: if it is still the same incarnation with the same holder (only the cached version was
    /// behind), it is deleted with the version read.
    /// </summary>
    public async Task<bool> DeleteAsync(Reservation reservation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (await _api.DeleteAsync(reservation, cancellationToken))
        {
            return true;
        }

        var current = await _api.GetAsync(reservation.Name, cancellationToken);
        return current is not null && current.Version != reservation.Version && SameHolding(current, reservation)
            && await _api.DeleteAsync(current, cancellationToken);
    }

    /// <summary>
    /// Always one label-selected LIST, never the cache: the reservations a DEL must find are made by attempts that may
    /// have run a moment ago in another process (a killed agent, the plugin's fallback to direct mode), and the watch
    /// may not have delivered them yet. A DEL that missed one would leave it until the reconciler's pass.
    /// </summary>
    public Task<IReadOnlyList<Reservation>> FindByContainerAsync(string containerId, CancellationToken cancellationToken) =>
        _api.FindByContainerAsync(containerId, cancellationToken);

    private static bool SameHolding(Reservation a, Reservation b) =>
        a.Uid == b.Uid && a.PodRef == b.PodRef && a.IfName == b.IfName && a.ContainerId == b.ContainerId;
}

