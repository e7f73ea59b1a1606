using System.Diagnostics;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Config;
using Whereabouts.Core.Naming;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Ipam;

/// <summary>
/// The release half: DEL, GC, the rollback of a failed ADD, and the controller's releases of chosen entries. A pool
/// entry is always removed before its reservation: a leftover reservation only blocks an address until the next
/// release path frees it, whereas a pool entry without its reservation could let an overlapping pool hand it out twice.
/// </summary>
public sealed partial class IpamService
{
    /// <summary>
    /// Releases the addresses of (<paramref name="containerId"/>, <paramref name="ifName"/>) in every range, and the
    /// reservations this attachment owns, also those an earlier attempt left without a pool entry (a DEL or an ADD
    /// killed halfway): a DEL retried after a failure at any point leaves nothing. Nothing held is success.
    /// </summary>
    public async Task<int> ReleaseAsync(IpamConfig config, string containerId, string ifName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var deadline = new OperationDeadline(_options.DelTimeout, _time, cancellationToken);
            config = await _slices.ApplyAsync(config, forRelease: true, deadline.Token);

            // Reservations this attachment owns without a pool entry: a killed DEL removed the entry but not yet its
            // reservation, or a killed ADD attempt reserved an address and never wrote the pool, and the attempt that
            // then succeeded (a retry, or the plugin's fallback when a node agent died) took another address. Nothing in
            // the pools points at those, so they are looked up by the attachment's label: one LIST per DEL, sent
            // beside the pool writes where requests may overlap (those reservations were made before this DEL began).
            var lookup = config.EnableOverlappingRanges && _options.OverlapRequests ? FindOwnReservationsAsync(containerId, deadline) : null;
            var ranges = await ReleaseAllAsync(config, (_, a) => a.ContainerId == containerId && a.IfName == ifName, deadline);
            if (config.EnableOverlappingRanges)
            {
                await ReleaseOrphanReservationsAsync(config, containerId, ifName, ranges, await (lookup ?? FindOwnReservationsAsync(containerId, deadline)), deadline);
            }

            return ranges.Sum(static r => r.Removed.Count);
        }
        finally
        {
            IpamMetrics.DelDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>
    /// In node-slice mode, <paramref name="config"/> with this node's slice (<see cref="IpamOptions.NodeName"/>) on the
    /// range it cuts, so that <see cref="PoolKey.ForRange"/> names the node's slice pool; unchanged otherwise, and also
    /// when the node has no slice (nothing can be held in a slice that does not exist).
    /// </summary>
    public async Task<IpamConfig> WithNodeSliceAsync(IpamConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var deadline = new OperationDeadline(_options.DelTimeout, _time, cancellationToken);
        return await _slices.ApplyAsync(config, forRelease: true, deadline.Token);
    }

    /// <summary>
    /// CNI GC: releases this network's allocations whose attachment is not in <paramref name="validAttachments"/> and
    /// whose pod runs on this host or no longer exists (<see cref="IIpamStore.LocateAsync"/>). An allocation of a pod
    /// alive on another host, or whose placement is unknown, is never released here.
    /// </summary>
    public async Task<int> CollectGarbageAsync(
        IpamConfig config,
        IReadOnlySet<(string ContainerId, string IfName)> validAttachments,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(validAttachments);
        using var deadline = new OperationDeadline(_options.DelTimeout, _time, cancellationToken);
        config = await _slices.ApplyAsync(config, forRelease: true, deadline.Token);

        var stale = new HashSet<PoolAllocation>();
        var placements = new Dictionary<string, AllocationPlacement>(StringComparer.Ordinal);
        var kept = 0;
        foreach (var rangeConfig in config.Ranges)
        {
            var key = PoolKey.ForRange(rangeConfig, config.PoolNetworkName);
            var snapshot = await _retry.RunAsync(ct => _store.Pools.GetAsync(key, ct), key.Name, deadline);
            foreach (var allocation in snapshot?.Allocations.Values ?? [])
            {
                if (validAttachments.Contains((allocation.ContainerId, allocation.IfName)))
                {
                    continue;
                }

                // One lookup per pod: a pod with several interfaces or ranges is asked about once.
                var podKey = allocation.PodRef.Length > 0 ? allocation.PodRef : "container:" + allocation.ContainerId;
                if (!placements.TryGetValue(podKey, out var placement))
                {
                    placement = await _retry.RunAsync(ct => _store.LocateAsync(allocation, ct), "pod " + podKey, deadline);
                    placements[podKey] = placement;
                }

                if (placement is AllocationPlacement.ThisHost or AllocationPlacement.Gone)
                {
                    stale.Add(allocation);
                }
                else
                {
                    kept++;
                }
            }
        }

        if (kept > 0)
        {
            IpamLog.GarbageKept(_logger, kept, config.NetworkName);
        }

        if (stale.Count == 0)
        {
            return 0;
        }

        IpamLog.Garbage(_logger, stale.Count, config.NetworkName);
        var ranges = await ReleaseAllAsync(config, (_, a) => stale.Contains(a), deadline);
        return ranges.Sum(static r => r.Removed.Count);
    }

    /// <summary>
    /// Releases chosen entries of one pool for the controller (a deleted pod, a reconcile pass, an operator's release):
    /// only entries still identical to those chosen are removed (an entry a re-ADD gave a new container stays), then the
    /// reservations of the removed addresses, under each of <paramref name="reservationNetworks"/>, that the entry's pod
    /// interface still owns. <paramref name="reservationMayGo"/>, when given, is asked per removed entry right before its
    /// reservation goes (a pod re-created under the same name may have claimed it again). Failures are reported in the
    /// result.
    /// </summary>
    /// <param name="key">The pool.</param>
    /// <param name="chosen">Entries by offset, as read.</param>
    /// <param name="reservationNetworks">The network names (null for none) whose reservation names to try; empty: reservations are not touched.</param>
    /// <param name="reservationMayGo">A last check before the reservation of a removed entry is deleted; null: always.</param>
    /// <param name="cancellationToken">Cancels the whole release.</param>
    public async Task<EntryRelease> ReleaseEntriesAsync(
        PoolKey key,
        IReadOnlyDictionary<UInt128, PoolAllocation> chosen,
        IReadOnlyList<string?> reservationNetworks,
        Func<ReleasedEntry, CancellationToken, Task<bool>>? reservationMayGo,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(chosen);
        ArgumentNullException.ThrowIfNull(reservationNetworks);
        using var deadline = new OperationDeadline(_options.DelTimeout, _time, cancellationToken);
        var outcome = await RemoveEntriesAsync(key, (o, a) => chosen.TryGetValue(o, out var c) && c == a, deadline);
        IpamMetrics.Releases.Add(outcome.Removed.Count);
        if (outcome.Failure is not null)
        {
            IpamMetrics.ReleaseFailures.Add(1);
        }

        var removed = outcome.Removed.Select(static r => r.Offset).ToHashSet();
        var changed = new Dictionary<UInt128, PoolAllocation>();
        var vanished = new Dictionary<UInt128, PoolAllocation>();
        var left = new Dictionary<UInt128, PoolAllocation>();
        foreach (var (offset, allocation) in chosen.Where(c => !removed.Contains(c.Key)))
        {
            var target = outcome.Last is not null && outcome.Last.Allocations.TryGetValue(offset, out var now)
                ? now == allocation ? left : changed
                : vanished;
            target[offset] = allocation;
        }

        var reservationsReleased = new List<string>();
        var reservationFailures = new List<string>();
        foreach (var entry in reservationNetworks.Count > 0 ? outcome.Removed : [])
        {
            try
            {
                if (reservationMayGo is not null && !await reservationMayGo(entry, deadline.Token))
                {
                    continue;
                }

                foreach (var name in reservationNetworks.Select(n => ObjectNames.OverlappingReservation(entry.Address, n)).Distinct(StringComparer.Ordinal))
                {
                    if (await _remover.DeleteIfOursAsync(name, r => r.IsOwnedBy(entry.Allocation.PodRef, entry.Allocation.IfName), deadline))
                    {
                        reservationsReleased.Add(name);
                    }
                }
            }
            catch (Exception ex) when (ex is IpamException || deadline.CausedCancellation(ex))
            {
                reservationFailures.Add($"reservation of {entry.Address}: {ex.Message}");
            }
        }

        return new EntryRelease(outcome.Removed, changed, vanished, left, left.Count > 0 ? outcome.Failure : null)
        {
            ReservationsReleased = reservationsReleased,
            ReservationFailures = reservationFailures,
        };
    }

    /// <summary>Deletes the very reservation that was read (by the reconciler, say); false when it changed or is already gone.</summary>
    public async Task<bool> ReleaseReservationAsync(Reservation reservation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        using var deadline = new OperationDeadline(_options.DelTimeout, _time, cancellationToken);
        try
        {
            return await _remover.DeleteReadAsync(reservation, deadline);
        }
        catch (OperationCanceledException ex) when (deadline.CausedCancellation(ex))
        {
            throw new StoreUnavailableException($"deleting reservation {reservation.Name} did not finish within {deadline.Limit.TotalSeconds:0} s", ex);
        }
    }

    private async Task RollBackAsync(IpamConfig config, AllocationOwner owner, List<AllocatedAddress> done)
    {
        var partial = config with { Ranges = [.. done.Select(static d => d.Range)] };
        try
        {
            using var deadline = new OperationDeadline(_options.RollbackTimeout, _time, CancellationToken.None);
            await ReleaseAllAsync(partial, (_, a) => owner.IsAttachment(a), deadline);
            IpamLog.RolledBack(_logger, done.Count, owner.ContainerId);
        }
        catch (IpamException ex)
        {
            // The runtime calls DEL after a failed ADD, which retries this release.
            IpamLog.RollbackFailed(_logger, owner.ContainerId, ex.Message);
        }
    }

    /// <summary>Releases matching entries in every range, then their reservations; throws when any range could not finish.</summary>
    private async Task<IReadOnlyList<RangeRelease>> ReleaseAllAsync(
        IpamConfig config, Func<UInt128, PoolAllocation, bool> matches, OperationDeadline deadline)
    {
        // Ranges are released side by side: a range whose pool keeps failing until the deadline must not leave the
        // ranges after it untried.
        var outcomes = await Task.WhenAll(config.Ranges.Select(r => ReleaseInRangeAsync(config, r, matches, deadline)));
        IpamMetrics.Releases.Add(outcomes.Sum(static o => o.Removed.Count));
        var failures = outcomes.Select(static o => o.Failure).OfType<Exception>().ToList();
        if (failures.Count > 0)
        {
            IpamMetrics.ReleaseFailures.Add(failures.Count);
            throw new ReleaseFailedException(
                $"could not release in {failures.Count} of {config.Ranges.Count} ranges: {string.Join("; ", failures.Select(static f => f.Message))}",
                failures);
        }

        return outcomes;
    }

    private async Task<RangeRelease> ReleaseInRangeAsync(
        IpamConfig config, RangeConfig rangeConfig, Func<UInt128, PoolAllocation, bool> matches, OperationDeadline deadline)
    {
        var outcome = await RemoveEntriesAsync(PoolKey.ForRange(rangeConfig, config.PoolNetworkName), matches, deadline);
        if (outcome.Failure is not null || !config.EnableOverlappingRanges)
        {
            return outcome;
        }

        try
        {
            foreach (var entry in outcome.Removed)
            {
                await _remover.DeleteIfOursAsync(
                    ObjectNames.OverlappingReservation(entry.Address, config.PoolNetworkName),
                    r => r.IsOwnedBy(entry.Allocation.PodRef, entry.Allocation.IfName),
                    deadline);
            }
        }
        catch (Exception ex) when (ex is IpamException || deadline.CausedCancellation(ex))
        {
            // Reported, so the runtime retries the DEL; the retry finds the entry gone and the reservation by its label.
            return outcome with { Failure = Failure(outcome.Key, ex, null, deadline) };
        }

        return outcome;
    }

    /// <summary>
    /// Removes the entries <paramref name="matches"/> accepts with compare-and-swap writes, reading again after each
    /// conflict. Never throws for a store failure: it is returned, with what was removed before it.
    /// </summary>
    private async Task<RangeRelease> RemoveEntriesAsync(PoolKey key, Func<UInt128, PoolAllocation, bool> matches, OperationDeadline deadline)
    {
        var token = deadline.Token;
        var backoff = new Backoff(_options, _time);
        Exception? lastError = null;
        PoolSnapshot? snapshot = null;

        // A write whose answer was lost may have been applied: its entries are remembered, so that when the next read
        // shows them gone their reservations are still released (otherwise the retry would find nothing to do).
        List<ReleasedEntry> uncertain = [];
        try
        {
            while (true)
            {
                List<ReleasedEntry> attempted = [];
                try
                {
                    snapshot = await _store.Pools.GetAsync(key, token);
                    var current = snapshot;
                    var removedEarlier = uncertain.Where(u => !StillHeld(current, u)).ToList();
                    attempted = current is null ? [] : [.. Matching(current, matches)];
                    if (attempted.Count == 0)
                    {
                        return Removed(key, removedEarlier, current);
                    }

                    if (await _store.Pools.TryUpdateAsync(current!, PoolChange.Remove([.. attempted.Select(static a => a.Offset).Order()]), token))
                    {
                        return Removed(key, [.. attempted, .. removedEarlier], current);
                    }

                    IpamMetrics.Conflicts.Add(1);
                    await StoreRetry.PauseAsync(backoff, null, token);
                }
                catch (StoreUnavailableException ex) when (ex.IsTransient && !token.IsCancellationRequested)
                {
                    lastError = ex;
                    uncertain = [.. uncertain.Union(attempted)];
                    IpamLog.Transient(_logger, key.Name, ex.Message);
                    await StoreRetry.PauseAsync(backoff, ex.RetryAfter, token);
                }
            }
        }
        catch (Exception ex) when (ex is IpamException || deadline.CausedCancellation(ex))
        {
            return new RangeRelease(key, [], snapshot, Failure(key, ex, lastError, deadline));
        }
    }

    /// <summary>
    /// Deletes the reservations this attachment owns that no pool entry of its pod interface uses any more, found by
    /// the container's label, not by listing the cluster.
    /// </summary>
    private async Task ReleaseOrphanReservationsAsync(
        IpamConfig config,
        string containerId,
        string ifName,
        IReadOnlyList<RangeRelease> ranges,
        (IReadOnlyList<Reservation> Found, Exception? Error) lookup,
        OperationDeadline deadline)
    {
        try
        {
            if (lookup.Error is { } error)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            }

            // The pods this DEL released entries of: a reservation naming another pod has changed hands and stays.
            var pods = ranges.SelectMany(static r => r.Removed).Select(static e => e.Allocation.PodRef).ToHashSet(StringComparer.Ordinal);

            // The released entries' own reservations were handled with their entries.
            var handled = ranges.SelectMany(static r => r.Removed)
                .Select(e => ObjectNames.OverlappingReservation(e.Address, config.PoolNetworkName))
                .ToHashSet(StringComparer.Ordinal);
            foreach (var reservation in lookup.Found)
            {
                if (reservation.ContainerId != containerId || reservation.IfName != ifName || handled.Contains(reservation.Name)
                    || (pods.Count > 0 && !pods.Contains(reservation.PodRef))
                    || ranges.Any(r => UsesReservation(r.Last, reservation, config.PoolNetworkName)))
                {
                    continue;
                }

                if (await _remover.DeleteReadAsync(reservation, deadline))
                {
                    IpamLog.OrphanReservationDeleted(_logger, reservation.Name, containerId, ifName);
                }
            }
        }
        catch (Exception ex) when (ex is IpamException || deadline.CausedCancellation(ex))
        {
            IpamMetrics.ReleaseFailures.Add(1);
            throw new ReleaseFailedException($"could not release the reservations of container {containerId} interface {ifName}: {ex.Message}", [Failure(null, ex, null, deadline)]);
        }
    }

