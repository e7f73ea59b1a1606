using System.Text.Json.Serialization;

namespace Whereabouts.Controller.IpamVerbs;

/// <summary>Source-generated serialization of the <c>ipam</c> documents (no reflection in the NativeAOT binary).</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ShowDocument))]
[JsonSerializable(typeof(CheckDocument))]
[JsonSerializable(typeof(ReleaseResultDocument))]
internal sealed partial class IpamJsonContext : JsonSerializerContext;
