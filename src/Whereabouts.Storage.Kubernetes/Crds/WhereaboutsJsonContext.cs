using System.Text.Json;
using System.Text.Json.Serialization;

namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>Source-generated JSON metadata for the CRD types: under NativeAOT the client has no reflection fallback.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IPPool))]
[JsonSerializable(typeof(IPPoolList))]
[JsonSerializable(typeof(OverlappingRangeIPReservation))]
[JsonSerializable(typeof(OverlappingRangeIPReservationList))]
[JsonSerializable(typeof(NodeSlicePool))]
[JsonSerializable(typeof(NodeSlicePoolList))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(k8s.Models.V1Status))]
[JsonSerializable(typeof(PodPlacement))]
internal sealed partial class WhereaboutsJsonContext : JsonSerializerContext;
