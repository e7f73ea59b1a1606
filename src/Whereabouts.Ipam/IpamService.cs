using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Config;
using Whereabouts.Core.Naming;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Ipam;

/// <summary>
/// The allocation service every store shares: one address per range, all-or-nothing across ranges; idempotent for a
/// pod interface; cluster-wide reservations for overlapping ranges; compare-and-swap writes retried with jittered
/// backoff inside a deadline; releases that go through every range.
/// </summary>
public sealed partial class IpamService
{
    /// <summary>After repeated collisions, an ADD picks among this many of the lowest free addresses.</summary>
    private const int SpreadWindow = 32;

    private readonly IIpamStore _store;
    private readonly IpamOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public IpamService(IIpamStore store, ILogger logger, IpamOptions? options = null, TimeProvider? time = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _options = options ?? IpamOptions.Default;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Allocates one address per range. If a later range fails, the earlier ones are released before the error is thrown.</summary>
    public async Task<IReadOnlyList<AllocatedAddress>> AllocateAsync(AllocationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = request.Config;
        var requested = RequestedAddresses.ForRanges(config.Ranges, request.RequestedAddresses);
        var gateways = GatewaySelector.ForRanges(config.Ranges, config.Gateway, request.GatewayOverrides);
        var started = Stopwatch.GetTimestamp();

        using var deadline = new CancellationTokenSource(_options.AddTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var done = new List<AllocatedAddress>(config.Ranges.Count);
        try
        {
            for (var i = 0; i < config.Ranges.Count; i++)
            {
                var range = AllocationRange.Create(config.Ranges[i], gateways[i]);
                var ip = await AllocateInRangeAsync(config, range, request.Owner, requested[i], deadline, linked.Token);
                done.Add(new AllocatedAddress(config.Ranges[i], ip, gateways[i]));
            }
        }
        catch (Exception ex)
        {
            IpamMetrics.AllocationFailures.Add(1);
            IpamMetrics.AddDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            if (done.Count > 0)
            {
                await RollBackAsync(config, request.Owner, done);
            }

            if (ex is OperationCanceledException && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new StoreUnavailableException(
                    $"allocation did not finish within {_options.AddTimeout.TotalSeconds:0} s; the datastore is slow or unreachable", ex);
            }

            throw;
        }

        IpamMetrics.Allocations.Add(done.Count);
        IpamMetrics.AllocationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        IpamMetrics.AddDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return done;
    }

    /// <summary>Releases the addresses of (<paramref name="containerId"/>, <paramref name="ifName"/>) in every range. Nothing held is success.</summary>
    public async Task<int> ReleaseAsync(IpamConfig config, string containerId, string ifName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var deadline = new CancellationTokenSource(_options.DelTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await ReleaseAllAsync(config, a => a.ContainerId == containerId && a.IfName == ifName, deadline, linked.Token);
        }
        finally
        {
            IpamMetrics.DelDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>
    /// CNI GC: releases this network's allocations whose attachment is not in <paramref name="validAttachments"/>,
    /// limited to allocations the store says belong to this host.
    /// </summary>
    public async Task<int> CollectGarbageAsync(
        IpamConfig config,
        IReadOnlySet<(string ContainerId, string IfName)> validAttachments,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(validAttachments);
        using var deadline = new CancellationTokenSource(_options.DelTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);

        var stale = new HashSet<PoolAllocation>();
        foreach (var rangeConfig in config.Ranges)
        {
            var key = PoolKey.For(rangeConfig.Subnet, config.PoolNetworkName);
            var snapshot = await WithRetriesAsync(ct => _store.Pools.GetAsync(key, ct), key.Name, deadline, linked.Token);
            foreach (var allocation in snapshot?.Allocations.Values ?? [])
            {
                if (!validAttachments.Contains((allocation.ContainerId, allocation.IfName))
                    && await _store.IsLocalAsync(allocation, linked.Token))
                {
                    stale.Add(allocation);
                }
            }
        }

        if (stale.Count == 0)
        {
            return 0;
        }

        LogGarbage(_logger, stale.Count, config.NetworkName);
        return await ReleaseAllAsync(config, stale.Contains, deadline, linked.Token);
    }

    /// <summary>CNI CHECK: every range holds an allocation for this attachment, and <paramref name="expected"/> (prevResult) agrees.</summary>
    public async Task VerifyAsync(IpamConfig config, AllocationOwner owner, IReadOnlyList<Ip> expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(expected);
        using var deadline = new CancellationTokenSource(_options.DelTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        foreach (var rangeConfig in config.Ranges)
        {
            var key = PoolKey.For(rangeConfig.Subnet, config.PoolNetworkName);
            var snapshot = await WithRetriesAsync(ct => _store.Pools.GetAsync(key, ct), key.Name, deadline, linked.Token);
            var held = snapshot?.Allocations
                .Where(a => owner.IsAttachment(a.Value))
                .Select(a => PoolPlanner.AddressOf(snapshot.Base, a.Key))
                .OfType<Ip>()
                .ToList() ?? [];
            if (held.Count == 0)
            {
                throw new AddressUnavailableException(
                    $"container {owner.ContainerId} interface {owner.IfName} holds no address in range {rangeConfig.Subnet} (pool {key.Name})");
            }

            var inRange = expected.Where(rangeConfig.Subnet.Contains).ToList();
            if (inRange.Count > 0 && !inRange.Any(held.Contains))
            {
                throw new AddressUnavailableException(
                    $"prevResult lists {string.Join(", ", inRange)} in range {rangeConfig.Subnet}, but pool {key.Name} holds {string.Join(", ", held)} for container {owner.ContainerId}");
            }

            if (config.EnableOverlappingRanges)
            {
                foreach (var ip in held)
                {
                    var name = ObjectNames.OverlappingReservation(ip, config.PoolNetworkName);
                    var reservation = await WithRetriesAsync(ct => _store.Reservations.GetAsync(name, ct), name, deadline, linked.Token);
                    if (reservation is null || !reservation.IsOwnedBy(owner.PodRef, owner.IfName))
                    {
                        throw new AddressUnavailableException(
                            $"{ip} is allocated to container {owner.ContainerId} but its cluster-wide reservation {name} is {(reservation is null ? "missing" : "held by " + reservation.PodRef)}");
                    }
                }
            }
        }
    }

    /// <summary>CNI STATUS: can the store serve an ADD right now? One attempt: a status that retries would hide the answer.</summary>
    public async Task CheckStatusAsync(CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_options.StatusTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await _store.CheckReachableAsync(linked.Token);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new StoreUnavailableException($"the datastore did not answer within {_options.StatusTimeout.TotalSeconds:0} s", ex);
        }
    }

    private async Task<Ip> AllocateInRangeAsync(
        IpamConfig config,
        AllocationRange range,
        AllocationOwner owner,
        Ip? requested,
        CancellationTokenSource deadline,
        CancellationToken cancellationToken)
    {
        var key = PoolKey.For(range.Subnet, config.PoolNetworkName);
        var backoff = new Backoff(_options, _time);
        var takenElsewhere = new HashSet<Ip>();
        Reservation? held = null;
        Ip? heldAddress = null;
        var heldIsNew = false;
        Exception? lastError = null;

        // Every ADD racing for a pool first aims at its lowest free address. Where collisions are expensive (a remote
        // datastore), an ADD that has lost enough races aims at a random address among the lowest few instead, so the
        // losers spread out rather than collide again and again (IpamOptions.SpreadAfterCollisions).
        var collisions = 0;
        Ip? lastChoice = null;

        // Reservation creates whose answer was lost may have happened; whatever this call does not end up holding is
        // withdrawn at the end.
        var uncertainClaims = new HashSet<string>();

        try
        {
            while (true)
            {
                try
                {
                    var snapshot = await _store.Pools.GetOrCreateAsync(key, cancellationToken);
                    LogUnreadableKeys(snapshot);
                    if (lastChoice is { } previous && HeldByOther(snapshot, previous, owner))
                    {
                        collisions++;
                    }

                    var plan = Plan(range, snapshot, owner, requested, takenElsewhere, heldAddress, collisions);
                    var ip = plan.Address ?? default;
                    lastChoice = plan.Address;
                    switch (plan.Outcome)
                    {
                        case AssignOutcome.Exhausted when await ForgetReleasedClaimsAsync(config, owner, takenElsewhere, cancellationToken):
                            continue;
                        case AssignOutcome.Exhausted:
                            throw new PoolExhaustedException($"no free address in range {range.Describe()}: all {range.FreeCount} usable addresses are allocated (pool {key.Name})");
                        case AssignOutcome.RequestedNotAllowed:
                            throw new AddressUnavailableException($"requested address {ip} cannot be handed out by range {range.Describe()}");
                        case AssignOutcome.RequestedTaken:
                            throw new AddressUnavailableException($"requested address {ip} is held by pod {plan.Holder?.PodRef ?? "(another pool)"} (container {plan.Holder?.ContainerId ?? "unknown"}, interface {plan.Holder?.IfName ?? "unknown"})");
                    }

                    if (config.EnableOverlappingRanges)
                    {
                        var name = ObjectNames.OverlappingReservation(ip, config.PoolNetworkName);
                        if (held?.Name != name)
                        {
                            if (held is not null && heldIsNew && !await DeleteReservationAsync(held, cancellationToken))
                            {
                                // Not gone yet (the store failed, or the deadline came): withdrawn once more at the end.
                                uncertainClaims.Add(held.Name);
                            }

                            held = null;
                            heldAddress = null;
                            ReservationClaim claim;
                            try
                            {
                                claim = await _store.Reservations.TryCreateAsync(name, owner, cancellationToken);
                            }
                            catch (Exception ex) when (ex is StoreUnavailableException or OperationCanceledException)
                            {
                                // The create may have reached the store even though its answer did not reach us.
                                uncertainClaims.Add(name);
                                throw;
                            }

                            if (!claim.Created && !claim.Reservation.IsOwnedBy(owner.PodRef, owner.IfName))
                            {
                                if (requested is not null)
                                {
                                    throw new AddressUnavailableException($"requested address {ip} is reserved cluster-wide by pod {claim.Reservation.PodRef} (reservation {name})");
                                }

                                LogTakenElsewhere(_logger, ip, claim.Reservation.PodRef, key.Name);
                                takenElsewhere.Add(ip);
                                collisions++;
                                continue;
                            }

                            held = claim.Reservation;
                            heldAddress = ip;

                            // A claim that answers "exists, yours" may be this very call's earlier create whose answer
                            // was lost, or one of this container's failed attempts: this call owns it then, and withdraws
                            // it if it moves on.
                            heldIsNew = claim.Created || claim.Reservation.ContainerId == owner.ContainerId;
                        }
                    }

                    if (plan.Change.IsEmpty)
                    {
                        LogReused(_logger, ip, owner.PodRef, owner.IfName, key.Name);
                        heldIsNew = false;
                        return ip;
                    }

                    if (config.SleepForRaceSeconds > 0)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(config.SleepForRaceSeconds), _time, cancellationToken);
                    }

                    if (await _store.Pools.TryUpdateAsync(snapshot, plan.Change, cancellationToken))
                    {
                        LogAllocated(_logger, ip, owner.PodRef, owner.IfName, owner.ContainerId, key.Name, backoff.Attempts);
                        heldIsNew = false;
                        if (config.EnableOverlappingRanges)
                        {
                            await DeleteReplacedReservationsAsync(config, snapshot, plan.Change, owner, cancellationToken);
                        }

                        return ip;
                    }

                    IpamMetrics.Conflicts.Add(1);
                    LogConflict(_logger, key.Name, backoff.Attempts + 1);
                    await Retry(backoff, null, cancellationToken);
                }
                catch (StoreUnavailableException ex) when (ex.IsTransient && !cancellationToken.IsCancellationRequested)
                {
                    lastError = ex;
                    LogTransient(_logger, key.Name, ex.Message);
                    await Retry(backoff, ex.RetryAfter, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && lastError is not null)
        {
            throw new StoreUnavailableException($"allocation in pool {key.Name} timed out after {backoff.Attempts} retries; last error: {lastError.Message}", ex);
        }
        finally
        {
            if (held is not null && heldIsNew)
            {
                await DeleteReservationAsync(held, CancellationToken.None);
            }

            uncertainClaims.Remove(held?.Name ?? string.Empty);
            await WithdrawUncertainClaimsAsync(uncertainClaims, owner);
        }
    }

    /// <summary>
    /// The range looked full, but partly because of addresses this call saw claimed by other pods, and such a claim
    /// may since have been withdrawn (its ADD lost a race or failed). Forgets the claims that are gone; true when there
    /// was one, so the range is looked at again instead of reported full.
    /// </summary>
    private async Task<bool> ForgetReleasedClaimsAsync(
        IpamConfig config, AllocationOwner owner, HashSet<Ip> takenElsewhere, CancellationToken cancellationToken)
    {
        var forgotten = false;
        foreach (var ip in takenElsewhere.ToList())
        {
            var name = ObjectNames.OverlappingReservation(ip, config.PoolNetworkName);
            var reservation = await _store.Reservations.GetAsync(name, cancellationToken);
            if (reservation is null || reservation.IsOwnedBy(owner.PodRef, owner.IfName))
            {
                takenElsewhere.Remove(ip);
                forgotten = true;
            }
        }

        return forgotten;
    }

    private static async Task Retry(Backoff backoff, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        IpamMetrics.Retries.Add(1);
        await backoff.DelayAsync(retryAfter, cancellationToken);
    }

    private async Task<int> ReleaseAllAsync(
        IpamConfig config, Func<PoolAllocation, bool> matches, CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        // Ranges are released side by side: a range whose pool keeps failing until the deadline must not leave the
        // ranges after it untried.
        var outcomes = await Task.WhenAll(config.Ranges.Select(ReleaseOneAsync));
        var released = outcomes.Sum(static o => o.Released);
        var failures = outcomes.Select(static o => o.Failure).OfType<Exception>().ToList();

        // Counted before any failure is reported: those addresses are free whatever happened in other ranges.
        IpamMetrics.Releases.Add(released);
        if (failures.Count > 0)
        {
            throw new ReleaseFailedException(
                $"could not release in {failures.Count} of {config.Ranges.Count} ranges: {string.Join("; ", failures.Select(static f => f.Message))}",
                failures);
        }

        return released;

        async Task<(int Released, Exception? Failure)> ReleaseOneAsync(RangeConfig rangeConfig)
        {
            try
            {
                return (await ReleaseInRangeAsync(config, rangeConfig, matches, deadline, cancellationToken), null);
            }
            catch (Exception ex) when (ex is IpamException or OperationCanceledException)
            {
                IpamMetrics.ReleaseFailures.Add(1);
                return (0, ex is OperationCanceledException && deadline.IsCancellationRequested
                    ? new StoreUnavailableException($"release in range {rangeConfig.Subnet} did not finish within {_options.DelTimeout.TotalSeconds:0} s", ex)
                    : ex);
            }
        }
    }

    private async Task<int> ReleaseInRangeAsync(
        IpamConfig config, RangeConfig rangeConfig, Func<PoolAllocation, bool> matches, CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        var key = PoolKey.For(rangeConfig.Subnet, config.PoolNetworkName);
        var backoff = new Backoff(_options, _time);
        Exception? lastError = null;
        List<(Ip Address, PoolAllocation Allocation)> removed;

        // A write whose answer was lost may have been applied: its entries are remembered, so that when the next read
        // shows them gone their reservations are still released (otherwise the retry would find nothing to do).
        List<(Ip Address, PoolAllocation Allocation)> uncertain = [];
        try
        {
            while (true)
            {
                List<(Ip Address, PoolAllocation Allocation)> attempted = [];
                try
                {
                    var snapshot = await _store.Pools.GetAsync(key, cancellationToken);
                    var removedEarlier = uncertain.Where(u => !StillHeld(snapshot, u.Address, u.Allocation)).ToList();
                    var offsets = snapshot?.Allocations.Where(a => matches(a.Value)).Select(static a => a.Key).Order().ToList() ?? [];
                    if (offsets.Count == 0)
                    {
                        removed = removedEarlier;
                        break;
                    }

                    attempted = [.. offsets.Select(o => (PoolPlanner.AddressOf(snapshot!.Base, o), snapshot.Allocations[o]))
                        .Where(static p => p.Item1 is not null)
                        .Select(static p => (p.Item1!.Value, p.Item2))];
                    if (await _store.Pools.TryUpdateAsync(snapshot!, PoolChange.Remove(offsets), cancellationToken))
                    {
                        removed = [.. attempted, .. removedEarlier];
                        break;
                    }

                    IpamMetrics.Conflicts.Add(1);
                    await Retry(backoff, null, cancellationToken);
                }
                catch (StoreUnavailableException ex) when (ex.IsTransient && !cancellationToken.IsCancellationRequested)
                {
                    lastError = ex;
                    uncertain = [.. uncertain.Union(attempted)];
                    LogTransient(_logger, key.Name, ex.Message);
                    await Retry(backoff, ex.RetryAfter, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && lastError is not null)
        {
            throw new StoreUnavailableException($"release in pool {key.Name} timed out; last error: {lastError.Message}", ex);
        }

        foreach (var (address, allocation) in removed)
        {
            LogReleased(_logger, address, allocation.PodRef, allocation.IfName, allocation.ContainerId, key.Name);
            if (config.EnableOverlappingRanges)
            {
                // The pool entry goes first: a leftover reservation only blocks an address until the reconciler frees
                // it, whereas a pool entry without its reservation could let an overlapping pool hand the address out twice.
                var name = ObjectNames.OverlappingReservation(address, config.PoolNetworkName);
                var reservation = await WithRetriesAsync(ct => _store.Reservations.GetAsync(name, ct), name, deadline, cancellationToken);
                if (reservation is not null && reservation.IsOwnedBy(allocation.PodRef, allocation.IfName))
                {
                    await WithRetriesAsync(ct => _store.Reservations.DeleteAsync(reservation, ct), name, deadline, cancellationToken);
                }
            }
        }

        return removed.Count;
    }

    /// <summary>
    /// The address this attempt aims at. A cluster-wide reservation this call already holds is kept while the pool
    /// still has its address free: moving would cost a create and a delete, and the reservation keeps other ADDs off
    /// it anyway. Otherwise the lowest free address, or, after enough lost races, a random one among the lowest few.
    /// </summary>
    private AssignPlan Plan(
        AllocationRange range, PoolSnapshot snapshot, AllocationOwner owner, Ip? requested, HashSet<Ip> takenElsewhere,
        Ip? held, int collisions)
    {
        if (requested is null && held is { } kept && !HeldByOther(snapshot, kept, owner) && !takenElsewhere.Contains(kept))
        {
            var keep = PoolPlanner.Assign(range, snapshot.Base, snapshot.Allocations, owner, kept, takenElsewhere);
            if (keep.Outcome is AssignOutcome.Allocated or AssignOutcome.Reused)
            {
                return keep;
            }
        }

        var spread = _options.SpreadAfterCollisions > 0 && collisions >= _options.SpreadAfterCollisions;
        var skip = spread ? Random.Shared.Next(SpreadWindow) : 0;
        return PoolPlanner.Assign(range, snapshot.Base, snapshot.Allocations, owner, requested, takenElsewhere, skip);
    }

    /// <summary>True when another owner took <paramref name="address"/> since this call chose it.</summary>
    private static bool HeldByOther(PoolSnapshot snapshot, Ip address, AllocationOwner owner) =>
        address.Family == snapshot.Base.Family && address >= snapshot.Base
        && snapshot.Allocations.TryGetValue(address.OffsetFrom(snapshot.Base), out var holder) && !owner.Owns(holder);

    /// <summary>
    /// True when the pool still holds <paramref name="address"/> for the same pod interface: the entry was not removed,
    /// or the pod (re-created under its name) got it back, and its reservation must stay.
    /// </summary>
    private static bool StillHeld(PoolSnapshot? snapshot, Ip address, PoolAllocation allocation) =>
        snapshot is not null
        && snapshot.Allocations.Any(a => a.Value.PodRef == allocation.PodRef && a.Value.IfName == allocation.IfName
            && PoolPlanner.AddressOf(snapshot.Base, a.Key) == address);

    private async Task RollBackAsync(IpamConfig config, AllocationOwner owner, List<AllocatedAddress> done)
    {
        var partial = config with { Ranges = [.. done.Select(static d => d.Range)] };
        try
        {
            using var deadline = new CancellationTokenSource(_options.RollbackTimeout, _time);
            await ReleaseAllAsync(partial, owner.IsAttachment, deadline, deadline.Token);
            LogRolledBack(_logger, done.Count, owner.ContainerId);
        }
        catch (IpamException ex)
        {
            // The runtime calls DEL after a failed ADD, which retries this release.
            LogRollbackFailed(_logger, owner.ContainerId, ex.Message);
        }
    }

    /// <summary>
    /// A write that moved the owner off an entry it held (a new requested address, a narrowed range) removed that
    /// entry; the reservation of the old address is the owner's too and goes with it, or it would block the address.
    /// </summary>
    private async Task DeleteReplacedReservationsAsync(
        IpamConfig config, PoolSnapshot snapshot, PoolChange change, AllocationOwner owner, CancellationToken cancellationToken)
    {
        foreach (var offset in change.Removals)
        {
            if (PoolPlanner.AddressOf(snapshot.Base, offset) is not { } old)
            {
                continue;
            }

            var name = ObjectNames.OverlappingReservation(old, config.PoolNetworkName);
            try
            {
                using var timeout = new CancellationTokenSource(_options.RollbackTimeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                var reservation = await WithRetriesAsync(ct => _store.Reservations.GetAsync(name, ct), name, timeout, linked.Token);
                if (reservation is not null && reservation.IsOwnedBy(owner.PodRef, owner.IfName))
                {
                    await WithRetriesAsync(ct => _store.Reservations.DeleteAsync(reservation, ct), name, timeout, linked.Token);
                }
            }
            catch (Exception ex) when (ex is IpamException or OperationCanceledException)
            {
                LogReservationLeft(_logger, name, ex.Message);
            }
        }
    }

    /// <summary>Deletes the reservations among <paramref name="names"/> that a lost create of this container made.</summary>
    private async Task WithdrawUncertainClaimsAsync(HashSet<string> names, AllocationOwner owner)
    {
        foreach (var name in names)
        {
            try
            {
                using var timeout = new CancellationTokenSource(_options.RollbackTimeout, _time);
                var reservation = await WithRetriesAsync(ct => _store.Reservations.GetAsync(name, ct), name, timeout, timeout.Token);
                if (reservation is not null && reservation.IsOwnedBy(owner.PodRef, owner.IfName) && reservation.ContainerId == owner.ContainerId)
                {
                    await DeleteReservationAsync(reservation, CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is IpamException or OperationCanceledException)
            {
                LogReservationLeft(_logger, name, ex.Message);
            }
        }
    }

    /// <summary>Deletes a reservation this call made; false when it could not, which has been logged.</summary>
    private async Task<bool> DeleteReservationAsync(Reservation reservation, CancellationToken cancellationToken)
    {
        try
        {
            // A reservation this call created and no pool entry uses: worth the retries, since after this call nothing
            // but the reconciler would ever free it.
            using var timeout = new CancellationTokenSource(_options.RollbackTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await WithRetriesAsync(ct => _store.Reservations.DeleteAsync(reservation, ct), reservation.Name, timeout, linked.Token);
            return true;
        }
        catch (Exception ex) when (ex is IpamException or OperationCanceledException)
        {
            // Left for the reconciler, which frees reservations without an allocation once they are old enough.
            LogReservationLeft(_logger, reservation.Name, ex.Message);
            return false;
        }
    }

    /// <summary>Runs a read or a single-object write, retrying transient store errors until the deadline.</summary>
    private async Task<T> WithRetriesAsync<T>(
        Func<CancellationToken, Task<T>> operation, string what, CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(_options, _time);
        while (true)
        {
            try
            {
                return await operation(cancellationToken);
            }
            catch (StoreUnavailableException ex) when (ex.IsTransient && !cancellationToken.IsCancellationRequested)
            {
                LogTransient(_logger, what, ex.Message);
                try
                {
                    await Retry(backoff, ex.RetryAfter, cancellationToken);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                {
                    throw new StoreUnavailableException($"{what}: gave up after {backoff.Attempts} retries; last error: {ex.Message}", ex);
                }
            }
        }
    }

    private void LogUnreadableKeys(PoolSnapshot snapshot)
    {
        if (snapshot.UnreadableKeys.Count > 0)
        {
            LogUnreadable(_logger, snapshot.Key.Name, string.Join(", ", snapshot.UnreadableKeys));
        }
    }
}
