using System.Text.Json.Nodes;

namespace Whereabouts.Testing.KubeApi.Json;

/// <summary>An RFC 6901 JSON pointer, split into unescaped reference tokens (<c>~1</c> is '/', <c>~0</c> is '~').</summary>
internal sealed class JsonPointer
{
    private JsonPointer(string text, IReadOnlyList<string> tokens)
    {
        Text = text;
        Tokens = tokens;
    }

    public string Text { get; }

    public IReadOnlyList<string> Tokens { get; }

    public bool IsRoot => Tokens.Count == 0;

    public string Last => Tokens[^1];

    public static JsonPointer Parse(string text)
    {
        if (text.Length == 0)
        {
            return new JsonPointer(text, []);
        }

        if (text[0] != '/')
        {
            throw new JsonPatchException($"JSON pointer must be empty or start with a \"/\": {text}");
        }

        return new JsonPointer(text, [.. text[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))]);
    }

    /// <summary>The container that holds the pointed-to member, or null when a step on the way is missing.</summary>
    public JsonNode? FindParent(JsonNode? root)
    {
        var node = root;
        for (var i = 0; i < Tokens.Count - 1 && node is not null; i++)
        {
            node = Step(node, Tokens[i]);
        }

        return node;
    }

    /// <summary>The pointed-to value; <paramref name="found"/> says whether it exists (it may be a JSON null).</summary>
    public JsonNode? Find(JsonNode? root, out bool found)
    {
        found = false;
        if (IsRoot)
        {
            found = true;
            return root;
        }

        switch (FindParent(root))
        {
            case JsonObject obj:
                found = obj.TryGetPropertyValue(Last, out var value);
                return value;
            case JsonArray array when TryIndex(Last, array.Count, out var index):
                found = true;
                return array[index];
            default:
                return null;
        }
    }

    /// <summary>
    /// Parses an index into an array of <paramref name="count"/> elements the way
    /// evanphx/json-patch v4 (used by kube-apiserver) does: decimal, negative values count from the end.
    /// </summary>
    public static bool TryIndex(string token, int count, out int index)
    {
        if (!int.TryParse(token, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out index))
        {
            return false;
        }

        var max = count - 1;
        if (index < 0)
        {
            if (index < -count)
            {
                return false;
            }

            index += count;
        }

        return index <= max;
    }

    private static JsonNode? Step(JsonNode node, string token) => node switch
    {
        JsonObject obj => obj.TryGetPropertyValue(token, out var child) ? child : null,
        JsonArray array => TryIndex(token, array.Count, out var index) ? array[index] : null,
        _ => null,
    };
}
