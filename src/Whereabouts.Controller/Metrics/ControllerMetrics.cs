using Prometheus;
using Whereabouts.Controller.Inventory;

namespace Whereabouts.Controller.Metrics;

/// <summary>
/// The node controller's metrics, in a registry of their own (no process or runtime collectors): pool usage (published
/// only by the replica holding the pool-metrics Lease), leaks and address garbage collection, reconcile passes, the
/// release queue, and the <see cref="Ipam.IpamMetrics"/> meter. Every metric is described in this folder's README.md.
/// </summary>
internal sealed class ControllerMetrics : IDisposable
{
    public const string TriggerPodDeleted = "pod-deleted";
    public const string TriggerReconcile = "reconcile";

    private static readonly string[] PoolLabels = ["namespace", "pool", "range"];
    private static readonly string[] UsageLabels = ["pool", "namespace"];

    private readonly Lock _poolGate = new();
    private readonly Gauge _inUse;
    private readonly Gauge _size;
    private readonly Gauge _free;
    private readonly Gauge _usage;
    private readonly Counter _leaksFound;
    private readonly Counter _leaksReleased;
    private readonly Counter _collected;
    private readonly Counter _collectionFailures;
    private readonly Histogram _reconcileDuration;
    private readonly Counter _reconcileRuns;
    private readonly Gauge _queueLength;
    private readonly IpamMeterBridge _ipam;
    private HashSet<(string Namespace, string Pool, string Range)> _pools = [];

    public ControllerMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _inUse = factory.CreateGauge("whereabouts_ipam_allocations_in_use", "Allocations in the IPPool.", PoolLabels);
        _size = factory.CreateGauge("whereabouts_ipam_ippool_size", "Addresses the IPPool's window can hand out (range_start..range_end less excludes and the gateway).", PoolLabels);
        _free = factory.CreateGauge("whereabouts_allocations_free", "Addresses of the IPPool's window that are not allocated.", UsageLabels);
        _usage = factory.CreateGauge("whereabouts_pool_usage_ratio", "Allocated share of the IPPool's window, 0 to 1.", UsageLabels);
        _leaksFound = factory.CreateCounter("whereabouts_leaks_found_total", "Allocations and reservations found leaked, by reason.", "reason");
        _leaksReleased = factory.CreateCounter("whereabouts_leaks_released_total", "Leaked allocations and reservations released, by reason.", "reason");
        _collected = factory.CreateCounter("whereabouts_ip_gc_counts", "Allocations and reservations released by garbage collection.", "trigger", "object");
        _collectionFailures = factory.CreateCounter("whereabouts_ip_gc_failure_counts", "Garbage collections that left addresses behind.", "trigger");
        _reconcileDuration = factory.CreateHistogram(
            "whereabouts_reconcile_duration_seconds",
            "Duration of scheduled reconcile passes.",
            new HistogramConfiguration { Buckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });
        _reconcileRuns = factory.CreateCounter("whereabouts_reconcile_counts", "Scheduled reconcile passes run by this replica, by result.", "result");
        _queueLength = factory.CreateGauge("whereabouts_pod_release_queue_length", "Deleted pods waiting for their addresses to be released.");
        foreach (var trigger in new[] { TriggerPodDeleted, TriggerReconcile })
        {
            _collected.WithLabels(trigger, "allocation");
            _collected.WithLabels(trigger, "reservation");
            _collectionFailures.WithLabels(trigger);
        }

        foreach (var result in ReconcileResults)
        {
            _reconcileRuns.WithLabels(result);
        }

        foreach (var reason in LeakReasons)
        {
            _leaksFound.WithLabels(reason);
            _leaksReleased.WithLabels(reason);
        }

        _ipam = new IpamMeterBridge(Registry);
        NodeSlices = new NodeSlices.NodeSliceMetrics(Registry);
    }

    /// <summary>The slice controller's gauges (set only by the replica holding its Lease).</summary>
    public NodeSlices.NodeSliceMetrics NodeSlices { get; }

    /// <summary>The results <c>whereabouts_reconcile_counts</c> counts.</summary>
    public static IReadOnlyList<string> ReconcileResults { get; } = ["success", "partial", "failed"];

    /// <summary>The reasons the leak counters count, published at zero from the start.</summary>
    public static IReadOnlyList<string> LeakReasons { get; } =
    [
        LeakReason.PodGone, LeakReason.PodSucceeded, LeakReason.PodFailed, LeakReason.PodDeleted, LeakReason.ReservationUnused,
    ];

    public CollectorRegistry Registry { get; }

    /// <summary>Counts leaks found and released for <paramref name="reason"/> (see <see cref="LeakReason"/>).</summary>
    public void RecordLeaks(string reason, int found, int released)
    {
        _leaksFound.WithLabels(reason).Inc(found);
        _leaksReleased.WithLabels(reason).Inc(released);
    }

    public void RecordCollected(string trigger, int allocations, int reservations)
    {
        _collected.WithLabels(trigger, "allocation").Inc(allocations);
        _collected.WithLabels(trigger, "reservation").Inc(reservations);
    }

    public void RecordCollectionFailure(string trigger) => _collectionFailures.WithLabels(trigger).Inc();

    public void RecordReconcile(string result, TimeSpan duration)
    {
        _reconcileRuns.WithLabels(result).Inc();
        _reconcileDuration.Observe(duration.TotalSeconds);
    }

    public void SetQueueLength(int length) => _queueLength.Set(length);

    /// <summary>Replaces the pool gauges with <paramref name="pools"/>; pools that are gone lose their series.</summary>
    public void SetPools(IEnumerable<PoolUsage> pools)
    {
        ArgumentNullException.ThrowIfNull(pools);
        lock (_poolGate)
        {
            var seen = new HashSet<(string, string, string)>();
            foreach (var pool in pools)
            {
                var range = pool.Range.ToString();
                seen.Add((pool.Namespace, pool.Name, range));
                _inUse.WithLabels(pool.Namespace, pool.Name, range).Set(pool.Allocated);
                _size.WithLabels(pool.Namespace, pool.Name, range).Set((double)pool.Capacity);
                _free.WithLabels(pool.Name, pool.Namespace).Set((double)pool.Free);
                _usage.WithLabels(pool.Name, pool.Namespace).Set(pool.UsageRatio);
            }

            foreach (var (@namespace, pool, range) in _pools.Where(p => !seen.Contains(p)))
            {
                _inUse.RemoveLabelled(@namespace, pool, range);
                _size.RemoveLabelled(@namespace, pool, range);
                if (!seen.Any(p => p.Item1 == @namespace && p.Item2 == pool))
                {
                    _free.RemoveLabelled(pool, @namespace);
                    _usage.RemoveLabelled(pool, @namespace);
                }
            }

            _pools = seen;
        }
    }

    public Task ExportAsync(Stream destination, CancellationToken cancellationToken) =>
        Registry.CollectAndExportAsTextAsync(destination, cancellationToken);

    public void Dispose() => _ipam.Dispose();
}
