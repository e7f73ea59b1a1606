using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Whereabouts.Controller.Metrics;

/// <summary>
/// <c>GET /healthz</c> (200 or 503 from <see cref="HealthState"/>) and <c>GET /metrics</c> (Prometheus text format) on
/// one port: one request per connection, answered and closed. A listening socket and a few lines of HTTP/1.1 rather
/// than <see cref="HttpListener"/> or Kestrel: see README.md in this folder for why.
/// </summary>
internal sealed partial class MetricsEndpoint : IAsyncDisposable
{
    /// <summary>Connections served at once; more are closed unanswered. Probes and a scraper need a handful.</summary>
    internal const int MaxConnections = 16;

    /// <summary>The longest request head read; a longer one is answered 431.</summary>
    internal const int MaxHead = 8 * 1024;

    /// <summary>How long a connection may take to send its request and read the answer.</summary>
    internal static readonly TimeSpan ConnectionTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _listener;
    private readonly ControllerMetrics _metrics;
    private readonly HealthState _health;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _slots = new(MaxConnections, MaxConnections);
    private Task _accepting = Task.CompletedTask;

    private MetricsEndpoint(Socket listener, ControllerMetrics metrics, HealthState health, ILogger logger)
    {
        _listener = listener;
        _metrics = metrics;
        _health = health;
        _logger = logger;
    }

    /// <summary>The port listened on (the one asked for, or the one the system chose for port 0 in tests).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>Starts listening on <paramref name="address"/> (an IP; <c>0.0.0.0</c> or <c>::</c> for every address) and <paramref name="port"/>.</summary>
    /// <exception cref="IOException">The port cannot be bound (in use, or the address is not this node's).</exception>
    /// <exception cref="FormatException"><paramref name="address"/> is not an IP address.</exception>
    public static MetricsEndpoint Start(string address, int port, ControllerMetrics metrics, HealthState health, ILogger logger)
    {
        var ip = IPAddress.Parse(address);
        var listener = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (ip.Equals(IPAddress.IPv6Any))
            {
                // "::" means every address, IPv4 ones included.
                listener.DualMode = true;
            }

            listener.Bind(new IPEndPoint(ip, port));
            listener.Listen(64);
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            throw new IOException(string.Create(CultureInfo.InvariantCulture, $"cannot serve /healthz and /metrics on {address}:{port}: {ex.Message}"), ex);
        }

        var endpoint = new MetricsEndpoint(listener, metrics, health, logger);
        endpoint._accepting = endpoint.AcceptAsync();
        LogListening(logger, address, endpoint.Port);
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _accepting;

        // Every connection holds a slot until it is closed: taking them all waits for the last one.
        for (var i = 0; i < MaxConnections; i++)
        {
            await _slots.WaitAsync();
        }

        _slots.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || _stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                // Out of file descriptors, say: not a reason to stop serving, nor to spin.
                LogAcceptFailed(_logger, ex.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            if (!_slots.Wait(0))
            {
                connection.Dispose();
                continue;
            }

            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            deadline.CancelAfter(ConnectionTimeout);
            await AnswerAsync(connection, deadline.Token);
            await DrainAsync(connection, deadline.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            LogAnswerFailed(_logger, ex.Message);
        }
        catch (Exception ex)
        {
            // Nothing awaits this task: whatever else went wrong must not vanish, nor stop the endpoint.
            LogAnswerCrashed(_logger, ex);
        }
        finally
        {
            connection.Dispose();
            _slots.Release();
        }
    }

    private async Task AnswerAsync(Socket connection, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxHead];
        var received = 0;
        int end;
        while ((end = HttpRequestHead.EndOfHead(buffer.AsSpan(0, received))) < 0)
        {
            if (received == buffer.Length)
            {
                await SendAsync(connection, 431, "Request Header Fields Too Large", "text/plain; charset=utf-8", "request head too long\n", true, cancellationToken);
                return;
            }

            var read = await connection.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                // The client left before finishing its request.
                return;
            }

