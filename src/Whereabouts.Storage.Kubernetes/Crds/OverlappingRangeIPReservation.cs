using System.Text.Json.Serialization;

namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>A cluster-wide reservation of one address; the object name encodes the address (and network name).</summary>
public sealed class OverlappingRangeIPReservation() : WhereaboutsObject(KindName)
{
    public const string KindName = "OverlappingRangeIPReservation";

    [JsonPropertyName("spec")]
    public OverlappingRangeIPReservationSpec? Spec { get; set; }
}
