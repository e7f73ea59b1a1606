using System.Text.Json;

namespace Whereabouts.Controller.Kube;

/// <summary>
/// One NetworkAttachmentDefinition as listed: where it is, its uid (for owner references) and its <c>spec.config</c>
/// (empty when it has none).
/// </summary>
internal sealed record NetworkDefinition(string Namespace, string Name, string Uid, string Config)
{
    /// <summary>The version it was read at, where known: a watch resumes from it.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Reads one item of a list; null when it has no name or namespace.</summary>
    public static NetworkDefinition? From(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object
            || !item.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object
            || Text(metadata, "name") is not { Length: > 0 } name
            || Text(metadata, "namespace") is not { Length: > 0 } @namespace)
        {
            return null;
        }

        var config = item.TryGetProperty("spec", out var spec) && spec.ValueKind == JsonValueKind.Object ? Text(spec, "config") : null;
        return new NetworkDefinition(@namespace, name, Text(metadata, "uid") ?? string.Empty, config ?? string.Empty)
        {
            ResourceVersion = Text(metadata, "resourceVersion"),
        };
    }

    public override string ToString() => Namespace + "/" + Name;

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
