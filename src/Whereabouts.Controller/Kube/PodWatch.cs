using System.Text.Json;
using k8s;
using k8s.Models;
using Whereabouts.Ipam.Errors;

namespace Whereabouts.Controller.Kube;

/// <summary>
/// An open pod watch: newline-delimited <c>{"type":…,"object":…}</c> events, read one at a time as they arrive.
/// A broken connection surfaces as <see cref="StoreUnavailableException"/>, the server ending the watch as null.
/// </summary>
internal sealed class PodWatch : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    public PodWatch(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body);
    }

    /// <summary>The next event, or null when the server ended the watch.</summary>
    /// <exception cref="StoreUnavailableException">The connection broke or the server sent something unreadable.</exception>
    public async Task<WatchEvent?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
            {
                throw new StoreUnavailableException($"the pod watch broke: {ex.Message}", ex);
            }

            if (line is null)
            {
                return null;
            }

            if (!string.IsNullOrWhiteSpace(line))
            {
                return Parse(line);
            }
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }

    internal static WatchEvent Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var type = root.GetProperty("type").GetString() ?? string.Empty;
            var body = root.GetProperty("object");
            switch (type)
            {
                case WatchEvent.Error:
                    return new WatchEvent(
                        type,
                        null,
                        null,
                        body.TryGetProperty("code", out var code) && code.TryGetInt32(out var value) ? value : null,
                        body.TryGetProperty("message", out var message) ? message.GetString() : null);
                case WatchEvent.Bookmark:
                    return new WatchEvent(type, null, ResourceVersionOf(body));
                default:
                    var pod = KubernetesJson.Deserialize<V1Pod>(body);
                    return new WatchEvent(type, pod, pod.Metadata?.ResourceVersion);
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new StoreUnavailableException($"the pod watch sent an unreadable event: {ex.Message}", ex);
        }
    }

    private static string? ResourceVersionOf(JsonElement body) =>
        body.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("resourceVersion", out var version)
            ? version.GetString()
            : null;
}
