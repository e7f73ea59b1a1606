using System.Text.Json.Serialization;

namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>An IPPool: the allocations of one range, keyed by decimal offset from the range's address.</summary>
public sealed class IPPool() : WhereaboutsObject(KindName)
{
    public const string KindName = "IPPool";

    [JsonPropertyName("spec")]
    public IPPoolSpec? Spec { get; set; }

    /// <summary>
    /// Set instead of <see cref="IPPoolSpec.Allocations"/> on a pool that <see cref="PoolEventReader"/> read from a
    /// watch event: its allocations, already converted. Never serialized.
    /// </summary>
    [JsonIgnore]
    internal ReadAllocations? ReadAllocations { get; init; }
}
