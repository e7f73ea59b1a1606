using System.Text.Json.Nodes;

namespace Whereabouts.Deploy.Tests;

/// <summary>One rendered Kubernetes object.</summary>
internal sealed record Manifest(JsonObject Object)
{
    public string ApiVersion => (string)Object["apiVersion"]!;

    public string Kind => (string)Object["kind"]!;

    public string Name => (string)Object["metadata"]!["name"]!;

    public string? Namespace => (string?)Object["metadata"]!["namespace"];

    public JsonNode Spec => Object["spec"]!;

    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}
