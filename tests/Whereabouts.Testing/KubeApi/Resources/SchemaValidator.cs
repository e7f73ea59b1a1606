using System.Text.Json;
using System.Text.Json.Nodes;
using Whereabouts.Testing.KubeApi.Status;

namespace Whereabouts.Testing.KubeApi.Resources;

/// <summary>
/// Applies a structural schema as kube-apiserver does for custom resources: unknown fields are
/// pruned, nulls of non-nullable fields are dropped, then types and required fields are validated
/// with errors shaped like the apiextensions validator's (go-openapi paths, "in body must be of type").
/// </summary>
internal static class SchemaValidator
{
    /// <summary>Top-level members every object keeps regardless of the schema.</summary>
    private static readonly HashSet<string> AlwaysKept = new(StringComparer.Ordinal) { "apiVersion", "kind", "metadata" };

    /// <summary>Prunes in place; the paths of dropped unknown fields are added to <paramref name="pruned"/> (field.Path notation).</summary>
    public static void Prune(JsonObject root, StructuralSchema schema, List<string>? pruned = null) =>
        PruneObject(root, schema, "", pruned, isRoot: true);

    public static List<FieldError> Validate(JsonObject root, StructuralSchema schema)
    {
        var errors = new List<FieldError>();
        ValidateObject(root, schema, "", errors);
        return errors;
    }

    /// <summary>The JSON type name go-openapi reports for a value (integral numbers are "integer").</summary>
    internal static string TypeName(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => IsIntegral(node) ? "integer" : "number",
        _ => "null",
    };

    private static void PruneNode(JsonNode? node, StructuralSchema schema, string path, List<string>? pruned)
    {
        switch (node)
        {
            case JsonObject obj:
                PruneObject(obj, schema, path, pruned);
                break;
            case JsonArray array when schema.Items is not null:
                for (var i = 0; i < array.Count; i++)
                {
                    PruneNode(array[i], schema.Items, $"{path}[{i}]", pruned);
                }

                break;
        }
    }

    private static void PruneObject(JsonObject obj, StructuralSchema schema, string path, List<string>? pruned, bool isRoot = false)
    {
        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            if (isRoot && AlwaysKept.Contains(key))
            {
                continue;
            }

            var child = schema.AdditionalProperties ?? schema.Properties.GetValueOrDefault(key);
            var childPath = schema.AdditionalProperties is not null ? $"{path}[{key}]" : Join(path, key);
            if (child is null)
            {
                if (!schema.PreserveUnknownFields)
                {
                    obj.Remove(key);
                    pruned?.Add(childPath);
                }

                continue;
            }

            if (obj[key] is null && !child.Nullable)
            {
                obj.Remove(key);
                continue;
            }

            PruneNode(obj[key], child, childPath, pruned);
        }
    }

    private static void ValidateNode(JsonNode? node, StructuralSchema schema, string path, List<FieldError> errors)
    {
        var actual = TypeName(node);
        if (node is null && schema.Nullable)
        {
            return;
        }

        if (!TypeMatches(actual, schema))
        {
            var expected = schema.IntOrString ? "integer,string" : schema.Type;
            errors.Add(FieldError.TypeInvalid(path, actual, $"{path} in body must be of type {expected}: {FieldError.GoQuote(actual)}"));
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                ValidateObject(obj, schema, path, errors);
                break;
            case JsonArray array when schema.Items is not null:
                for (var i = 0; i < array.Count; i++)
                {
                    ValidateNode(array[i], schema.Items, $"{path}[{i}]", errors);
                }

                break;
        }
    }

    /// <summary>Required members, then map values, then declared properties; the root's metadata is ObjectMeta's business.</summary>
    private static void ValidateObject(JsonObject obj, StructuralSchema schema, string path, List<FieldError> errors)
    {
        foreach (var required in schema.Required)
        {
            if (!obj.ContainsKey(required))
            {
                errors.Add(FieldError.Required(Join(path, required)));
            }
        }

        if (schema.AdditionalProperties is not null)
        {
            foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                ValidateNode(value, schema.AdditionalProperties, Join(path, key), errors);
            }
        }

        foreach (var (name, child) in schema.Properties)
        {
            if ((path.Length > 0 || name != "metadata") && obj.TryGetPropertyValue(name, out var value))
            {
                ValidateNode(value, child, Join(path, name), errors);
            }
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static bool TypeMatches(string actual, StructuralSchema schema)
    {
        if (schema.IntOrString)
        {
            return actual is "integer" or "string";
        }

        return schema.Type switch
        {
            null => actual != "null" || schema.Nullable,
            "number" => actual is "number" or "integer",
            _ => schema.Type == actual,
        };
    }

    private static bool IsIntegral(JsonNode node) =>
        node.AsValue().TryGetValue<JsonElement>(out var element)
            ? element.TryGetInt64(out _)
            : node.AsValue().TryGetValue<long>(out _) || node.AsValue().TryGetValue<int>(out _);
}
