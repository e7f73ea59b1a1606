using System.Text.Json.Nodes;

namespace Whereabouts.Testing.KubeApi.Resources;

/// <summary>A field a field selector may name, and how its string value is read from an object.</summary>
internal sealed record SelectableField(string Path, Func<JsonObject, string> Read)
{
    /// <summary>A field read as a string at a dotted path; absent reads as the empty string.</summary>
    public static SelectableField String(string path) => new(path, o => ReadPath(o, path) switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => "",
    });

    /// <summary>A boolean field rendered as "true"/"false" (absent is false), as kube-apiserver does.</summary>
    public static SelectableField Boolean(string path) => new(path, o => ReadPath(o, path) switch
    {
        JsonValue value when value.TryGetValue<bool>(out var flag) && flag => "true",
        _ => "false",
    });

    private static JsonNode? ReadPath(JsonObject root, string path)
    {
        JsonNode? node = root;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(part, out var child) ? child : null;
        }

        return node;
    }
}