            received += read;
        }

        if (HttpRequestHead.Parse(buffer.AsSpan(0, end)) is not { } request)
        {
            await SendAsync(connection, 400, "Bad Request", "text/plain; charset=utf-8", "not an HTTP/1.1 request\n", true, cancellationToken);
            return;
        }

        var withBody = request.Method != "HEAD";
        var readOnly = request.Method is "GET" or "HEAD";
        switch (request.Path)
        {
            case "/healthz" or "/metrics" when !readOnly:
                await SendAsync(connection, 405, "Method Not Allowed", "text/plain; charset=utf-8", "only GET and HEAD\n", withBody, cancellationToken, "Allow: GET, HEAD\r\n");
                return;
            case "/healthz":
                var (healthy, detail) = _health.Check();
                await SendAsync(connection, healthy ? 200 : 503, healthy ? "OK" : "Service Unavailable", "text/plain; charset=utf-8", detail + "\n", withBody, cancellationToken);
                return;
            case "/metrics":
                using (var text = new MemoryStream())
                {
                    await _metrics.ExportAsync(text, cancellationToken);
                    await SendAsync(connection, 200, "OK", "text/plain; version=0.0.4; charset=utf-8", text.GetBuffer().AsMemory(0, (int)text.Length), withBody, cancellationToken);
                }

                return;
            default:
                await SendAsync(connection, 404, "Not Found", "text/plain; charset=utf-8", "not found: try /healthz or /metrics\n", withBody, cancellationToken);
                return;
        }
    }

    /// <summary>
    /// Reads and drops what the client still sends until it closes, for a second at most: closing a socket with unread
    /// bytes sends a reset, which can destroy the answer before the client has read it (a request with a body, or a
    /// head past the limit).
    /// </summary>
    private static async Task DrainAsync(Socket connection, CancellationToken cancellationToken)
    {
        using var brief = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        brief.CancelAfter(TimeSpan.FromSeconds(1));
        var sink = new byte[4096];
        try
        {
            for (var total = 0; total < 64 * 1024;)
            {
                var read = await connection.ReceiveAsync(sink, SocketFlags.None, brief.Token);
                if (read == 0)
                {
                    return;
                }

                total += read;
            }
        }
        catch (OperationCanceledException) when (brief.IsCancellationRequested)
        {
            // The client keeps the connection open; closing it is all that is left.
        }
    }

    private static Task SendAsync(
        Socket connection, int status, string reason, string contentType, string body, bool withBody, CancellationToken cancellationToken, string extraHeaders = "") =>
        SendAsync(connection, status, reason, contentType, Encoding.UTF8.GetBytes(body), withBody, cancellationToken, extraHeaders);

    /// <summary>Sends the answer (a HEAD's without its body, but with its length) and ends the connection's sending side.</summary>
    /// <param name="extraHeaders">More header lines, each ending in CRLF.</param>
    private static async Task SendAsync(
        Socket connection, int status, string reason, string contentType, ReadOnlyMemory<byte> body, bool withBody, CancellationToken cancellationToken, string extraHeaders = "")
    {
        var head = Encoding.ASCII.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n{extraHeaders}Connection: close\r\n\r\n"));
        await SendAllAsync(connection, head, cancellationToken);
        if (withBody)
        {
            await SendAllAsync(connection, body, cancellationToken);
        }

        connection.Shutdown(SocketShutdown.Send);
    }

    private static async Task SendAllAsync(Socket connection, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            bytes = bytes[await connection.SendAsync(bytes, SocketFlags.None, cancellationToken)..];
        }
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Serving /healthz and /metrics on {Host}:{Port}")]
    private static partial void LogListening(ILogger logger, string host, int port);

    [LoggerMessage(EventId = 501, Level = LogLevel.Debug, Message = "Could not answer a request to /healthz or /metrics: {Reason}")]
    private static partial void LogAnswerFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 503, Level = LogLevel.Error, Message = "Answering a request to /healthz or /metrics failed")]
    private static partial void LogAnswerCrashed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Cannot accept a connection to /healthz and /metrics, retrying: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, string reason);
}
