using System.Text.Json.Serialization;

namespace Whereabouts.Cni.Tests.Support;

/// <summary>Source-generated JSON for building test input (reflection-based serialization is off in this repo's style).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class TestJson : JsonSerializerContext;
