using System.Text.Json;
using Whereabouts.Ipam.Errors;

namespace Whereabouts.Storage.Kubernetes.Api;

/// <summary>
/// An open watch: newline-delimited <c>{"type":…,"object":…}</c> events, read one at a time as
/// they arrive. A broken connection surfaces as <see cref="StoreUnavailableException"/>, the server ending the watch as null.
/// </summary>
public sealed class ObjectWatch<T> : IDisposable
    where T : class
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private readonly Func<JsonElement, T?> _read;
    private readonly Func<T, string?> _versionOf;
    private readonly string _what;

    /// <param name="response">The watch's response; disposed with this.</param>
    /// <param name="body">Its body stream.</param>
    /// <param name="read">Reads an event's object (source-generated metadata under NativeAOT).</param>
    /// <param name="versionOf">The resourceVersion of an object.</param>
    /// <param name="what">The request, for messages.</param>
    public ObjectWatch(HttpResponseMessage response, Stream body, Func<JsonElement, T?> read, Func<T, string?> versionOf, string what)
    {
        _response = response ?? throw new ArgumentNullException(nameof(response));
        _reader = new StreamReader(body);
        _read = read ?? throw new ArgumentNullException(nameof(read));
        _versionOf = versionOf ?? throw new ArgumentNullException(nameof(versionOf));
        _what = what;
    }

    /// <summary>The next event, or null when the server ended the watch.</summary>
    /// <exception cref="StoreUnavailableException">The connection broke or the server sent something unreadable.</exception>
    public async Task<WatchEvent<T>?> ReadAsync(CancellationToken cancellationToken)
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
                throw new StoreUnavailableException($"the watch ({_what}) broke: {ex.Message}", ex);
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

    private WatchEvent<T> Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var type = root.GetProperty("type").GetString() ?? string.Empty;
            var body = root.GetProperty("object");
            switch (type)
            {
                case WatchEvent<T>.Error:
                    return new WatchEvent<T>(
                        type,
                        null,
                        null,
                        body.TryGetProperty("code", out var code) && code.TryGetInt32(out var value) ? value : null,
                        body.TryGetProperty("message", out var message) ? message.GetString() : null);
                case WatchEvent<T>.Bookmark:
                    return new WatchEvent<T>(
                        type,
                        null,
                        body.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("resourceVersion", out var version)
                            ? version.GetString()
                            : null);
                default:
                    var item = _read(body) ?? throw new JsonException("the event has no object");
                    return new WatchEvent<T>(type, item, _versionOf(item));
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new StoreUnavailableException($"the watch ({_what}) sent an unreadable event: {ex.Message}", ex);
        }
    }
}
