using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whereabouts.Testing.KubeApi.Json;
using Whereabouts.Testing.KubeApi.Resources;
using Whereabouts.Testing.KubeApi.Status;

namespace Whereabouts.Testing.KubeApi.Metadata;

/// <summary>
/// Reads, normalizes and validates <c>metadata</c> as kube-apiserver's ObjectMeta decoding and
/// validation (ValidateObjectMeta, ValidateObjectMetaUpdate, BeforeCreate, BeforeUpdate) do.
/// </summary>
internal static class ObjectMeta
{
    /// <summary>TotalAnnotationSizeLimitB.</summary>
    public const int MaxAnnotationBytes = 256 * 1024;

    private const string GeneratedNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    private const int GeneratedNameRandomLength = 5;
    private const int MaxGenerateNamePrefix = 63 - GeneratedNameRandomLength;

    private enum MetaType
    {
        String,
        Integer,
        StringMap,
        ObjectArray,
        StringArray,
    }

    private static readonly Dictionary<string, MetaType> KnownFields = new(StringComparer.Ordinal)
    {
        ["name"] = MetaType.String,
        ["generateName"] = MetaType.String,
        ["namespace"] = MetaType.String,
        ["selfLink"] = MetaType.String,
        ["uid"] = MetaType.String,
        ["resourceVersion"] = MetaType.String,
        ["generation"] = MetaType.Integer,
        ["creationTimestamp"] = MetaType.String,
        ["deletionTimestamp"] = MetaType.String,
        ["deletionGracePeriodSeconds"] = MetaType.Integer,
        ["labels"] = MetaType.StringMap,
        ["annotations"] = MetaType.StringMap,
        ["ownerReferences"] = MetaType.ObjectArray,
        ["finalizers"] = MetaType.StringArray,
        ["managedFields"] = MetaType.ObjectArray,
    };

    /// <summary>
    /// Makes <c>metadata</c> an ObjectMeta: unknown members dropped, nulls treated as absent, and a
    /// 400 (as a failed decode is) when a known member has the wrong JSON type.
    /// </summary>
    public static JsonObject Normalize(JsonObject body, ResourceDefinition resource, List<string>? dropped = null)
    {
        if (!body.TryGetPropertyValue("metadata", out var node) || node is null)
        {
            var created = new JsonObject();
            body["metadata"] = created;
            return created;
        }

        if (node is not JsonObject metadata)
        {
            throw DecodeError(resource, $"json: cannot unmarshal {GoJsonType(node)} into Go struct field .metadata of type v1.ObjectMeta");
        }

        foreach (var (key, value) in metadata.ToList())
        {
            if (!KnownFields.TryGetValue(key, out var type))
            {
                metadata.Remove(key);
                dropped?.Add($"metadata.{key}");
                continue;
            }

            if (value is null)
            {
                metadata.Remove(key);
                continue;
            }

            var goType = type switch
            {
                MetaType.String when value.GetValueKind() != JsonValueKind.String => "string",
                MetaType.Integer when !IsInteger(value) => "int64",
                MetaType.StringMap when !IsStringMap(value) => "map[string]string",
                MetaType.ObjectArray when value is not JsonArray array || array.Any(i => i is not JsonObject) => "[]object",
                MetaType.StringArray when value is not JsonArray array || array.Any(i => i?.GetValueKind() != JsonValueKind.String) => "[]string",
                _ => null,
            };
            if (goType is not null)
            {
                throw DecodeError(resource, $"json: cannot unmarshal {GoJsonType(value)} into Go struct field ObjectMeta.metadata.{key} of type {goType}");
            }
        }

        return metadata;
    }

