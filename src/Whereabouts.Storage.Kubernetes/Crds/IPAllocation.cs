using System.Text.Json.Serialization;

namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>One allocation of an <see cref="IPPool"/>. Upstream v0.9.4 omits <c>ifname</c> when empty; we always write it.</summary>
public sealed class IPAllocation
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("podref")]
    public string? PodRef { get; set; }

    [JsonPropertyName("ifname")]
    public string? IfName { get; set; }
}
