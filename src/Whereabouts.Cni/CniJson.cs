using System.Text.Encodings.Web;
using System.Text.Json;

namespace Whereabouts.Cni;

/// <summary>
/// Typed access to <see cref="JsonElement"/> members. Failures throw <see cref="FormatException"/> naming the JSON
/// path; callers turn that into the CNI code that fits where the JSON came from.
/// </summary>
internal static class CniJson
{
    /// <summary>Relaxed escaping keeps messages readable (<c>"</c> as <c>\"</c>, not <c>\u0022</c>); stdout is not HTML.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The member, or false when it is absent or JSON null.</summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    public static void RequireObject(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{path} must be an object, not {Describe(element)}");
        }
    }

    /// <summary>The object member, or null when absent or JSON null.</summary>
    public static JsonElement? GetObject(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        RequireObject(value, path);
        return value;
    }

    public static string? GetString(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new FormatException($"{path} must be a string, not {Describe(value)}");
    }

    public static string GetRequiredString(JsonElement obj, string name, string path) =>
        GetString(obj, name, path) ?? throw new FormatException($"{path} is required");

    public static int? GetInt32(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw new FormatException($"{path} must be a 32-bit integer, not {Describe(value)}");
    }

    /// <summary>The elements of an array member; empty when absent or JSON null.</summary>
    public static IEnumerable<(JsonElement Item, string Path)> GetArray(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{path} must be an array, not {Describe(value)}");
        }

        return value.EnumerateArray().Select((item, i) => (item, $"{path}[{i}]"));
    }

    public static string[] GetStringList(JsonElement obj, string name, string path) =>
        [.. GetArray(obj, name, path).Select(e => e.Item.ValueKind == JsonValueKind.String
            ? e.Item.GetString()!
            : throw new FormatException($"{e.Path} must be a string, not {Describe(e.Item)}"))];

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
