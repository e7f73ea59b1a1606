using System.Diagnostics.Metrics;

namespace Whereabouts.Ipam;

/// <summary>
/// Activity counters of the allocation service, on a <see cref="Meter"/> so any exporter can publish them. Names
/// follow what users know from Spiderpool (<c>*_ipam_allocation_counts</c>, <c>*_update_ippool_conflict_counts</c>).
/// </summary>
public static class IpamMetrics
{
    public const string MeterName = "Whereabouts.Ipam";

    private static readonly Meter Meter = new(MeterName);

    public static Counter<long> Allocations { get; } =
        Meter.CreateCounter<long>("whereabouts_ipam_allocation_counts", description: "Addresses allocated (new or reused).");

    public static Counter<long> AllocationFailures { get; } =
        Meter.CreateCounter<long>("whereabouts_ipam_allocation_failure_counts", description: "Allocations that failed.");

    public static Counter<long> Conflicts { get; } =
        Meter.CreateCounter<long>("whereabouts_ipam_allocation_update_ippool_conflict_counts", description: "Pool writes rejected because the pool changed since it was read.");

    public static Counter<long> Retries { get; } =
        Meter.CreateCounter<long>("whereabouts_ipam_retry_counts", description: "Datastore operations retried after a conflict or a transient error.");

    public static Counter<long> Releases { get; } =
        Meter.CreateCounter<long>("whereabouts_ipam_release_counts", description: "Addresses released.");

    public static Counter<long> ReleaseFailures { get; } =
        Meter.CreateCounter<long>("whereabouts_ipam_release_failure_counts", description: "Releases that failed.");

    public static Histogram<double> AllocationDuration { get; } =
        Meter.CreateHistogram<double>("whereabouts_ipam_allocation_duration_seconds", unit: "s", description: "Time to allocate all ranges of one request.");
}
