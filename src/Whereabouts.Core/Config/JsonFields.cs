using System.Globalization;
using System.Text.Json;

namespace Whereabouts.Core.Config;

/// <summary>
/// Typed reads of JSON values with Go's decoding rules: <c>null</c> leaves a field unset, and a value of the wrong
/// type is an error naming the key.
/// </summary>
internal static class JsonFields
{
    public static string? String(JsonElement value, string key, ConfigIssues issues)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Null:
                return null;
            default:
                issues.Error(key, $"must be a string, not {Describe(value)}");
                return null;
        }
    }

    public static bool? Bool(JsonElement value, string key, ConfigIssues issues)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Null:
                return null;
            default:
                issues.Error(key, $"must be true or false, not {Describe(value)}");
                return null;
        }
    }

    public static int? Int(JsonElement value, string key, ConfigIssues issues)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var result))
        {
            return result;
        }

        issues.Error(key, $"must be a whole number, not {Describe(value)}");
        return null;
    }

    public static List<string>? Strings(JsonElement value, string key, ConfigIssues issues)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            issues.Error(key, $"must be a list of strings, not {Describe(value)}");
            return null;
        }

        var list = new List<string>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (String(item, Index(key, i), issues) is { } s)
            {
                list.Add(s);
            }

            i++;
        }

        return list;
    }

    public static bool IsObject(JsonElement value, string key, ConfigIssues issues)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Null)
        {
            issues.Error(key, $"must be an object, not {Describe(value)}");
        }

        return false;
    }

    public static bool IsArray(JsonElement value, string key, ConfigIssues issues)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Null)
        {
            issues.Error(key, $"must be a list, not {Describe(value)}");
        }

        return false;
    }

    /// <summary>Finds a property the way Go's decoder does: case-insensitively, the last match winning.</summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        value = default;
        var found = false;
        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                found = true;
            }
        }

        return found;
    }

    public static string Index(string key, int i) => string.Create(CultureInfo.InvariantCulture, $"{key}[{i}]");

    public static string Child(string parent, string key) =>
        parent.Length == 0 ? key : parent.EndsWith(':') ? parent + key : parent + "." + key;

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };
}
