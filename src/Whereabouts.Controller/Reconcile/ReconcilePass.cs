using Microsoft.Extensions.Logging;
using Whereabouts.Controller.Kube;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Api;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Controller.Reconcile;

/// <summary>
/// One leak-reclamation pass over the pools and reservations (see <see cref="AllocationVerdict.For"/> for the rule).
/// Nothing it decides can take a live pod's address: it reads pools, then reservations, then pods, so an allocation
/// made after its pool snapshot is not in it and a pod alive at that snapshot is in the pod list unless it was deleted
/// since; and every write is a compare-and-swap that only removes entries still identical to those decided on.
/// </summary>
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
    private readonly PoolReleaser _releaser;

    public ReconcilePass(WhereaboutsClient client, ClusterApi cluster, ReconcileSettings settings, TimeProvider time, ILogger logger, IReconcileReport? report)
    {
        _client = client;
        _cluster = cluster;
        _settings = settings;
        _time = time;
        _logger = logger;
        _report = report;
        _releaser = new PoolReleaser(client, settings.Retry, time, logger);
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

        foreach (var reason in reasons.Values)
        {
            summary.Leak(reason, 1, 0);
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

        var outcome = await _releaser.ReleaseAsync(@namespace, snapshot, chosen, cancellationToken);
        foreach (var (offset, allocation) in outcome.Released.OrderBy(static r => r.Key))
        {
            var address = PoolPlanner.AddressOf(snapshot.Base, offset);
            _report?.Allocation(@namespace, name, address, allocation, reasons[offset]);
            LogReleased(_logger, address, allocation.PodRef, allocation.IfName, allocation.ContainerId, @namespace, name, reasons[offset]);
            summary.Released++;
            summary.Leak(reasons[offset], 0, 1);
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
            fresh = await _settings.Retry.RunAsync(ct => _client.ListPoolsAsync(_settings.Namespace, ct), _time, cancellationToken);
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

            var reason = await KeepReasonAsync(@namespace, reservation, index, pods, now, cancellationToken);
            if (reason is not null)
            {
                summary.KeepReservation(reason);
                continue;
            }

            summary.Leak(Metrics.LeakReason.ReservationUnused, 1, 0);

            if (_settings.DryRun)
            {
                _report?.Reservation(@namespace, reservation.Name, reservation.PodRef);
                summary.ReservationsReleased++;
                continue;
            }

            try
            {
                if (await _settings.Retry.RunAsync(ct => _client.DeleteReservationAsync(@namespace, reservation, ct), _time, cancellationToken))
                {
                    _report?.Reservation(@namespace, reservation.Name, reservation.PodRef);
                    LogReservationReleased(_logger, @namespace, reservation.Name, reservation.PodRef);
                    summary.ReservationsReleased++;
                    summary.Leak(Metrics.LeakReason.ReservationUnused, 0, 1);
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

        // An ADD creates its reservation before it writes the pool, and may take up to its 90 s deadline to do so.
        if (reservation.CreatedAt is not { } created || now - created < _settings.ReservationGrace)
        {
            return "young";
        }

        // A live pod of that name may be re-using the reservation for a new incarnation (a StatefulSet pod whose ADD
        // found it already its own); asked again right before the delete, since it may be newer than the pod list.
        if (!PodRef.TryParse(reservation.PodRef, out var podRef))
        {
            return null;
        }

        if (pods.Find(podRef) is { HoldsAddresses: true })
        {
            return "pod-alive";
        }

        if (_settings.DryRun)
        {
            return null;
        }

        try
        {
            var pod = await _settings.Retry.RunAsync(ct => _client.GetPodAsync(podRef.Namespace, podRef.Name, ct), _time, cancellationToken);
            return pod is not null && PodFacts.From(pod).HoldsAddresses ? "pod-alive" : null;
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
