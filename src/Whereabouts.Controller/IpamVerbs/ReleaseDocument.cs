using System.Text.Json.Serialization;

namespace Whereabouts.Controller.IpamVerbs;

/// <summary>One pool entry <c>ipam release</c> removed, and the reservation it deleted (null when none).</summary>
internal sealed record ReleaseDocument(
    [property: JsonPropertyName("ip")] string Ip,
    [property: JsonPropertyName("podRef")] string PodRef,
    [property: JsonPropertyName("ifName")] string IfName,
    [property: JsonPropertyName("containerId")] string ContainerId,
    [property: JsonPropertyName("pool")] string Pool,
    [property: JsonPropertyName("reservation")] string? Reservation);
