using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Controller.Metrics;
using Whereabouts.Controller.Tests.NodeController;

namespace Whereabouts.Controller.Tests.Metrics;

/// <summary>The endpoint's HTTP on its own: what it answers to well-formed, odd and hostile clients, and its start.</summary>
public sealed class MetricsEndpointHttpTests : IAsyncLifetime
{
    private readonly ControllerMetrics _metrics = new();
    private readonly HealthState _health = new(TimeProvider.System, TimeSpan.FromSeconds(90));
    private MetricsEndpoint _endpoint = null!;

    public ValueTask InitializeAsync()
    {
        _endpoint = MetricsEndpoint.Start("127.0.0.1", 0, _metrics, _health, NullLogger.Instance);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        _metrics.Dispose();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Requests => new()
    {
        { "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 200 OK" },
        { "GET /healthz?verbose=1 HTTP/1.0\r\n\r\n", "HTTP/1.1 200 OK" },
        { "GET http://node:9464/healthz HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK" },
        { "GET /healthz HTTP/1.1\n\n", "HTTP/1.1 200 OK" },
        { "GET /metrics HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK" },
        { "GET /other HTTP/1.1\r\n\r\n", "HTTP/1.1 404 Not Found" },
        { "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1 405 Method Not Allowed" },
        { "GET /healthz\r\n\r\n", "HTTP/1.1 400 Bad Request" },
        { "GET /healthz SPDY/3\r\n\r\n", "HTTP/1.1 400 Bad Request" },
        { "GET healthz HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request" },
        { "\u0016\u0003\u0001\u0002\u0000\u0001\r\n\r\n", "HTTP/1.1 400 Bad Request" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Request_AnsweredWithTheStatusLine(string request, string statusLine)
    {
        _health.Watching();

        var answer = await ExchangeAsync(_endpoint.Port, Encoding.ASCII.GetBytes(request));

        Assert.StartsWith(statusLine + "\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_Unhealthy_503WithTheReason()
    {
        var answer = await ExchangeAsync(_endpoint.Port, "GET /healthz HTTP/1.1\r\n\r\n"u8.ToArray());

        Assert.StartsWith("HTTP/1.1 503 Service Unavailable\r\n", answer, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nthe pod watch has not started yet\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_TheLengthOfTheBodyButNoBody()
    {
        _health.Watching();

        var answer = await ExchangeAsync(_endpoint.Port, "HEAD /healthz HTTP/1.1\r\n\r\n"u8.ToArray());

        Assert.Equal("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 3\r\nConnection: close\r\n\r\n", answer);
    }

    [Fact]
    public async Task Post_405SaysWhatIsAllowed()
    {
        var answer = await ExchangeAsync(_endpoint.Port, "DELETE /healthz HTTP/1.1\r\n\r\n"u8.ToArray());

        Assert.Contains("\r\nAllow: GET, HEAD\r\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestInPieces_AnsweredOnceComplete()
    {
        _health.Watching();
        using var client = await ConnectAsync(_endpoint.Port);
        var stream = client.GetStream();

        foreach (var piece in new[] { "GET /hea", "lthz HTTP/1.1\r\nHo", "st: x\r\n", "\r\n" })
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(piece), Token);
            await stream.FlushAsync(Token);
        }

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", await ReadToEndAsync(stream), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeadLongerThanTheLimit_431()
    {
        var request = Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nX-Padding: " + new string('a', MetricsEndpoint.MaxHead) + "\r\n\r\n");

        var answer = await ExchangeAsync(_endpoint.Port, request);

        Assert.StartsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SilentClients_DoNotKeepOthersWaiting_AndPastTheLimitAreClosed()
    {
        _health.Watching();
        var silent = new List<TcpClient>();
        try
        {
            for (var i = 0; i < MetricsEndpoint.MaxConnections; i++)
            {
                silent.Add(await ConnectAsync(_endpoint.Port));
            }

            // Connections are accepted in order: the one past the limit is closed once all the silent ones hold a slot.
            using (var refused = await ConnectAsync(_endpoint.Port))
            {
                Assert.Equal("", await ReadToEndAsync(refused.GetStream()));
            }

            silent[0].Dispose();
            await Eventually.TrueAsync(
                async () => (await ExchangeAsync(_endpoint.Port, "GET /healthz HTTP/1.1\r\n\r\n"u8.ToArray())).StartsWith("HTTP/1.1 200", StringComparison.Ordinal),
                "a freed slot was not used again");
        }
        finally
        {
            silent.ForEach(static c => c.Dispose());
        }
    }

    /// <summary>
    /// HttpListener, which this endpoint used to be, fails its Start with an ArgumentNullException when a client
    /// connects while it starts (its accept begins before its connection table exists): 1 start in 300 on this
    /// machine, and a kubelet probe made <c>run</c> exit.
    /// </summary>
    [Fact]
    public async Task Start_ClientsConnectingMeanwhile_AlwaysStarts()
    {
        for (var i = 0; i < 300; i++)
        {
            var port = NodeHarness.FreePort();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
            var knocking = Task.Run(
                async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        using var client = new TcpClient();
                        try
                        {
                            await client.ConnectAsync(IPAddress.Loopback, port, stop.Token);
                        }
                        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
                        {
                            // Not listening yet, or stopping.
                        }
                    }
                },
                Token);

            await using (MetricsEndpoint.Start("127.0.0.1", port, _metrics, _health, NullLogger.Instance))
            {
                await stop.CancelAsync();
                await knocking;
            }
        }
    }

    [Fact]
    public void Start_PortInUse_IOExceptionNamingTheAddress()
    {
        var ex = Assert.Throws<IOException>(() => MetricsEndpoint.Start("127.0.0.1", _endpoint.Port, _metrics, _health, NullLogger.Instance));

        Assert.StartsWith($"cannot serve /healthz and /metrics on 127.0.0.1:{_endpoint.Port}: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_StopsListening()
    {
        var port = _endpoint.Port;

        await _endpoint.DisposeAsync();

        await Assert.ThrowsAsync<SocketException>(async () => (await ConnectAsync(port)).Dispose());
        _endpoint = MetricsEndpoint.Start("127.0.0.1", 0, _metrics, _health, NullLogger.Instance);
    }

    private static async Task<TcpClient> ConnectAsync(int port)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, Token);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task<string> ExchangeAsync(int port, byte[] request)
    {
        using var client = await ConnectAsync(port);
        var stream = client.GetStream();
        await stream.WriteAsync(request, Token);
        return await ReadToEndAsync(stream);
    }

    private static async Task<string> ReadToEndAsync(NetworkStream stream)
    {
        using var answer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(answer, Token);
        }
        catch (IOException)
        {
            // A connection closed unanswered may end in a reset.
        }

        return Encoding.ASCII.GetString(answer.ToArray());
    }
}
