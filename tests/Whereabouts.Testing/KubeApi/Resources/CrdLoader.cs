using System.Text.Json.Nodes;

namespace Whereabouts.Testing.KubeApi.Resources;

/// <summary>Turns the CustomResourceDefinition YAML files of a directory into served resources.</summary>
internal static class CrdLoader
{
    public static IReadOnlyList<ResourceDefinition> LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"CRD directory '{directory}' does not exist.");
        }

        var files = Directory.EnumerateFiles(directory, "*.yaml").Concat(Directory.EnumerateFiles(directory, "*.yml"));
        return [.. files.Order(StringComparer.Ordinal).SelectMany(f => Load(File.ReadAllText(f), f))];
    }

    public static IEnumerable<ResourceDefinition> Load(string yaml, string source)
    {
        foreach (var document in YamlJson.ReadDocuments(yaml))
        {
            if (document is JsonObject crd && (string?)crd["kind"] == "CustomResourceDefinition")
            {
                foreach (var definition in FromCrd(crd, source))
                {
                    yield return definition;
                }
            }
        }
    }

    private static IEnumerable<ResourceDefinition> FromCrd(JsonObject crd, string source)
    {
        var spec = crd["spec"] as JsonObject ?? throw new InvalidDataException($"{source}: CRD without spec.");
        var names = spec["names"] as JsonObject ?? throw new InvalidDataException($"{source}: CRD without spec.names.");
        var group = Required(spec, "group", source);
        var plural = Required(names, "plural", source);
        var kind = Required(names, "kind", source);
        var versions = spec["versions"] as JsonArray ?? throw new InvalidDataException($"{source}: CRD without spec.versions.");
        foreach (var version in versions.OfType<JsonObject>())
        {
            if (version["served"] is JsonValue served && served.TryGetValue<bool>(out var isServed) && !isServed)
            {
                continue;
            }

            var schema = version["schema"]?["openAPIV3Schema"] as JsonObject
                ?? throw new InvalidDataException($"{source}: version {(string?)version["name"]} has no openAPIV3Schema.");
            yield return new ResourceDefinition
            {
                Group = group,
                Version = Required(version, "name", source),
                Plural = plural,
                Singular = (string?)names["singular"] ?? kind.ToLowerInvariant(),
                Kind = kind,
                ListKind = (string?)names["listKind"] ?? kind + "List",
                Namespaced = (string?)spec["scope"] != "Cluster",
                IsCustomResource = true,
                Schema = StructuralSchema.Parse(schema),
                PrinterColumns = version["additionalPrinterColumns"] is JsonArray columns ? [.. columns.OfType<JsonObject>().Select(PrinterColumnOf)] : [],
                ShortNames = names["shortNames"] is JsonArray shortNames ? [.. shortNames.Select(n => (string)n!)] : [],
                Categories = names["categories"] is JsonArray categories ? [.. categories.Select(n => (string)n!)] : [],
                StoragePrefix = $"/registry/{group}/{plural}",
            };
        }
    }

    private static PrinterColumn PrinterColumnOf(JsonObject column) => new(
        (string?)column["name"] ?? "",
        (string?)column["type"] ?? "string",
        (string?)column["format"] ?? "",
        (string?)column["description"] ?? "",
        column["priority"] is JsonValue priority && priority.TryGetValue<long>(out var value) ? (int)value : 0,
        (string?)column["jsonPath"] ?? "");

    private static string Required(JsonObject node, string name, string source) =>
        (string?)node[name] ?? throw new InvalidDataException($"{source}: CRD field '{name}' is missing.");
}
