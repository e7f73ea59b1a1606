using System.Text.Json.Serialization;

namespace Whereabouts.Controller.IpamVerbs;

/// <summary><c>ipam show -o json</c>: <c>{"pools":[…]}</c>.</summary>
internal sealed record ShowDocument([property: JsonPropertyName("pools")] IReadOnlyList<PoolDocument> Pools);

/// <summary>One pool of <c>ipam show -o json</c>; <c>allocations</c> only with <c>--ips</c>.</summary>
internal sealed record PoolDocument(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("range")] string Range,
    [property: JsonPropertyName("allocated")] int Allocated,
    [property: JsonPropertyName("free")] UInt128 Free,
    [property: JsonPropertyName("allocations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<AllocationDocument>? Allocations);

/// <summary>One allocation of <c>ipam show --ips -o json</c>.</summary>
internal sealed record AllocationDocument(
    [property: JsonPropertyName("ip")] string? Ip,
    [property: JsonPropertyName("podRef")] string PodRef,
    [property: JsonPropertyName("ifName")] string IfName,
    [property: JsonPropertyName("containerId")] string ContainerId);

/// <summary><c>ipam check -o json</c>: <c>{"problems":[{"kind","ip","podRef","pool","detail"}]}</c>.</summary>
internal sealed record CheckDocument([property: JsonPropertyName("problems")] IReadOnlyList<ProblemDocument> Problems);

/// <summary>One problem of <c>ipam check -o json</c>; absent values are null.</summary>
internal sealed record ProblemDocument(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("ip")] string? Ip,
    [property: JsonPropertyName("podRef")] string? PodRef,
    [property: JsonPropertyName("pool")] string? Pool,
    [property: JsonPropertyName("detail")] string Detail);

/// <summary><c>ipam release -o json</c>: <c>{"released":[…]}</c>, empty when another writer released the address first.</summary>
internal sealed record ReleaseResultDocument([property: JsonPropertyName("released")] IReadOnlyList<ReleaseDocument> Released);

/// <summary>One pool entry <c>ipam release</c> removed, and the reservation it deleted (null when none).</summary>
internal sealed record ReleaseDocument(
    [property: JsonPropertyName("ip")] string Ip,
    [property: JsonPropertyName("podRef")] string PodRef,
    [property: JsonPropertyName("ifName")] string IfName,
    [property: JsonPropertyName("containerId")] string ContainerId,
    [property: JsonPropertyName("pool")] string Pool,
    [property: JsonPropertyName("reservation")] string? Reservation);

/// <summary>Source-generated serialization of the <c>ipam</c> documents (no reflection in the NativeAOT binary).</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ShowDocument))]
[JsonSerializable(typeof(CheckDocument))]
[JsonSerializable(typeof(ReleaseResultDocument))]
internal sealed partial class IpamJsonContext : JsonSerializerContext;
