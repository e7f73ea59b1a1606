using System.Text.Json.Nodes;

namespace Whereabouts.Testing.KubeApi.Resources;

/// <summary>
/// The part of a CRD's structural OpenAPI v3 schema that this server enforces: types, required
/// fields, nullability, properties, maps, arrays and x-kubernetes-preserve-unknown-fields. Other
/// keywords (patterns, lengths, enums, CEL rules) are ignored; the project's CRDs use none.
/// </summary>
internal sealed class StructuralSchema
{
    public string? Type { get; init; }

    public bool Nullable { get; init; }

    public bool PreserveUnknownFields { get; init; }

    public bool IntOrString { get; init; }

    public IReadOnlyDictionary<string, StructuralSchema> Properties { get; init; } = new Dictionary<string, StructuralSchema>();

    /// <summary>The schema of map values (<c>additionalProperties</c>), if any.</summary>
    public StructuralSchema? AdditionalProperties { get; init; }

    public StructuralSchema? Items { get; init; }

    public IReadOnlyList<string> Required { get; init; } = [];

    /// <summary>Reads a schema node (JSON converted from the CRD's YAML).</summary>
    public static StructuralSchema Parse(JsonObject node)
    {
        var properties = new Dictionary<string, StructuralSchema>(StringComparer.Ordinal);
        if (node["properties"] is JsonObject props)
        {
            foreach (var (name, child) in props)
            {
                if (child is JsonObject childSchema)
                {
                    properties[name] = Parse(childSchema);
                }
            }
        }

        return new StructuralSchema
        {
            Type = node["type"]?.GetValue<string>(),
            Nullable = Flag(node, "nullable"),
            PreserveUnknownFields = Flag(node, "x-kubernetes-preserve-unknown-fields"),
            IntOrString = Flag(node, "x-kubernetes-int-or-string"),
            Properties = properties,
            AdditionalProperties = node["additionalProperties"] is JsonObject additional ? Parse(additional) : null,
            Items = node["items"] is JsonObject items ? Parse(items) : null,
            Required = node["required"] is JsonArray required ? [.. required.Select(r => r!.GetValue<string>())] : [],
        };
    }

    private static bool Flag(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;
}
