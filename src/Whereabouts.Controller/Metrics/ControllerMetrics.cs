using Prometheus;

namespace Whereabouts.Controller.Metrics;

/// <summary>
/// The node controller's metrics, in a registry of their own (no process or runtime collectors): pool usage, address
/// garbage collection, reconcile passes, the release queue, and the <see cref="Ipam.IpamMetrics"/> meter. Every
/// metric is described in this folder's README.md.
/// </summary>
internal sealed class ControllerMetrics : IDisposable
{
    public const string TriggerPodDeleted = "pod-deleted";
    public const string TriggerReconcile = "reconcile";

    private static readonly string[] PoolLabels = ["namespace", "pool", "range"];

    private readonly Lock _poolGate = new();
    private readonly Gauge _inUse;
    private readonly Gauge _free;
    private readonly Gauge _size;
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
        _free = factory.CreateGauge("whereabouts_ipam_allocations_free", "Usable addresses of the IPPool's range that are not allocated.", PoolLabels);
        _size = factory.CreateGauge("whereabouts_ipam_ippool_size", "Usable addresses of the IPPool's range (all but the network and the all-ones address).", PoolLabels);
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

        _ipam = new IpamMeterBridge(Registry);
        NodeSlices = new NodeSlices.NodeSliceMetrics(Registry);
    }

    /// <summary>The slice controller's gauges (set only by the replica holding its Lease).</summary>
    public NodeSlices.NodeSliceMetrics NodeSlices { get; }

    /// <summary>The results <c>whereabouts_reconcile_counts</c> counts.</summary>
    public static IReadOnlyList<string> ReconcileResults { get; } = ["success", "partial", "failed"];

    public CollectorRegistry Registry { get; }

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
                seen.Add((pool.Namespace, pool.Pool, pool.Range));
                _inUse.WithLabels(pool.Namespace, pool.Pool, pool.Range).Set(pool.InUse);
                _free.WithLabels(pool.Namespace, pool.Pool, pool.Range).Set(pool.Free);
                _size.WithLabels(pool.Namespace, pool.Pool, pool.Range).Set(pool.Size);
            }

            foreach (var (@namespace, pool, range) in _pools.Where(p => !seen.Contains(p)))
            {
                _inUse.RemoveLabelled(@namespace, pool, range);
                _free.RemoveLabelled(@namespace, pool, range);
                _size.RemoveLabelled(@namespace, pool, range);
            }

            _pools = seen;
        }
    }

    public Task ExportAsync(Stream destination, CancellationToken cancellationToken) =>
        Registry.CollectAndExportAsTextAsync(destination, cancellationToken);

    public void Dispose() => _ipam.Dispose();
}
