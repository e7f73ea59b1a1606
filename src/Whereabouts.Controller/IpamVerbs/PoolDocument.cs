using System.Text.Json.Serialization;

namespace Whereabouts.Controller.IpamVerbs;

/// <summary>One pool of <c>ipam show -o json</c>; <c>allocations</c> only with <c>--ips</c>.</summary>
internal sealed record PoolDocument(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("range")] string Range,
    [property: JsonPropertyName("allocated")] int Allocated,
    [property: JsonPropertyName("free")] UInt128 Free,
    [property: JsonPropertyName("allocations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<AllocationDocument>? Allocations);