    /// <summary>The attachment's reservations by its label; a failure is returned, so that the task never goes unobserved.</summary>
    private async Task<(IReadOnlyList<Reservation> Found, Exception? Error)> FindOwnReservationsAsync(string containerId, OperationDeadline deadline)
    {
        try
        {
            return (await _retry.RunAsync(ct => _store.Reservations.FindByContainerAsync(containerId, ct), "reservations of container " + containerId, deadline), null);
        }
#pragma warning disable CA1031 // Handed to the caller, which decides once the pool writes are done.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ([], ex);
        }
    }

    /// <summary>
    /// True when <paramref name="pool"/> still holds, for the reservation's pod interface, the address the reservation
    /// names: a pod re-created under its name (a StatefulSet) got it back, and it must stay.
    /// </summary>
    private static bool UsesReservation(PoolSnapshot? pool, Reservation reservation, string? networkName) =>
        pool is not null
        && pool.Allocations.Any(a => a.Value.PodRef == reservation.PodRef && a.Value.IfName == reservation.IfName
            && PoolPlanner.AddressOf(pool.Base, a.Key) is { } address
            && ObjectNames.OverlappingReservation(address, networkName) == reservation.Name);

    private static IEnumerable<ReleasedEntry> Matching(PoolSnapshot snapshot, Func<UInt128, PoolAllocation, bool> matches)
    {
        foreach (var (offset, allocation) in snapshot.Allocations)
        {
            if (matches(offset, allocation) && PoolPlanner.AddressOf(snapshot.Base, offset) is { } address)
            {
                yield return new ReleasedEntry(offset, address, allocation);
            }
        }
    }

    private RangeRelease Removed(PoolKey key, List<ReleasedEntry> removed, PoolSnapshot? last)
    {
        foreach (var entry in removed)
        {
            IpamLog.Released(_logger, entry.Address, entry.Allocation.PodRef, entry.Allocation.IfName, entry.Allocation.ContainerId, key.Name);
        }

        return new RangeRelease(key, removed, last, null);
    }

    /// <summary>
    /// True when the pool still holds <paramref name="entry"/>'s address for the same pod interface: the entry was not
    /// removed, or the pod (re-created under its name) got it back, and its reservation must stay.
    /// </summary>
    private static bool StillHeld(PoolSnapshot? snapshot, ReleasedEntry entry) =>
        snapshot is not null
        && snapshot.Allocations.Any(a => a.Value.PodRef == entry.Allocation.PodRef && a.Value.IfName == entry.Allocation.IfName
            && PoolPlanner.AddressOf(snapshot.Base, a.Key) == entry.Address);

    /// <summary>The error of a release cut short: a store error as it is, a passed deadline as "try again later".</summary>
    private static Exception Failure(PoolKey? key, Exception error, Exception? lastError, OperationDeadline deadline) =>
        error is IpamException
            ? error
            : new StoreUnavailableException(
                $"release{(key is null ? string.Empty : " in pool " + key.Name)} did not finish within {deadline.Limit.TotalSeconds:0} s{(lastError is null ? string.Empty : "; last error: " + lastError.Message)}",
                error);
}
