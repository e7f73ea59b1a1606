using System.Text.Json.Serialization;

namespace Whereabouts.Controller.IpamVerbs;

/// <summary>One allocation of <c>ipam show --ips -o json</c>.</summary>
internal sealed record AllocationDocument(
    [property: JsonPropertyName("ip")] string? Ip,
    [property: JsonPropertyName("podRef")] string PodRef,
    [property: JsonPropertyName("ifName")] string IfName,
    [property: JsonPropertyName("containerId")] string ContainerId);
