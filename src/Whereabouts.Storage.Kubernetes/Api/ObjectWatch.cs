using System.Buffers;
using System.Text.Json;
using Whereabouts.Ipam.Errors;

namespace Whereabouts.Storage.Kubernetes.Api;

/// <summary>
/// An open watch: newline-delimited <c>{"type":…,"object":…}</c> events, read one at a time as they arrive. A broken
/// connection surfaces as <see cref="StoreUnavailableException"/>, the server ending the watch as null. Events are read
/// as UTF-8 straight from a pooled buffer: a watched pool can be hundreds of kilobytes per event, and a node agent
/// reads one for every write to it anywhere in the cluster.
/// </summary>
public sealed class ObjectWatch<T> : IDisposable
    where T : class
{
    private const int InitialBuffer = 64 * 1024;

    private readonly HttpResponseMessage _response;
    private readonly Stream _body;
    private readonly ObjectReader<T> _read;
    private readonly Func<T, string?> _versionOf;
    private readonly string _what;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
    private int _start;
    private int _end;

    // Where the search for the end of the current line goes on: a large event arrives in many reads.
    private int _searched;

    /// <param name="response">The watch's response; disposed with this.</param>
    /// <param name="body">Its body stream.</param>
    /// <param name="read">Reads an event's object.</param>
    /// <param name="versionOf">The resourceVersion of an object.</param>
    /// <param name="what">The request, for messages.</param>
    public ObjectWatch(HttpResponseMessage response, Stream body, ObjectReader<T> read, Func<T, string?> versionOf, string what)
    {
        _response = response ?? throw new ArgumentNullException(nameof(response));
        _body = body ?? throw new ArgumentNullException(nameof(body));
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
            var from = Math.Max(_start, _searched);
            var newline = Array.IndexOf(_buffer, (byte)'\n', from, _end - from);
            _searched = newline >= 0 ? newline + 1 : _end;
            if (newline >= 0)
            {
                var line = new ReadOnlyMemory<byte>(_buffer, _start, newline - _start);
                _start = newline + 1;
                if (!line.Span.Trim(" \t\r"u8).IsEmpty)
                {
                    return Parse(line.Span);
                }

                continue;
            }

            MakeRoom();
            int read;
            try
            {
                read = await _body.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
            {
                throw new StoreUnavailableException($"the watch ({_what}) broke: {ex.Message}", ex);
            }

            if (read == 0)
            {
                return null;
            }

            _end += read;
        }
    }

    public void Dispose()
    {
        _body.Dispose();
        _response.Dispose();
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Moves the unread bytes to the front, and grows the buffer when a line fills it.</summary>
    private void MakeRoom()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _searched -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }

    private WatchEvent<T> Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            var (type, range) = Split(line);
            var body = line[range];
            switch (type)
            {
                case WatchEvent<T>.Error:
                {
                    using var document = JsonDocument.Parse(body.ToArray());
                    var root = document.RootElement;
                    return new WatchEvent<T>(
                        type,
                        null,
                        null,
                        root.TryGetProperty("code", out var code) && code.TryGetInt32(out var value) ? value : null,
                        root.TryGetProperty("message", out var message) ? message.GetString() : null);
                }

                case WatchEvent<T>.Bookmark:
                {
                    using var document = JsonDocument.Parse(body.ToArray());
                    var root = document.RootElement;
                    return new WatchEvent<T>(
                        type,
                        null,
                        root.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("resourceVersion", out var version)
                            ? version.GetString()
                            : null);
                }

                default:
                    var item = _read(body) ?? throw new JsonException("the event has no object");
                    return new WatchEvent<T>(type, item, _versionOf(item));
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new StoreUnavailableException($"the watch ({_what}) sent an unreadable event: {ex.Message}", ex);
        }
    }

    /// <summary>The event's type and the UTF-8 of its object, found without reading the object.</summary>
    private static (string Type, Range Object) Split(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        string? type = null;
        var objectStart = -1;
        var objectEnd = -1;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("an event is not a JSON object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.GetString();
            }
            else if (reader.ValueTextEquals("object"u8))
            {
                reader.Read();
                objectStart = (int)reader.TokenStartIndex;
                reader.Skip();
                objectEnd = (int)reader.BytesConsumed;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return type is null || objectStart < 0
            ? throw new JsonException("an event lacks its type or object")
            : (type, objectStart..objectEnd);
    }
}
