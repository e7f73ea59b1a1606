using System.Text.Json.Serialization;

namespace Whereabouts.Agent.Protocol;

/// <summary>Source-generated JSON of the message bodies (no reflection: the plugin is NativeAOT).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(AgentRequest))]
[JsonSerializable(typeof(AgentAnswer))]
internal sealed partial class AgentJsonContext : JsonSerializerContext;
