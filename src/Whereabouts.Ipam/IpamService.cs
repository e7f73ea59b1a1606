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
/// The allocation and release engine every caller shares (the plugin, the node agent, the controller): one address per
/// range, all-or-nothing across ranges; idempotent for a pod interface; cluster-wide reservations for overlapping
/// ranges; compare-and-swap writes retried with jittered backoff inside a deadline; releases that go through every
/// range and leave no reservation behind (<see cref="IpamService"/>'s release half).
/// </summary>
public sealed partial class IpamService
{
    /// <summary>After repeated collisions, an ADD picks among this many of the lowest free addresses.</summary>
    private const int SpreadWindow = 32;

    private readonly IIpamStore _store;
    private readonly IpamOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StoreRetry _retry;
    private readonly ReservationRemover _remover;
    private readonly NodeSliceResolver _slices;
    private readonly AddressClaims _claims = new();
    private readonly SharedRangeContention _contention;

    public IpamService(IIpamStore store, ILogger logger, IpamOptions? options = null, TimeProvider? time = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _options = options ?? IpamOptions.Default;
        _time = time ?? TimeProvider.System;
        _retry = new StoreRetry(_options, _time, _logger);
        _remover = new ReservationRemover(_store.Reservations, _retry, _options, _time, _logger);
        _slices = new NodeSliceResolver(_store, _retry, _logger, _options.NodeName);
        _contention = new SharedRangeContention(_options.SpreadKey, _time);
    }

