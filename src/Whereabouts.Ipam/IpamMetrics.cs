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

    /// <summary>The tag of <see cref="ApiErrors"/>: the HTTP status code, or what failed before one came back.</summary>
    public const string CodeTag = "code";

    /// <summary>
    /// Failed answers and requests to the datastore's API, by <see cref="CodeTag"/>: an HTTP status (<c>403</c>,
    /// <c>429</c>, <c>503</c>, …) or <c>timeout</c>, <c>unreachable</c>, <c>tls</c>. 404 and 409 are not counted: they are
    /// how a lookup finds nothing and how a compare-and-swap write loses a race, both part of normal operation.
    /// </summary>
    public static Counter<long> ApiErrors { get; } =
        Meter.CreateCounter<long>("whereabouts_api_errors_total", description: "Failed requests to the API server, by HTTP status or transport failure.");

    /// <summary>One ADD (all ranges of one request), successful or not.</summary>
    public static Histogram<double> AddDuration { get; } =
        Meter.CreateHistogram<double>("whereabouts_add_duration_seconds", unit: "s", description: "Duration of ADD: allocating every range of one request, successful or not.");

    /// <summary>One DEL (every range of one attachment), successful or not.</summary>
    public static Histogram<double> DelDuration { get; } =
        Meter.CreateHistogram<double>("whereabouts_del_duration_seconds", unit: "s", description: "Duration of DEL: releasing every range of one attachment, successful or not.");

    /// <summary>Counts one failed API request under <paramref name="code"/>.</summary>
    public static void RecordApiError(string code) => ApiErrors.Add(1, new KeyValuePair<string, object?>(CodeTag, code));

    public static Histogram<double> AllocationDuration { get; } =
        Meter.CreateHistogram<double>("whereabouts_ipam_allocation_duration_seconds", unit: "s", description: "Time to allocate all ranges of one request.");
}
