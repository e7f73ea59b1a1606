using System.Text.Json.Nodes;

namespace Whereabouts.Storage.Kubernetes.Tests.Support;

/// <summary>Reading stored objects in assertions.</summary>
internal static class Json
{
    public static JsonObject Allocations(JsonObject? pool) =>
        pool?["spec"]?["allocations"] as JsonObject ?? throw new Xunit.Sdk.XunitException("pool has no spec.allocations: " + pool?.ToJsonString());

    public static string ResourceVersion(JsonObject obj) => (string)obj["metadata"]!["resourceVersion"]!;

    public static string Uid(JsonObject obj) => (string)obj["metadata"]!["uid"]!;
}