    /// <summary>
    /// Allocates one address per range, returned in the order of the configuration's ranges. If a later range fails,
    /// the earlier ones are released before the error is thrown.
    /// </summary>
    public async Task<IReadOnlyList<AllocatedAddress>> AllocateAsync(AllocationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = request.Config;
        var requested = RequestedAddresses.ForRanges(config.Ranges, request.RequestedAddresses);
        var gateways = GatewaySelector.ForRanges(config.Ranges, config.Gateway, request.GatewayOverrides);
        var started = Stopwatch.GetTimestamp();

        using var deadline = new OperationDeadline(_options.AddTimeout, _time, cancellationToken);
        var done = new List<AllocatedAddress>(config.Ranges.Count);
        try
        {
            config = await _slices.ApplyAsync(config, forRelease: false, deadline.Token);
            for (var i = 0; i < config.Ranges.Count; i++)
            {
                var range = AllocationRange.Create(config.Ranges[i], gateways[i]);
                var ip = await AllocateInRangeAsync(config, range, request.Owner, requested[i], deadline);
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

            if (deadline.CausedCancellation(ex))
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

    /// <summary>CNI CHECK: every range holds an allocation for this attachment, and <paramref name="expected"/> (prevResult) agrees.</summary>
    public async Task VerifyAsync(IpamConfig config, AllocationOwner owner, IReadOnlyList<Ip> expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(expected);
        using var deadline = new OperationDeadline(_options.DelTimeout, _time, cancellationToken);
        config = await _slices.ApplyAsync(config, forRelease: false, deadline.Token);
        foreach (var rangeConfig in config.Ranges)
        {
            var key = PoolKey.ForRange(rangeConfig, config.PoolNetworkName);
            var snapshot = await _retry.RunAsync(ct => _store.Pools.GetAsync(key, ct), key.Name, deadline);
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
                    var reservation = await _retry.RunAsync(ct => _store.Reservations.GetAsync(name, ct), name, deadline);
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
        using var deadline = new OperationDeadline(_options.StatusTimeout, _time, cancellationToken);
        try
        {
            await _store.CheckReachableAsync(deadline.Token);
        }
        catch (OperationCanceledException ex) when (deadline.CausedCancellation(ex))
        {
            throw new StoreUnavailableException($"the datastore did not answer within {_options.StatusTimeout.TotalSeconds:0} s", ex);
        }
    }

    /// <summary>True when the pool already has an entry of <paramref name="owner"/>'s attachment.</summary>
    private static bool Holds(PoolSnapshot snapshot, AllocationOwner owner)
    {
        foreach (var allocation in snapshot.Allocations.Values)
        {
            if (owner.Owns(allocation))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when another owner took <paramref name="address"/> since this call chose it.</summary>
    internal static bool HeldByOther(PoolSnapshot snapshot, Ip address, AllocationOwner owner) =>
        address.Family == snapshot.Base.Family && address >= snapshot.Base
        && snapshot.Allocations.TryGetValue(address.OffsetFrom(snapshot.Base), out var holder) && !owner.Owns(holder);

    private async Task<Ip> AllocateInRangeAsync(
        IpamConfig config, AllocationRange range, AllocationOwner owner, Ip? requested, OperationDeadline deadline)
    {
        var key = PoolKey.ForRange(range.Config, config.PoolNetworkName);
        var token = deadline.Token;
        var backoff = new Backoff(_options, _time);
        var rivals = new ContentionRecord();
        var hold = new ReservationHold(_store.Reservations, _remover, owner);
        using var claim = new AddressClaim(_claims, key.Name);
        Exception? lastError = null;
        try
        {
            while (true)
            {
                try
                {
                    var snapshot = await _store.Pools.GetOrCreateAsync(key, token);
                    LogUnreadableKeys(snapshot);
                    rivals.Observe(snapshot, owner);
                    // Claims only steer a new choice: a requested address, or one the pool already gives this
                    // attachment, is settled by the reservation and the pool write, whoever else aims at it.
                    var avoid = claim.Avoid(rivals.TakenElsewhere, () => requested is null && !Holds(snapshot, owner));
                    var plan = Plan(range, snapshot, owner, requested, rivals, avoid, hold.Address);
                    rivals.Chose(plan.Address);
                    var ip = plan.Address ?? default;
                    switch (plan.Outcome)
                    {
                        case AssignOutcome.Exhausted when requested is null && claim.ClaimedByOthers > 0:
                            // Only addresses other ADDs of this process are aiming at are left: wait for their outcome.
                            await StoreRetry.PauseAsync(backoff, null, token);
                            continue;
                        case AssignOutcome.Exhausted when await ForgetReleasedClaimsAsync(config, owner, rivals.TakenElsewhere, token):
                            continue;
                        case AssignOutcome.Exhausted:
                            throw new PoolExhaustedException($"no free address in range {range.Describe()}: all {range.FreeCount} usable addresses are allocated (pool {key.Name})");
                        case AssignOutcome.RequestedNotAllowed:
                            throw new AddressUnavailableException($"requested address {ip} cannot be handed out by range {range.Describe()}");
                        case AssignOutcome.RequestedTaken:
                            throw new AddressUnavailableException($"requested address {ip} is held by pod {plan.Holder?.PodRef ?? "(another pool)"} (container {plan.Holder?.ContainerId ?? "unknown"}, interface {plan.Holder?.IfName ?? "unknown"})");
                    }

                    if (requested is null && plan.Outcome == AssignOutcome.Allocated && !claim.TryTake(ip))
                    {
                        // Another ADD of this process chose the same address in the meantime: choose again.
                        continue;
                    }

                    if (config.EnableOverlappingRanges && !await ReserveAsync(config, hold, rivals, ip, requested is not null, key, token))
                    {
                        continue;
                    }

                    if (plan.Change.IsEmpty)
                    {
                        IpamLog.Reused(_logger, ip, owner.PodRef, owner.IfName, key.Name);
                        hold.Keep();
                        return ip;
                    }

                    if (config.SleepForRaceSeconds > 0)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(config.SleepForRaceSeconds), _time, token);
                    }

                    if (await _store.Pools.TryUpdateAsync(snapshot, plan.Change, token))
                    {
                        IpamLog.Allocated(_logger, ip, owner.PodRef, owner.IfName, owner.ContainerId, key.Name, backoff.Attempts);
                        hold.Keep();
                        if (config.EnableOverlappingRanges)
                        {
                            await DeleteReplacedReservationsAsync(config, snapshot, plan.Change, owner, token);
                        }

                        return ip;
                    }

                    IpamMetrics.Conflicts.Add(1);
                    IpamLog.Conflict(_logger, key.Name, backoff.Attempts + 1);
                    _contention.Lost(key.Name);
                    await StoreRetry.PauseAsync(backoff, null, token);
                }
                catch (StoreUnavailableException ex) when (ex.IsTransient && !token.IsCancellationRequested)
                {
                    lastError = ex;
                    IpamLog.Transient(_logger, key.Name, ex.Message);
                    await StoreRetry.PauseAsync(backoff, ex.RetryAfter, token);
                }
            }
        }
        catch (OperationCanceledException ex) when (deadline.Expired && lastError is not null)
        {
            throw new StoreUnavailableException($"allocation in pool {key.Name} timed out after {backoff.Attempts} retries; last error: {lastError.Message}", ex);
        }
        finally
        {
            await hold.SettleAsync();
        }
    }

    /// <summary>
    /// Holds the cluster-wide reservation of <paramref name="ip"/>; false when another pod holds it, so the caller
    /// chooses again. A requested address held elsewhere is an error instead.
    /// </summary>
    private async Task<bool> ReserveAsync(
        IpamConfig config, ReservationHold hold, ContentionRecord rivals, Ip ip, bool requested, PoolKey key, CancellationToken cancellationToken)
    {
        var name = ObjectNames.OverlappingReservation(ip, config.PoolNetworkName);
        if (hold.Holds(name))
        {
            return true;
        }

        var claim = await hold.ClaimAsync(name, ip, cancellationToken);
        if (hold.Holds(name))
        {
            return true;
        }

        if (requested)
        {
            throw new AddressUnavailableException($"requested address {ip} is reserved cluster-wide by pod {claim.Reservation.PodRef} (reservation {name})");
        }

        IpamLog.TakenElsewhere(_logger, ip, claim.Reservation.PodRef, key.Name);
        rivals.LostReservation(ip);
        _contention.Lost(key.Name);
        return false;
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

    /// <summary>
    /// The address this attempt aims at. A cluster-wide reservation this call already holds is kept while the pool
    /// still has its address free: moving would cost a create and a delete, and the reservation keeps other ADDs off
    /// it anyway. Otherwise the lowest free address not in <paramref name="avoid"/> (searched from the point
    /// <see cref="IpamOptions.SpreadKey"/> gives in a shared pool where this process lately lost races to others), or,
    /// after enough lost races, a random one among the next few.
    /// </summary>
    private AssignPlan Plan(
        AllocationRange range, PoolSnapshot snapshot, AllocationOwner owner, Ip? requested, ContentionRecord rivals, IReadOnlyCollection<Ip> avoid, Ip? held)
    {
        if (requested is null && held is { } kept && !HeldByOther(snapshot, kept, owner) && !avoid.Contains(kept))
        {
            var keep = PoolPlanner.Assign(range, snapshot.Base, snapshot.Allocations, owner, kept, avoid);
            if (keep.Outcome is AssignOutcome.Allocated or AssignOutcome.Reused)
            {
                return keep;
            }
        }

        var spread = _options.SpreadAfterCollisions > 0 && rivals.Collisions >= _options.SpreadAfterCollisions;
        var skip = spread ? Random.Shared.Next(SpreadWindow) : 0;
        var start = range.Config.Slice is null ? _contention.StartOf(snapshot.Key.Name, range.FreeCount) : UInt128.Zero;
        return PoolPlanner.Assign(range, snapshot.Base, snapshot.Allocations, owner, requested, avoid, skip, start);
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
            if (PoolPlanner.AddressOf(snapshot.Base, offset) is { } old)
            {
                await _remover.TryDeleteIfOursAsync(
                    ObjectNames.OverlappingReservation(old, config.PoolNetworkName),
                    r => r.IsOwnedBy(owner.PodRef, owner.IfName),
                    cancellationToken);
            }
        }
    }

    private void LogUnreadableKeys(PoolSnapshot snapshot)
    {
        if (snapshot.UnreadableKeys.Count > 0)
        {
            IpamLog.Unreadable(_logger, snapshot.Key.Name, string.Join(", ", snapshot.UnreadableKeys));
        }
    }
}
