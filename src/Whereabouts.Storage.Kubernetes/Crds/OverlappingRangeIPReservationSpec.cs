using System.Text.Json.Serialization;

namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>
/// The spec of an <see cref="OverlappingRangeIPReservation"/>. Upstream v0.9.4 writes <c>podref</c> and <c>ifname</c>,
/// v0.5.x <c>containerid</c> and <c>podref</c>; we write all three.
/// </summary>
public sealed class OverlappingRangeIPReservationSpec
{
    [JsonPropertyName("containerid")]
    public string? ContainerId { get; set; }

    [JsonPropertyName("podref")]
    public string? PodRef { get; set; }

    [JsonPropertyName("ifname")]
    public string? IfName { get; set; }
}
