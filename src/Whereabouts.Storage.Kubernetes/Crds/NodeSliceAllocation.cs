using System.Text.Json.Serialization;

namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>One slice of a <see cref="NodeSlicePool"/>; an empty <see cref="NodeName"/> marks a free slice.</summary>
public sealed class NodeSliceAllocation
{
    [JsonPropertyName("nodeName")]
    public string? NodeName { get; set; }

    [JsonPropertyName("sliceRange")]
    public string? SliceRange { get; set; }
}
