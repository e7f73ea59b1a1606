using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Whereabouts.Testing.KubeApi.Json;
using Whereabouts.Testing.KubeApi.Resources;
using Whereabouts.Testing.KubeApi.Status;
using Whereabouts.Testing.KubeApi.Storage;

namespace Whereabouts.Testing.KubeApi.Http;

/// <summary>
/// Writes responses as kube-apiserver does (JSON with a trailing newline, no-cache headers), and
/// applies an after-processing fault instead when one is pending.
/// </summary>
internal static class ApiResponses
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public static Task WriteJsonAsync(ApiCall call, int statusCode, byte[] json, int retryAfterSeconds = 0)
    {
        if (call.PendingFault is { } fault)
        {
            call.PendingFault = null;
            return WriteFaultAsync(call, fault, retryAfterSeconds);
        }

        return WriteRawAsync(call, statusCode, json);
    }

    public static Task WriteStatusAsync(ApiCall call, KubeStatusException error, int retryAfterSeconds = 0)
    {
        if (call.PendingFault is not null)
        {
            return WriteJsonAsync(call, error.Code, [], retryAfterSeconds);
        }

        SetRetryAfter(call, error);
        return WriteRawAsync(call, error.Code, error.Status.ToJson());
    }

    /// <summary>Answers with an injected fault: an aborted connection or the status kube-apiserver sends for that code.</summary>
    public static Task WriteFaultAsync(ApiCall call, KubeApiFault fault, int retryAfterSeconds)
    {
        if (fault.Drops)
        {
            call.StatusCode = 0;
            call.Http.Abort();
            return Task.CompletedTask;
        }

        var error = ApiErrors.ForInjectedCode(fault.StatusCode, call.Route.Resource, call.Route.Name ?? "", retryAfterSeconds);
        SetRetryAfter(call, error);
        return WriteRawAsync(call, fault.StatusCode, error.Status.ToJson());
    }

    /// <summary>ErrorNegotiated: a status that asks for a delay also carries it as a Retry-After header.</summary>
    private static void SetRetryAfter(ApiCall call, KubeStatusException error)
    {
        if (error.Status.Details?.RetryAfterSeconds is int seconds and > 0)
        {
            call.Http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
    }

    public static async Task WritePlainAsync(ApiCall call, int statusCode, string text)
    {
        call.StatusCode = statusCode;
        call.Http.Response.StatusCode = statusCode;
        call.Http.Response.ContentType = "text/plain; charset=utf-8";
        await call.Http.Response.WriteAsync(text, call.Http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A list object: kind, apiVersion, list metadata and the items as stored.</summary>
    public static byte[] ListJson(ResourceDefinition resource, IEnumerable<StoredObject> items, long revision, string? continueToken, long? remaining)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion", resource.ApiVersion);
            writer.WriteStartArray("items");
            foreach (var item in items)
            {
                writer.WriteRawValue(item.Json, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteString("kind", resource.ListKind);
            writer.WriteStartObject("metadata");
            if (continueToken is not null)
            {
                writer.WriteString("continue", continueToken);
            }

            if (remaining is not null)
            {
                writer.WriteNumber("remainingItemCount", remaining.Value);
            }

            writer.WriteString("resourceVersion", revision.ToString(CultureInfo.InvariantCulture));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Warning headers as kube-apiserver writes them: <c>299 - "&lt;text&gt;"</c>.</summary>
    public static void AddWarnings(ApiCall call, IEnumerable<string> warnings)
    {
        foreach (var warning in warnings)
        {
            call.Http.Response.Headers.Append("Warning", $"299 - {FieldError.GoQuote(warning)}");
        }
    }

    private static async Task WriteRawAsync(ApiCall call, int statusCode, byte[] json)
    {
        call.StatusCode = statusCode;
        var response = call.Http.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-cache, private";
        response.ContentLength = json.Length + NewLine.Length;
        await response.Body.WriteAsync(json, call.Http.RequestAborted).ConfigureAwait(false);
        await response.Body.WriteAsync(NewLine, call.Http.RequestAborted).ConfigureAwait(false);
    }
}
