using System.Text.Json.Serialization;

namespace Whereabouts.Controller.IpamVerbs;

/// <summary><c>ipam release -o json</c>: <c>{"released":[…]}</c>, empty when another writer released the address first.</summary>
internal sealed record ReleaseResultDocument([property: JsonPropertyName("released")] IReadOnlyList<ReleaseDocument> Released);
