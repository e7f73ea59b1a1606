using System.Text.Json.Serialization;

namespace Whereabouts.Controller.IpamVerbs;

/// <summary><c>ipam show -o json</c>: <c>{"pools":[…]}</c>.</summary>
internal sealed record ShowDocument([property: JsonPropertyName("pools")] IReadOnlyList<PoolDocument> Pools);
