using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whereabouts.Testing.KubeApi.Json;

/// <summary>
/// RFC 6902 JSON Patch with the semantics of evanphx/json-patch v4, the library kube-apiserver
/// applies patches with. Notably: a <c>test</c> of <c>null</c> passes when the member is absent
/// (but its parent must exist), negative array indices count from the end, and operations on the
/// document root fail.
/// </summary>
internal static class JsonPatch
{
    /// <summary>The most operations kube-apiserver accepts in one patch (maxJSONPatchOperations).</summary>
    public const int MaxOperations = 10000;

    /// <summary>Reads the patch document; a document that is not an array of objects is a decode error.</summary>
    public static IReadOnlyList<JsonObject> Decode(ReadOnlySpan<byte> body)
    {
        var node = JsonNode.Parse(body);
        if (node is not JsonArray array)
        {
            throw new JsonException($"json: cannot unmarshal {Describe(node)} into Go value of type jsonpatch.Patch");
        }

        return [.. array.Select(op => op as JsonObject ?? throw new JsonException(
            $"json: cannot unmarshal {Describe(op)} into Go value of type jsonpatch.Operation"))];
    }

    public static JsonNode Apply(JsonNode document, IReadOnlyList<JsonObject> operations)
    {
        var result = document.DeepClone();
        foreach (var operation in operations)
        {
            var op = (operation["op"] as JsonValue)?.TryGetValue<string>(out var text) == true ? text : "unknown";
            switch (op)
            {
                case "add":
                    Add(result, PathOf(operation, "path"), ValueOf(operation));
                    break;
                case "remove":
                    Remove(result, PathOf(operation, "path"));
                    break;
                case "replace":
                    Replace(result, PathOf(operation, "path"), ValueOf(operation));
                    break;
                case "move":
                    var from = PathOf(operation, "from");
                    var moved = Get(result, from, "move");
                    Remove(result, from);
                    Add(result, PathOf(operation, "path"), moved);
                    break;
                case "copy":
                    Add(result, PathOf(operation, "path"), Get(result, PathOf(operation, "from"), "copy")?.DeepClone());
                    break;
                case "test":
                    Test(result, PathOf(operation, "path"), operation);
                    break;
                default:
                    throw new JsonPatchException($"Unexpected kind: {op}");
            }
        }

        return result;
    }

    private static JsonPointer PathOf(JsonObject operation, string member)
    {
        if (operation[member] is JsonValue value && value.TryGetValue<string>(out var text))
        {
            return JsonPointer.Parse(text);
        }

        throw new JsonPatchException($"operation missing {member} field");
    }

    private static JsonNode? ValueOf(JsonObject operation) => operation["value"]?.DeepClone();

    private static JsonNode Container(JsonNode document, JsonPointer path, string op) =>
        path.IsRoot ? throw new JsonPatchException($"{op} operation does not apply: doc is missing path: \"{path.Text}\"")
        : path.FindParent(document) ?? throw new JsonPatchException($"{op} operation does not apply: doc is missing path: \"{path.Text}\"");

    private static void Add(JsonNode document, JsonPointer path, JsonNode? value)
    {
        switch (Container(document, path, "add"))
        {
            case JsonObject obj:
                obj[path.Last] = value;
                break;
            case JsonArray array when path.Last == "-":
                array.Add(value);
                break;
            case JsonArray array when JsonPointer.TryIndex(path.Last, array.Count + 1, out var index):
                array.Insert(index, value);
                break;
            default:
                throw new JsonPatchException($"Unable to access invalid index: {path.Last}");
        }
    }

    private static void Remove(JsonNode document, JsonPointer path)
    {
        switch (Container(document, path, "remove"))
        {
            case JsonObject obj when obj.ContainsKey(path.Last):
                obj.Remove(path.Last);
                break;
            case JsonArray array when JsonPointer.TryIndex(path.Last, array.Count, out var index):
                array.RemoveAt(index);
                break;
            default:
                throw new JsonPatchException($"Unable to remove nonexistent key: {path.Last}: missing value");
        }
    }

    private static void Replace(JsonNode document, JsonPointer path, JsonNode? value)
    {
        switch (Container(document, path, "replace"))
        {
            case JsonObject obj when obj.ContainsKey(path.Last):
                obj[path.Last] = value;
                break;
            case JsonArray array when JsonPointer.TryIndex(path.Last, array.Count, out var index):
                array[index] = value;
                break;
            default:
                throw new JsonPatchException($"replace operation does not apply: doc is missing key: {path.Text}: missing value");
        }
    }

    private static JsonNode? Get(JsonNode document, JsonPointer path, string op)
    {
        var found = false;
        var value = path.IsRoot ? null : path.Find(document, out found);
        return found && !path.IsRoot ? value : throw new JsonPatchException($"{op} operation does not apply: doc is missing from path: {path.Text}: missing value");
    }

    private static void Test(JsonNode document, JsonPointer path, JsonObject operation)
    {
        var container = Container(document, path, "test");
        var actual = container switch
        {
            JsonObject obj => obj[path.Last],
            JsonArray array when JsonPointer.TryIndex(path.Last, array.Count, out var index) => array[index],
            _ => throw new JsonPatchException($"error in test for path: '{path.Text}'"),
        };
        var expected = operation["value"];
        if (actual is null && expected is null)
        {
            return;
        }

        if (actual is null || expected is null || !JsonEquals(actual, expected))
        {
            throw new JsonPatchException($"testing value {path.Text} failed: test failed");
        }
    }

    private static bool JsonEquals(JsonNode? left, JsonNode? right) => (left, right) switch
    {
        (null, null) => true,
        (JsonObject l, JsonObject r) => l.Count == r.Count && l.All(p => r.TryGetPropertyValue(p.Key, out var other) && JsonEquals(p.Value, other)),
        (JsonArray l, JsonArray r) => l.Count == r.Count && l.Zip(r).All(pair => JsonEquals(pair.First, pair.Second)),
        (JsonValue l, JsonValue r) => l.GetValueKind() == r.GetValueKind() && ScalarText(l) == ScalarText(r),
        _ => false,
    };

    private static string ScalarText(JsonValue value) =>
        value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();

    private static string Describe(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Array => "array",
        _ => "null",
    };
}
