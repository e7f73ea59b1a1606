using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Whereabouts.Controller.Metrics;

/// <summary>
/// <c>GET /healthz</c> (200 or 503 from <see cref="HealthState"/>) and <c>GET /metrics</c> (Prometheus text format) on
/// one port. An <see cref="HttpListener"/>: it is part of the runtime, needs no trimming annotations, and adds far less
/// to the NativeAOT binary than ASP.NET Core (see README.md in this folder).
/// </summary>
internal sealed partial class MetricsEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ControllerMetrics _metrics;
    private readonly HealthState _health;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _serving = Task.CompletedTask;

    private MetricsEndpoint(ControllerMetrics metrics, HealthState health, ILogger logger)
    {
        _metrics = metrics;
        _health = health;
        _logger = logger;
    }

    /// <summary>Starts listening on <paramref name="address"/> (an IP; <c>0.0.0.0</c> or <c>::</c> for every address) and <paramref name="port"/>.</summary>
    /// <exception cref="HttpListenerException">The port cannot be bound.</exception>
    /// <exception cref="FormatException"><paramref name="address"/> is not an IP address.</exception>
    public static MetricsEndpoint Start(string address, int port, ControllerMetrics metrics, HealthState health, ILogger logger)
    {
        var endpoint = new MetricsEndpoint(metrics, health, logger);
        endpoint._listener.Prefixes.Add($"http://{PrefixHost(address)}:{port}/");
        endpoint._listener.Start();
        endpoint._serving = endpoint.ServeAsync();
        LogListening(logger, address, port);
        return endpoint;
    }

    /// <summary>
    /// The host of an <see cref="HttpListener"/> prefix for an address: <c>+</c> for the any-address (the listener
    /// then binds every address and answers whatever Host the scraper sends), an IPv6 address in brackets.
    /// </summary>
    internal static string PrefixHost(string address)
    {
        var ip = IPAddress.Parse(address);
        if (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
        {
            return "+";
        }

        return ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _serving;
        _listener.Close();
        _stopping.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // Stopped.
                return;
            }

            try
            {
                await HandleAsync(context);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // Stopping in the middle of an answer.
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
            {
                LogAnswerFailed(_logger, context.Request.Url?.AbsolutePath ?? "?", ex.Message);
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        var isGet = context.Request.HttpMethod is "GET" or "HEAD";
        switch (context.Request.Url?.AbsolutePath)
        {
            case "/healthz" when isGet:
                var (healthy, detail) = _health.Check();
                await WriteTextAsync(response, healthy ? 200 : 503, detail + "\n");
                return;
            case "/metrics" when isGet:
                response.StatusCode = 200;
                response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                using (var buffer = new MemoryStream())
                {
                    await _metrics.ExportAsync(buffer, _stopping.Token);
                    response.ContentLength64 = buffer.Length;
                    buffer.Position = 0;
                    await buffer.CopyToAsync(response.OutputStream, _stopping.Token);
                }

                return;
            default:
                await WriteTextAsync(response, 404, "not found: try /healthz or /metrics\n");
                return;
        }
    }

    private static async Task WriteTextAsync(HttpListenerResponse response, int status, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Serving /healthz and /metrics on {Host}:{Port}")]
    private static partial void LogListening(ILogger logger, string host, int port);

    [LoggerMessage(EventId = 501, Level = LogLevel.Debug, Message = "Could not answer {Path}: {Reason}")]
    private static partial void LogAnswerFailed(ILogger logger, string path, string reason);
}
