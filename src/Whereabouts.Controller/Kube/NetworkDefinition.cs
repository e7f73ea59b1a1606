using System.Text.Json;

namespace Whereabouts.Controller.Kube;

/// <summary>A NetworkAttachmentDefinition as listed: where it is, its uid (for owner references) and its CNI configuration.</summary>
internal sealed record NetworkDefinition(string Namespace, string Name, string Uid, string Config)
{
    public override string ToString() => $"{Namespace}/{Name}";

    public static NetworkDefinition? From(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var config = item.TryGetProperty("spec", out var spec) && spec.ValueKind == JsonValueKind.Object
            && spec.TryGetProperty("config", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() ?? string.Empty : string.Empty;
        return new NetworkDefinition(Text(metadata, "namespace"), Text(metadata, "name"), Text(metadata, "uid"), config);
    }

    private static string Text(JsonElement metadata, string key) =>
        metadata.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : string.Empty;
}
