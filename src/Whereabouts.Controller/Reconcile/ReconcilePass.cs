using Microsoft.Extensions.Logging;
using Whereabouts.Controller.Kube;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Naming;
using Whereabouts.Core.Net;
using Whereabouts.Ipam;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes;
using Whereabouts.Storage.Kubernetes.Api;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Controller.Reconcile;

/// <summary>
/// One leak-reclamation pass over the pools and reservations (see <see cref="AllocationVerdict.For"/> for the rule).
/// Nothing it decides can take a live pod's address: it reads pools, then reservations, then pods, so an allocation
/// made after its pool snapshot is not in it and a pod alive at that snapshot is in the pod list unless it was deleted
/// since; and every write goes through the one release engine (<see cref="IpamService.ReleaseEntriesAsync"/>), a
/// compare-and-swap that only removes entries still identical to those decided on.
/// </summary>
/// <remarks>
/// Reservations go in the same pass: the reservation of every allocation it releases (once a fresh GET confirms its pod
/// gone), and every reservation whose pod a fresh GET finds gone, whatever its age. Only a reservation whose pod exists
/// but whose allocation is not in a pool yet (an ADD in progress) is kept for the grace period.
/// </remarks>
/// <remarks>
/// The pass fails (throws) only when it cannot complete: a list failed, or the server refused the credentials or a
/// permission. A write that keeps failing is counted in <see cref="ReconcileSummary.Errors"/> and the pass goes on.
/// </remarks>
internal sealed partial class ReconcilePass
{
    private readonly WhereaboutsClient _client;
    private readonly ClusterApi _cluster;
    private readonly ReconcileSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IReconcileReport? _report;
    private readonly StoreRetry _retry;
    private readonly Dictionary<string, IpamService> _engines = new(StringComparer.Ordinal);
    private readonly HashSet<(string Namespace, string Name)> _reservationsReleased = [];

    public ReconcilePass(WhereaboutsClient client, ClusterApi cluster, ReconcileSettings settings, TimeProvider time, ILogger logger, IReconcileReport? report)
    {
        _client = client;
        _cluster = cluster;
        _settings = settings;
        _time = time;
        _logger = logger;
        _report = report;
        _retry = new StoreRetry(settings.Release, time, logger);
    }

    /// <exception cref="StoreUnavailableException">A list failed: nothing was decided.</exception>
    /// <exception cref="StoreAccessDeniedException">The server refused the credentials or a permission.</exception>
    public async Task<ReconcileSummary> RunAsync(CancellationToken cancellationToken)
    {
        var summary = new ReconcileSummary { DryRun = _settings.DryRun };
        var scope = _settings.Namespace ?? "all namespaces";
        var pools = await _client.ListPoolsAsync(_settings.Namespace, cancellationToken);
        var reservations = await _client.ListReservationsAsync(_settings.Namespace, cancellationToken);
        var pods = PodDirectory.From((await _cluster.ListPodsAsync(null, cancellationToken)).Items);
        LogSnapshot(_logger, pools.Count, reservations.Count, pods.Count, scope);

        var decided = new HashSet<(string Namespace, string Pool, UInt128 Offset, PoolAllocation Allocation)>();
        foreach (var pool in pools)
        {
            await ReconcilePoolAsync(pool, pods, summary, decided, cancellationToken);
        }

        await ReconcileReservationsAsync(reservations, pods, summary, decided, cancellationToken);
        return summary;
    }

