using System.Text.Json.Serialization;

namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>A NodeSlicePool (experimental upstream "fast IPAM"): a range cut into per-node slices.</summary>
public sealed class NodeSlicePool() : WhereaboutsObject(KindName)
{
    public const string KindName = "NodeSlicePool";

    [JsonPropertyName("spec")]
    public NodeSlicePoolSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public NodeSlicePoolStatus? Status { get; set; }
}
