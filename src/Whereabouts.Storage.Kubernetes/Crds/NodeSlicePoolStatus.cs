using System.Text.Json.Serialization;

namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>The status of a <see cref="NodeSlicePool"/>: which node holds which slice.</summary>
public sealed class NodeSlicePoolStatus
{
    [JsonPropertyName("allocations")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2227:Collection properties should be read only", Justification = "Deserialized and written as a whole.")]
    public IList<NodeSliceAllocation>? Allocations { get; set; }
}
