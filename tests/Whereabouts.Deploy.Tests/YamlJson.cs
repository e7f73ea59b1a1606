using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Whereabouts.Deploy.Tests;

/// <summary>
/// Reads YAML into <see cref="JsonNode"/> trees with Kubernetes' (YAML 1.2 core schema) scalar typing,
/// so rendered manifests, values files and JSON schemas compare as the same data.
/// </summary>
internal static class YamlJson
{
    public static IReadOnlyList<JsonObject> LoadObjects(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(d => ToJson(d.RootNode)).OfType<JsonObject>()];
    }

    public static JsonObject LoadFile(string path) =>
        LoadObjects(File.ReadAllText(path)) switch
        {
            [var single] => single,
            var documents => throw new InvalidDataException($"{path} holds {documents.Count} YAML objects, expected one."),
        };

    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ToObject(mapping),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar => ToValue(scalar),
        _ => throw new InvalidDataException($"Unexpected YAML node {node.NodeType}."),
    };

    private static JsonObject ToObject(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            var name = ((YamlScalarNode)key).Value ?? string.Empty;
            result.Add(name, ToJson(value));
        }

        return result;
    }

    private static JsonValue? ToValue(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) =>
                integer is >= int.MinValue and <= int.MaxValue ? JsonValue.Create((int)integer) : JsonValue.Create(integer),
            _ when IsFloat(text) => JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(text),
        };
    }

    private static bool IsFloat(string text) =>
        text.Any(char.IsDigit)
        && text.All(c => char.IsDigit(c) || c is '.' or '-' or '+' or 'e' or 'E')
        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
