using System.Text.Json.Serialization;

namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>An IPPool: the allocations of one range, keyed by decimal offset from the range's address.</summary>
public sealed class IPPool() : WhereaboutsObject(KindName)
{
    public const string KindName = "IPPool";

    [JsonPropertyName("spec")]
    public IPPoolSpec? Spec { get; set; }
}
