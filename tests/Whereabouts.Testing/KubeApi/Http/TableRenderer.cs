using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Whereabouts.Testing.KubeApi.Json;
using Whereabouts.Testing.KubeApi.Resources;
using Whereabouts.Testing.KubeApi.Storage;

namespace Whereabouts.Testing.KubeApi.Http;

/// <summary>
/// Server-side printing (meta.k8s.io/v1 Table) for custom resources, as the apiextensions table
/// convertor does it from additionalPrinterColumns, so that <c>kubectl get</c> shows the columns.
/// </summary>
internal sealed class TableRenderer
{
    private const string NameDescription =
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to " +
        "request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and " +
        "configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    private const string CreatedAtDescription =
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in " +
        "happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\n" +
        "Populated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    private readonly TimeProvider _time;

    public TableRenderer(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>Whether the client asked for a v1 Table (kubectl get does, with JSON as the fallback).</summary>
    public static bool Wanted(HttpRequest request, ResourceDefinition resource) =>
        resource.IsCustomResource && request.Headers.Accept.ToString()
            .Split(',')
            .Select(part => part.Split(';', StringSplitOptions.TrimEntries))
            .TakeWhile(parameters => !(parameters.Length == 1 && parameters[0] is "application/json" or "*/*"))
            .Any(parameters => parameters.Contains("as=Table") && parameters.Contains("g=meta.k8s.io") && parameters.Contains("v=v1"));

    public byte[] Render(ResourceDefinition resource, IEnumerable<StoredObject> items, long revision, string? continueToken, long? remaining, string? includeObject) =>
        Render(resource, items.Select(i => i.ToJsonObject()), revision.ToString(CultureInfo.InvariantCulture), continueToken, remaining, includeObject, headers: true);

    /// <summary>
    /// A watch event's object as a one-row Table; only the first event of a watch carries the
    /// column definitions (the others have null, as with TableOptions.NoHeaders).
    /// </summary>
    public byte[] RenderEvent(ResourceDefinition resource, byte[] json, string? includeObject, bool headers)
    {
        var body = CanonicalJson.ParseObject(json);
        var revision = (string?)body["metadata"]?["resourceVersion"] ?? "";
        return Render(resource, [body], revision, null, null, includeObject, headers);
    }

    private byte[] Render(ResourceDefinition resource, IEnumerable<JsonObject> items, string revision, string? continueToken, long? remaining,
        string? includeObject, bool headers)
    {
        var columns = resource.PrinterColumns.Count > 0
            ? resource.PrinterColumns
            : [new PrinterColumn("Created At", "date", "", CreatedAtDescription, 0, ".metadata.creationTimestamp")];
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", "Table");
            writer.WriteString("apiVersion", "meta.k8s.io/v1");
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", revision);
            if (continueToken is not null)
            {
                writer.WriteString("continue", continueToken);
            }

            if (remaining is not null)
            {
                writer.WriteNumber("remainingItemCount", remaining.Value);
            }

            writer.WriteEndObject();
            if (headers)
            {
                writer.WriteStartArray("columnDefinitions");
                WriteColumn(writer, new PrinterColumn("Name", "string", "name", NameDescription, 0, ""));
                foreach (var column in columns)
                {
                    WriteColumn(writer, column);
                }

                writer.WriteEndArray();
            }
            else
            {
                writer.WriteNull("columnDefinitions");
            }

            writer.WriteStartArray("rows");
            foreach (var item in items)
            {
                WriteRow(writer, item, columns, resource.PrinterColumns.Count == 0, includeObject);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>duration.HumanDuration, which kubectl shows in AGE columns.</summary>
    public static string HumanDuration(TimeSpan duration)
    {
        var seconds = (long)duration.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 120)
        {
            return Invariant($"{seconds}s");
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            return seconds % 60 == 0 ? Invariant($"{minutes}m") : Invariant($"{minutes}m{seconds % 60}s");
        }

        if (minutes < 180)
        {
            return Invariant($"{minutes}m");
        }

        var hours = minutes / 60;
        if (hours < 8)
        {
            return minutes % 60 == 0 ? Invariant($"{hours}h") : Invariant($"{hours}h{minutes % 60}m");
        }

        if (hours < 48)
        {
            return Invariant($"{hours}h");
        }

        if (hours < 24 * 8)
        {
            return hours % 24 == 0 ? Invariant($"{hours / 24}d") : Invariant($"{hours / 24}d{hours % 24}h");
        }

        if (hours < 24 * 365 * 2)
        {
            return Invariant($"{hours / 24}d");
        }

        var days = hours / 24;
        if (hours < 24 * 365 * 8)
        {
            return days % 365 == 0 ? Invariant($"{days / 365}y") : Invariant($"{days / 365}y{days % 365}d");
        }

        return Invariant($"{days / 365}y");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void WriteColumn(Utf8JsonWriter writer, PrinterColumn column)
    {
        writer.WriteStartObject();
        writer.WriteString("name", column.Name);
        writer.WriteString("type", column.Type);
        writer.WriteString("format", column.Format);
        writer.WriteString("description", column.Description);
        writer.WriteNumber("priority", column.Priority);
        writer.WriteEndObject();
    }

    private void WriteRow(Utf8JsonWriter writer, JsonObject body, IReadOnlyList<PrinterColumn> columns, bool defaultColumns, string? includeObject)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("cells");
        writer.WriteStringValue((string?)body["metadata"]?["name"]);
        foreach (var column in columns)
        {
            WriteCell(writer, Find(body, column.JsonPath), column.Type, defaultColumns);
        }

        writer.WriteEndArray();
        switch (includeObject)
        {
            case "None":
                break;
            case "Object":
                writer.WritePropertyName("object");
                CanonicalJson.Write(writer, body);
                break;
            default:
                writer.WriteStartObject("object");
                writer.WriteString("kind", "PartialObjectMetadata");
                writer.WriteString("apiVersion", "meta.k8s.io/v1");
                writer.WritePropertyName("metadata");
                CanonicalJson.Write(writer, body["metadata"]);
                writer.WriteEndObject();
                break;
        }

        writer.WriteEndObject();
    }

    private void WriteCell(Utf8JsonWriter writer, JsonNode? value, string type, bool defaultColumns)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        // The default convertor prints creation time as RFC 3339; CRD date columns print an age.
        if (type == "date" && !defaultColumns && value.GetValueKind() == JsonValueKind.String)
        {
            writer.WriteStringValue(DateTimeOffset.TryParse((string)value!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                ? HumanDuration(_time.GetUtcNow() - time)
                : "<invalid>");
            return;
        }

        if (type == "string")
        {
            writer.WriteStringValue(value.GetValueKind() == JsonValueKind.String ? (string)value! : value.ToJsonString());
            return;
        }

        CanonicalJson.Write(writer, value);
    }

    /// <summary>Follows a simple JSON path (<c>.a.b</c>), the only kind CRD printer columns may use.</summary>
    private static JsonNode? Find(JsonObject body, string path)
    {
        JsonNode? node = body;
        foreach (var part in path.TrimStart('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(part, out var child) ? child : null;
        }

        return node;
    }
}
