using System.Text.Json.Nodes;

namespace Whereabouts.Deploy.Tests;

/// <summary>
/// Options of a values schema: the dotted paths of its properties that have no sub-properties
/// (scalars and free-form objects or lists), with their schema.
/// </summary>
internal static class ValuesOptions
{
    /// <summary>The option names of the Tanzu package; the Carvel values file holds exactly these.</summary>
    public static readonly IReadOnlyList<string> SeedKeys =
    [
        "namespace",
        "whereabouts.config.resources.limits.cpu",
        "whereabouts.config.resources.limits.memory",
        "whereabouts.config.resources.requests.cpu",
        "whereabouts.config.resources.requests.memory",
        "ip_reconciler.config.schedule",
        "ip_reconciler.config.resources.requests.cpu",
        "ip_reconciler.config.resources.requests.memory",
    ];

    public static SortedDictionary<string, JsonObject> Options(JsonObject schema)
    {
        var result = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        Collect(schema, prefix: null, result);
        return result;
    }

    /// <summary>Dotted paths of every scalar, list and empty map in a values tree.</summary>
    public static SortedSet<string> LeafPaths(JsonNode? values, string? prefix = null)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        if (values is JsonObject map && map.Count > 0)
        {
            foreach (var (key, child) in map)
            {
                result.UnionWith(LeafPaths(child, prefix is null ? key : $"{prefix}.{key}"));
            }
        }
        else if (prefix is not null)
        {
            result.Add(prefix);
        }

        return result;
    }

    /// <summary>The documented option a values path falls under, or null if the schema does not know it.</summary>
    public static string? OptionFor(string valuesPath, IReadOnlyDictionary<string, JsonObject> options)
    {
        var segments = valuesPath.Split('.');
        for (var length = segments.Length; length > 0; length--)
        {
            var candidate = string.Join('.', segments[..length]);
            if (options.ContainsKey(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static JsonNode? At(JsonNode? values, string path)
    {
        foreach (var segment in path.Split('.'))
        {
            if (values is not JsonObject map || !map.TryGetPropertyValue(segment, out values))
            {
                return null;
            }
        }

        return values;
    }

    public static bool Has(JsonNode? values, string path)
    {
        var segments = path.Split('.');
        var parent = segments.Length == 1 ? values : At(values, string.Join('.', segments[..^1]));
        return parent is JsonObject map && map.ContainsKey(segments[^1]);
    }

    private static void Collect(JsonObject schema, string? prefix, SortedDictionary<string, JsonObject> result)
    {
        if (schema["properties"] is not JsonObject properties)
        {
            result.Add(prefix ?? string.Empty, schema);
            return;
        }

        foreach (var (name, child) in properties)
        {
            Collect(child!.AsObject(), prefix is null ? name : $"{prefix}.{name}", result);
        }
    }
}
