using System.Text.Json.Serialization;

namespace Whereabouts.Controller.IpamVerbs;

/// <summary><c>ipam check -o json</c>: <c>{"problems":[{"kind","ip","podRef","pool","detail"}]}</c>.</summary>
internal sealed record CheckDocument([property: JsonPropertyName("problems")] IReadOnlyList<ProblemDocument> Problems);
