using System.Text.Json.Nodes;

namespace Whereabouts.Testing.Tests.Support;

/// <summary>A raw watch over HttpClient (the Aot client has none): reads newline-delimited events.</summary>
internal sealed class WatchConnection : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private WatchConnection(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public int StatusCode => (int)_response.StatusCode;

    public static async Task<WatchConnection> OpenAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, Api.Token);
        var stream = await response.Content.ReadAsStreamAsync(Api.Token);
        return new WatchConnection(response, new StreamReader(stream));
    }

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<JsonObject?> NextAsync(TimeSpan? timeout = null)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Api.Token);
        cancel.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        var line = await _reader.ReadLineAsync(cancel.Token);
        return line is null ? null : (JsonObject)JsonNode.Parse(line)!;
    }

    /// <summary>The next event; the stream must not have ended.</summary>
    public async Task<JsonObject> NextEventAsync(TimeSpan? timeout = null) =>
        await NextAsync(timeout) ?? throw new InvalidOperationException("The watch ended.");

    /// <summary>Reads events until one satisfies <paramref name="match"/>.</summary>
    public async Task<JsonObject> NextMatchingAsync(Func<JsonObject, bool> match)
    {
        while (true)
        {
            var next = await NextEventAsync();
            if (match(next))
            {
                return next;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        await Task.CompletedTask;
    }
}
