using System.Text.Json.Serialization;

namespace Whereabouts.Controller.IpamVerbs;

/// <summary>One problem of <c>ipam check -o json</c>; absent values are null.</summary>
internal sealed record ProblemDocument(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("ip")] string? Ip,
    [property: JsonPropertyName("podRef")] string? PodRef,
    [property: JsonPropertyName("pool")] string? Pool,
    [property: JsonPropertyName("detail")] string Detail);
