using System.Text.Json.Serialization;

namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>The spec of an <see cref="IPPool"/>.</summary>
public sealed class IPPoolSpec
{
    /// <summary>The range, e.g. <c>10.0.0.0/24</c>; offsets count from its address part.</summary>
    [JsonPropertyName("range")]
    public string? Range { get; set; }

    /// <summary>Allocations by decimal offset; absent in some hand-made objects.</summary>
    [JsonPropertyName("allocations")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2227:Collection properties should be read only", Justification = "Deserialized and written as a whole.")]
    public Dictionary<string, IPAllocation>? Allocations { get; set; }
}