    private async Task ReconcilePoolAsync(
        IPPool pool,
        PodDirectory pods,
        ReconcileSummary summary,
        HashSet<(string, string, UInt128, PoolAllocation)> decided,
        CancellationToken cancellationToken)
    {
        summary.Pools++;
        var @namespace = pool.Metadata?.NamespaceProperty ?? string.Empty;
        PoolSnapshot snapshot;
        try
        {
            snapshot = CrdConversion.ToSnapshot(pool);
        }
        catch (StoreDataException ex)
        {
            var count = pool.Spec?.Allocations?.Count ?? 0;
            summary.Allocations += count;
            summary.Keep("unreadable-pool", count);
            summary.Errors++;
            LogUnreadablePool(_logger, ex.Message);
            return;
        }

        var name = snapshot.Key.Name;
        summary.Allocations += snapshot.Allocations.Count + snapshot.UnreadableKeys.Count;
        summary.Keep("unreadable-key", snapshot.UnreadableKeys.Count);
        var chosen = new Dictionary<UInt128, PoolAllocation>();
        var reasons = new Dictionary<UInt128, string>();
        foreach (var (offset, allocation) in snapshot.Allocations)
        {
            var verdict = AllocationVerdict.For(allocation, pods);
            if (verdict.Release)
            {
                chosen[offset] = allocation;
                reasons[offset] = verdict.Reason;
            }
            else
            {
                summary.Keep(verdict.Reason);
            }
        }

        if (chosen.Count == 0)
        {
            return;
        }

        if (_settings.DryRun)
        {
            foreach (var (offset, allocation) in chosen.OrderBy(static c => c.Key))
            {
                _report?.Allocation(@namespace, name, PoolPlanner.AddressOf(snapshot.Base, offset), allocation, reasons[offset]);
                decided.Add((@namespace, name, offset, allocation));
                summary.Released++;
            }

            return;
        }

        // A pool whose name does not tell its network cannot name its reservations: they are left to the reservation
        // rules below, which find them by their pods.
        var networks = Cidr.TryParse(pool.Spec?.Range, out var range) ? ReservationNames.NetworkNameCandidates(name, range) : null;
        var outcome = await EngineFor(@namespace).ReleaseEntriesAsync(
            snapshot.Key, chosen, networks ?? [], (entry, ct) => PodGoneAsync(entry.Allocation.PodRef, ct), cancellationToken);
        foreach (var entry in outcome.Released.OrderBy(static r => r.Offset))
        {
            _report?.Allocation(@namespace, name, entry.Address, entry.Allocation, reasons[entry.Offset]);
            LogReleased(_logger, entry.Address, entry.Allocation.PodRef, entry.Allocation.IfName, entry.Allocation.ContainerId, @namespace, name, reasons[entry.Offset]);
            summary.Released++;
        }

        var owners = outcome.Released
            .SelectMany(e => (networks ?? []).Select(n => (Name: ObjectNames.OverlappingReservation(e.Address, n), e.Allocation.PodRef)))
            .DistinctBy(static o => o.Name)
            .ToDictionary(static o => o.Name, static o => o.PodRef, StringComparer.Ordinal);
        foreach (var reservation in outcome.ReservationsReleased)
        {
            var owner = owners.GetValueOrDefault(reservation, string.Empty);
            _reservationsReleased.Add((@namespace, reservation));
            _report?.Reservation(@namespace, reservation, owner);
            LogReservationReleased(_logger, @namespace, reservation, owner);
            summary.ReservationsReleased++;
        }

        summary.Errors += outcome.ReservationFailures.Count;
        foreach (var problem in outcome.ReservationFailures)
        {
            LogReservationDeleteFailed(_logger, @namespace, name, problem);
        }

        summary.Keep(AllocationVerdict.Changed, outcome.Changed.Count);
        summary.Vanished += outcome.Vanished.Count;
        if (outcome.Failure is { } failure)
        {
            summary.Keep(AllocationVerdict.WriteFailed, outcome.Left.Count);
            summary.Errors++;
            LogWriteFailed(_logger, outcome.Left.Count, @namespace, name, failure.Message);
        }
    }

    /// <summary>The release engine over this pass's connection, for the pools and reservations of one namespace.</summary>
    private IpamService EngineFor(string @namespace)
    {
        if (!_engines.TryGetValue(@namespace, out var engine))
        {
            engine = new IpamService(KubernetesIpamStore.Attach(_client, @namespace), _logger, _settings.Release, _time);
            _engines[@namespace] = engine;
        }

        return engine;
    }

    /// <summary>
    /// True when a fresh GET finds no pod of that name holding addresses (a pod re-created under the name since the
    /// pod list may hold the address again). A podref that names no pod cannot be asked about, and its allocation was
    /// released by the pass's rule already.
    /// </summary>
    private async Task<bool> PodGoneAsync(string podRef, CancellationToken cancellationToken)
    {
        if (!PodRef.TryParse(podRef, out var pod))
        {
            return true;
        }

        var current = await _retry.RunAsync(ct => _client.GetPodAsync(pod.Namespace, pod.Name, ct), "pod " + podRef, cancellationToken);
        return current is null || !PodFacts.From(current).HoldsAddresses;
    }

    private async Task ReconcileReservationsAsync(
        IReadOnlyList<OverlappingRangeIPReservation> reservations,
        PodDirectory pods,
        ReconcileSummary summary,
        HashSet<(string, string, UInt128, PoolAllocation)> decided,
        CancellationToken cancellationToken)
    {
        if (reservations.Count == 0)
        {
            return;
        }

        // Listed again after the pool writes: a reservation is judged by the allocations as they are now.
        IReadOnlyList<IPPool> fresh;
        try
        {
            fresh = await _retry.RunAsync(ct => _client.ListPoolsAsync(_settings.Namespace, ct), "IPPool list", cancellationToken);
        }
        catch (Exception ex) when (ex is StoreUnavailableException or StoreDataException)
        {
            summary.Errors++;
            foreach (var _ in reservations)
            {
                summary.KeepReservation("not-checked");
            }

            LogReservationsSkipped(_logger, ex.Message);
            return;
        }

        var index = ReservationIndex.Build(fresh, (ns, pool, offset, allocation) => decided.Contains((ns, pool, offset, allocation)));
        var now = _time.GetUtcNow();
        foreach (var crd in reservations)
        {
            var @namespace = crd.Metadata?.NamespaceProperty ?? string.Empty;
            Reservation reservation;
            try
            {
                reservation = CrdConversion.ToReservation(crd);
            }
            catch (StoreDataException ex)
            {
                summary.KeepReservation("unreadable");
                summary.Errors++;
                LogUnreadableReservation(_logger, ex.Message);
                continue;
            }

            if (_reservationsReleased.Contains((@namespace, reservation.Name)))
            {
                continue;
            }

            var reason = await KeepReasonAsync(@namespace, reservation, index, pods, now, cancellationToken);
            if (reason is not null)
            {
                summary.KeepReservation(reason);
                continue;
            }

            if (_settings.DryRun)
            {
                _report?.Reservation(@namespace, reservation.Name, reservation.PodRef);
                summary.ReservationsReleased++;
                continue;
            }

            try
            {
                if (await EngineFor(@namespace).ReleaseReservationAsync(reservation, cancellationToken))
                {
                    _report?.Reservation(@namespace, reservation.Name, reservation.PodRef);
                    LogReservationReleased(_logger, @namespace, reservation.Name, reservation.PodRef);
                    summary.ReservationsReleased++;
                }
                else
                {
                    summary.KeepReservation(AllocationVerdict.Changed);
                }
            }
            catch (Exception ex) when (ex is StoreUnavailableException or StoreDataException)
            {
                summary.KeepReservation("delete-failed");
                summary.Errors++;
                LogReservationDeleteFailed(_logger, @namespace, reservation.Name, ex.Message);
            }
        }
    }

