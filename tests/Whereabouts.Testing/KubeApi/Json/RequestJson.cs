using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whereabouts.Testing.KubeApi.Json;

/// <summary>
/// Parses request JSON the way Go's decoder treats it: a member given twice keeps its last value
/// (JsonObject would throw), and each repetition is reported so the server can warn or refuse.
/// </summary>
internal static class RequestJson
{
    public static JsonNode? Parse(ReadOnlySpan<byte> json, List<string> duplicates)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        return Convert(document.RootElement, "", duplicates);
    }

    private static JsonNode? Convert(JsonElement element, string path, List<string> duplicates)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    var childPath = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (obj.ContainsKey(property.Name))
                    {
                        duplicates.Add(childPath);
                    }

                    obj[property.Name] = Convert(property.Value, childPath, duplicates);
                }

                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    array.Add(Convert(item, $"{path}[{index++}]", duplicates));
                }

                return array;
            case JsonValueKind.Null:
                return null;
            default:
                return JsonValue.Create(element.Clone());
        }
    }
}
