using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whereabouts.Testing.KubeApi.Json;

/// <summary>
/// Serializes objects as kube-apiserver serializes custom resources (Go's encoding/json over
/// maps): compact, with the members of every object sorted by key in byte order.
/// </summary>
internal static class CanonicalJson
{
    /// <summary>
    /// Writer options for every JSON document the server sends: quotes escaped as \" and other
    /// characters left as they are, close to Go's encoder (which escapes only &lt;, &gt; and &amp; besides).
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Serialize(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, node);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    /// <summary>Whether two documents serialize identically (how etcd3's store detects a no-op update).</summary>
    public static bool SameDocument(JsonNode? left, JsonNode? right) => Serialize(left).AsSpan().SequenceEqual(Serialize(right));

    public static JsonObject ParseObject(ReadOnlySpan<byte> json) =>
        JsonNode.Parse(json) as JsonObject ?? throw new JsonException("The document is not a JSON object.");
}
