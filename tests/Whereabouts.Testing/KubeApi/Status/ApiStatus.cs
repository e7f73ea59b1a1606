using System.Text.Json;

namespace Whereabouts.Testing.KubeApi.Status;

/// <summary>
/// A metav1.Status. <see cref="Write"/> produces the same members in the same order as
/// kube-apiserver (kind, apiVersion, metadata, status, message, reason, details, code), with Go's
/// omitempty rules, so clients that compare bodies see what a real cluster sends.
/// </summary>
internal sealed record ApiStatus(int Code, string? Reason, string? Message, StatusDetails? Details = null, string? Continue = null)
{
    public static ApiStatus Success(StatusDetails details) => new(0, null, null, details);

    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", "Status");
        writer.WriteString("apiVersion", "v1");
        writer.WriteStartObject("metadata");
        if (!string.IsNullOrEmpty(Continue))
        {
            writer.WriteString("continue", Continue);
        }

        writer.WriteEndObject();
        writer.WriteString("status", Code is 0 or (>= 200 and < 300) ? "Success" : "Failure");
        WriteIfPresent(writer, "message", Message);
        WriteIfPresent(writer, "reason", Reason);
        if (Details is not null)
        {
            WriteDetails(writer, Details);
        }

        if (Code != 0)
        {
            writer.WriteNumber("code", Code);
        }

        writer.WriteEndObject();
    }

    public byte[] ToJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Json.CanonicalJson.WriterOptions))
        {
            Write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteDetails(Utf8JsonWriter writer, StatusDetails details)
    {
        writer.WriteStartObject("details");
        WriteIfPresent(writer, "name", details.Name);
        WriteIfPresent(writer, "group", details.Group);
        WriteIfPresent(writer, "kind", details.Kind);
        WriteIfPresent(writer, "uid", details.Uid);
        if (details.Causes is { Count: > 0 } causes)
        {
            writer.WriteStartArray("causes");
            foreach (var cause in causes)
            {
                writer.WriteStartObject();
                WriteIfPresent(writer, "reason", cause.Reason);
                WriteIfPresent(writer, "message", cause.Message);
                WriteIfPresent(writer, "field", cause.Field);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (details.RetryAfterSeconds != 0)
        {
            writer.WriteNumber("retryAfterSeconds", details.RetryAfterSeconds);
        }

        writer.WriteEndObject();
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }
}