    public static string GetString(JsonObject metadata, string name) =>
        metadata[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";

    public static IReadOnlyDictionary<string, string> GetMap(JsonObject metadata, string name) =>
        metadata[name] is JsonObject map
            ? map.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    public static long? GetInteger(JsonObject metadata, string name) =>
        metadata[name] is JsonValue value && value.TryGetValue<long>(out var number) ? number
        : metadata[name] is JsonValue element && element.TryGetValue<JsonElement>(out var raw) && raw.TryGetInt64(out var parsed) ? parsed
        : null;

    public static string FormatTimestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>BeforeCreate: system fields set by the server, a generated name, and the generation of custom resources.</summary>
    public static void PrepareForCreate(JsonObject metadata, ResourceDefinition resource, DateTimeOffset now)
    {
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        metadata.Remove("selfLink");
        var generateName = GetString(metadata, "generateName");
        if (GetString(metadata, "name").Length == 0 && generateName.Length > 0)
        {
            metadata["name"] = GenerateName(generateName);
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = FormatTimestamp(now);
        if (resource.IsCustomResource)
        {
            metadata["generation"] = 1;
        }
    }

    /// <summary>A name from a generateName prefix, as names.SimpleNameGenerator makes it.</summary>
    public static string GenerateName(string prefix)
    {
        if (prefix.Length > MaxGenerateNamePrefix)
        {
            prefix = prefix[..MaxGenerateNamePrefix];
        }

        Span<char> suffix = stackalloc char[GeneratedNameRandomLength];
        for (var i = 0; i < suffix.Length; i++)
        {
            suffix[i] = GeneratedNameAlphabet[Random.Shared.Next(GeneratedNameAlphabet.Length)];
        }

        return prefix + new string(suffix);
    }

    /// <summary>
    /// BeforeUpdate: the generation and system fields come from the stored object; a custom
    /// resource's generation moves on when anything outside metadata changed.
    /// </summary>
    public static void PrepareForUpdate(JsonObject updated, JsonObject current, ResourceDefinition resource)
    {
        var metadata = (JsonObject)updated["metadata"]!;
        var old = (JsonObject)current["metadata"]!;
        var generation = GetInteger(old, "generation");
        if (resource.IsCustomResource && generation is not null && !SameContentOutsideMetadata(updated, current))
        {
            generation++;
        }

        SetOrRemove(metadata, "generation", generation is null ? null : JsonValue.Create(generation.Value));
        if (GetString(metadata, "uid").Length == 0)
        {
            metadata["uid"] = GetString(old, "uid");
        }

        metadata["creationTimestamp"] = GetString(old, "creationTimestamp");
        if (old["deletionTimestamp"] is not null)
        {
            metadata["deletionTimestamp"] = old["deletionTimestamp"]!.DeepClone();
        }

        if (old["deletionGracePeriodSeconds"] is not null && metadata["deletionGracePeriodSeconds"] is null)
        {
            metadata["deletionGracePeriodSeconds"] = old["deletionGracePeriodSeconds"]!.DeepClone();
        }

        metadata.Remove("selfLink");
    }

    /// <summary>ValidateObjectMeta for a new object.</summary>
    public static List<FieldError> ValidateCreate(JsonObject metadata, ResourceDefinition resource)
    {
        var errors = new List<FieldError>();
        var generateName = GetString(metadata, "generateName");
        if (generateName.Length > 0)
        {
            errors.AddRange(NameRules.ObjectName(generateName, prefix: true, resource.NameIsDnsLabel)
                .Select(m => FieldError.Invalid("metadata.generateName", generateName, m)));
        }

        var name = GetString(metadata, "name");
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else
        {
            errors.AddRange(NameRules.ObjectName(name, prefix: false, resource.NameIsDnsLabel)
                .Select(m => FieldError.Invalid("metadata.name", name, m)));
        }

        if (resource.Namespaced)
        {
            var namespaceName = GetString(metadata, "namespace");
            if (namespaceName.Length == 0)
            {
                errors.Add(FieldError.Required("metadata.namespace"));
            }
            else
            {
                errors.AddRange(NameRules.DnsLabel(namespaceName).Select(m => FieldError.Invalid("metadata.namespace", namespaceName, m)));
            }
        }

        if (GetInteger(metadata, "generation") is < 0 and var negative)
        {
            errors.Add(FieldError.InvalidRaw("metadata.generation", negative.ToString(CultureInfo.InvariantCulture),
                "must be greater than or equal to 0"));
        }

        errors.AddRange(ValidateLabelsAndAnnotations(metadata));
        return errors;
    }

    /// <summary>ValidateObjectMetaUpdate: identity fields are immutable, labels and annotations are checked again.</summary>
    public static List<FieldError> ValidateUpdate(JsonObject metadata, JsonObject old)
    {
        var errors = new List<FieldError>();
        foreach (var field in (string[])["name", "namespace", "uid", "creationTimestamp", "deletionTimestamp"])
        {
            var value = GetString(metadata, field);
            if (value != GetString(old, field))
            {
                errors.Add(FieldError.Invalid($"metadata.{field}", value, "field is immutable"));
            }
        }

        errors.AddRange(ValidateLabelsAndAnnotations(metadata));
        return errors;
    }

    private static IEnumerable<FieldError> ValidateLabelsAndAnnotations(JsonObject metadata)
    {
        foreach (var (key, value) in GetMap(metadata, "labels"))
        {
            foreach (var message in NameRules.QualifiedName(key))
            {
                yield return FieldError.Invalid("metadata.labels", key, message);
            }

            foreach (var message in NameRules.LabelValue(value))
            {
                yield return FieldError.Invalid("metadata.labels", value, message);
            }
        }

        var annotations = GetMap(metadata, "annotations");
        foreach (var key in annotations.Keys)
        {
            foreach (var message in NameRules.QualifiedName(key.ToLowerInvariant()))
            {
                yield return FieldError.Invalid("metadata.annotations", key, message);
            }
        }

        if (annotations.Sum(p => (long)p.Key.Length + p.Value.Length) > MaxAnnotationBytes)
        {
            yield return FieldError.TooLong("metadata.annotations", MaxAnnotationBytes);
        }
    }

    private static bool SameContentOutsideMetadata(JsonObject left, JsonObject right)
    {
        var leftKeys = left.Where(p => p.Key != "metadata").Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var rightKeys = right.Where(p => p.Key != "metadata").Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        return leftKeys.SetEquals(rightKeys) && leftKeys.All(k => CanonicalJson.SameDocument(left[k], right[k]));
    }

    private static void SetOrRemove(JsonObject metadata, string name, JsonNode? value)
    {
        if (value is null)
        {
            metadata.Remove(name);
        }
        else
        {
            metadata[name] = value;
        }
    }

    private static KubeStatusException DecodeError(ResourceDefinition resource, string detail) =>
        ApiErrors.BadRequest($"{resource.Kind} in version {FieldError.GoQuote(resource.Version)} cannot be handled as a {resource.Kind}: {detail}");

    private static bool IsInteger(JsonNode node) => SchemaValidator.TypeName(node) == "integer";

    private static bool IsStringMap(JsonNode node) =>
        node is JsonObject map && map.All(p => p.Value is null || p.Value.GetValueKind() == JsonValueKind.String);

    private static string GoJsonType(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "null",
    };
}