    /// <summary>Why a reservation stays; null when it goes.</summary>
    private async Task<string?> KeepReasonAsync(
        string @namespace, Reservation reservation, ReservationIndex index, PodDirectory pods, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (index.IsUsed(@namespace, reservation.Name, reservation.PodRef))
        {
            return "in-use";
        }

        if (index.IsProtected(@namespace, reservation.PodRef))
        {
            return "unmatched-pool";
        }

        // An ADD creates its reservation before it writes the pool, and may take up to its 90 s deadline to do so: while
        // its pod exists, a young reservation without an allocation is an ADD in progress.
        var young = reservation.CreatedAt is not { } created || now - created < _settings.ReservationGrace;
        if (!PodRef.TryParse(reservation.PodRef, out var podRef))
        {
            return young ? "young" : null;
        }

        // A live pod of that name may also be re-using the reservation for a new incarnation (a StatefulSet pod whose
        // ADD found it already its own).
        if (pods.Find(podRef) is { HoldsAddresses: true })
        {
            return young ? "young" : "pod-alive";
        }

        if (_settings.DryRun)
        {
            return null;
        }

        // Not in the pod list: asked again right before the delete, since a pod may be newer than the list. A pod that
        // is gone cannot have an ADD in progress, so its reservation goes whatever its age.
        try
        {
            return await PodGoneAsync(reservation.PodRef, cancellationToken) ? null : young ? "young" : "pod-alive";
        }
        catch (Exception ex) when (ex is StoreUnavailableException or StoreDataException)
        {
            LogPodCheckFailed(_logger, podRef.ToString(), ex.Message);
            return "pod-check-failed";
        }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Reconciling {Pools} IPPools and {Reservations} reservations in {Scope} against {Pods} pods")]
    private static partial void LogSnapshot(ILogger logger, int pools, int reservations, int pods, string scope);

    [LoggerMessage(EventId = 311, Level = LogLevel.Information, Message = "Released {Address} of pod {PodRef} interface {IfName} (container {ContainerId}) from IPPool {Namespace}/{Pool}: {Reason}")]
    private static partial void LogReleased(ILogger logger, Ip? address, string podRef, string ifName, string containerId, string @namespace, string pool, string reason);

    [LoggerMessage(EventId = 312, Level = LogLevel.Error, Message = "Could not release {Count} allocations of IPPool {Namespace}/{Pool}: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, int count, string @namespace, string pool, string reason);

    [LoggerMessage(EventId = 313, Level = LogLevel.Error, Message = "Skipping an IPPool: {Reason}")]
    private static partial void LogUnreadablePool(ILogger logger, string reason);

    [LoggerMessage(EventId = 314, Level = LogLevel.Error, Message = "Skipping an OverlappingRangeIPReservation: {Reason}")]
    private static partial void LogUnreadableReservation(ILogger logger, string reason);

    [LoggerMessage(EventId = 315, Level = LogLevel.Error, Message = "Keeping every reservation: the IPPools could not be listed again after the pool writes: {Reason}")]
    private static partial void LogReservationsSkipped(ILogger logger, string reason);

    [LoggerMessage(EventId = 316, Level = LogLevel.Information, Message = "Released reservation {Namespace}/{Name} of pod {PodRef}")]
    private static partial void LogReservationReleased(ILogger logger, string @namespace, string name, string podRef);

    [LoggerMessage(EventId = 317, Level = LogLevel.Error, Message = "Could not delete reservation {Namespace}/{Name}: {Reason}")]
    private static partial void LogReservationDeleteFailed(ILogger logger, string @namespace, string name, string reason);

    [LoggerMessage(EventId = 318, Level = LogLevel.Warning, Message = "Keeping the reservations of pod {PodRef}: it could not be looked up: {Reason}")]
    private static partial void LogPodCheckFailed(ILogger logger, string podRef, string reason);
}
