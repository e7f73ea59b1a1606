using System.Text.Json.Serialization;

namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>The spec of a <see cref="NodeSlicePool"/>: the whole range and the slice size (e.g. <c>"/22"</c>).</summary>
public sealed class NodeSlicePoolSpec
{
    [JsonPropertyName("range")]
    public string? Range { get; set; }

    [JsonPropertyName("sliceSize")]
    public string? SliceSize { get; set; }
}
