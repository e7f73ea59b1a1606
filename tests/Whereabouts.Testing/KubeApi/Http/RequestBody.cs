using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Whereabouts.Testing.KubeApi.Json;
using Whereabouts.Testing.KubeApi.Status;

namespace Whereabouts.Testing.KubeApi.Http;

/// <summary>Reads request bodies within kube-apiserver's size limit (limitedReadBody).</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpContext http, int limit)
    {
        if (http.Request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Parses a create/update body, which must be a JSON object; members given twice are reported in <paramref name="duplicates"/>.</summary>
    public static JsonObject ParseObject(byte[] body, string kind, List<string> duplicates)
    {
        try
        {
            if (RequestJson.Parse(body, duplicates) is JsonObject obj)
            {
                return obj;
            }
        }
        catch (JsonException e)
        {
            throw ApiErrors.BadRequest($"the object provided is unrecognized (must be of type {kind}): couldn't get version/kind; json parse error: {e.Message}");
        }

        throw ApiErrors.BadRequest($"the object provided is unrecognized (must be of type {kind}): couldn't get version/kind; json parse error: json: cannot unmarshal into Go value of type struct");
    }

    /// <summary>The media type of the request without parameters, lower-cased.</summary>
    public static string MediaType(HttpContext http)
    {
        var contentType = http.Request.ContentType ?? "";
        var separator = contentType.IndexOf(';', StringComparison.Ordinal);
        return (separator >= 0 ? contentType[..separator] : contentType).Trim().ToLowerInvariant();
    }

    private static KubeStatusException TooLarge(int limit) =>
        ApiErrors.RequestEntityTooLarge(string.Create(CultureInfo.InvariantCulture, $"limit is {limit}"));
}
