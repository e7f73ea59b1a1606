using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Whereabouts.Agent.Protocol;

namespace Whereabouts.Agent.Server;

/// <summary>
/// The agent's listener: every connection is served on its own task, so many requests are in flight at once and the
/// store underneath sees them together. A request is acted on only when its version is one this agent speaks and the
/// frame is well-formed; the "accepted" frame goes out before any datastore work, the answer only after it.
/// </summary>
public sealed partial class AgentServer : IAsyncDisposable
{
    /// <summary>A client that connects and then sends nothing is dropped after this long.</summary>
    internal static readonly TimeSpan RequestReadTimeout = TimeSpan.FromSeconds(10);

    private const int Backlog = 1024;

    private readonly Socket _listener;
    private readonly FileStream _lock;
    private readonly IAgentHandler _handler;
    private readonly IReadOnlySet<ushort> _versions;
    private readonly ILogger _logger;
    private readonly string _path;

    private AgentServer(string path, Socket listener, FileStream lockFile, IAgentHandler handler, IReadOnlySet<ushort> versions, ILogger logger)
    {
        _path = path;
        _listener = listener;
        _lock = lockFile;
        _handler = handler;
        _versions = versions;
        _logger = logger;
    }

    /// <summary>Binds <paramref name="path"/> (replacing a stale socket); serves nothing until <see cref="RunAsync"/>.</summary>
    /// <exception cref="AgentSocketInUseException">A live agent serves the path.</exception>
    public static AgentServer Bind(string path, IAgentHandler handler, ILogger logger) =>
        Bind(path, handler, logger, new HashSet<ushort> { AgentProtocol.Current });

    /// <summary>An agent speaking <paramref name="versions"/>: tests play an older or newer agent with it.</summary>
    internal static AgentServer Bind(string path, IAgentHandler handler, ILogger logger, IReadOnlySet<ushort> versions)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(logger);
        var (listener, lockFile) = AgentSocketFile.Bind(path, Backlog);
        return new AgentServer(System.IO.Path.GetFullPath(path), listener, lockFile, handler, versions, logger);
    }

    /// <summary>The socket's full path.</summary>
    public string Path => _path;

    /// <summary>Accepts until cancelled; then stops listening, and requests still in flight are dropped unanswered (their plugins fall back).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        LogListening(_logger, _path, AgentProtocol.Current);
        var inFlight = new HashSet<Task>();
        try
        {
            while (true)
            {
                var connection = await _listener.AcceptAsync(cancellationToken);
                var task = ServeAsync(connection, cancellationToken);
                lock (inFlight)
                {
                    inFlight.Add(task);
                }

                _ = task.ContinueWith(
                    t =>
                    {
                        lock (inFlight)
                        {
                            inFlight.Remove(t);
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }
        finally
        {
            Task[] pending;
            lock (inFlight)
            {
                pending = [.. inFlight];
            }

            await Task.WhenAll(pending);
        }
    }

    public ValueTask DisposeAsync()
    {
        _listener.Dispose();
        try
        {
            File.Delete(_path);
        }
        catch (IOException ex)
        {
            LogCleanupFailed(_logger, _path, ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            LogCleanupFailed(_logger, _path, ex.Message);
        }

        _lock.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task ServeAsync(Socket connection, CancellationToken cancellationToken)
    {
        await Task.Yield();
        await using var stream = new NetworkStream(connection, ownsSocket: true);
        try
        {
            if (await ReadRequestAsync(stream, cancellationToken) is not var (request, version))
            {
                await DrainAsync(connection, cancellationToken);
                return;
            }

            await WriteFrameAsync(stream, version, AgentFrameKind.Accepted, ReadOnlyMemory<byte>.Empty, cancellationToken);
            using var hangUp = new HangUpWatch(connection, cancellationToken);
            AgentAnswer answer;
            try
            {
                answer = await _handler.HandleAsync(request, hangUp.Token);
            }
            catch (OperationCanceledException) when (hangUp.HungUp)
            {
                // The plugin was killed or gave up (and serves the call itself): what this request did is undone by its
                // own settling, or by the DEL that follows, which the per-attachment order runs after it.
                LogHungUp(_logger, request.Verb, request.ContainerId);
                return;
            }

            var body = JsonSerializer.SerializeToUtf8Bytes(answer, AgentJsonContext.Default.AgentAnswer);
            await WriteFrameAsync(stream, version, AgentFrameKind.Answer, body, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the plugin sees the connection close and serves the call itself.
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The plugin went away (killed, or it gave up and fell back); what was done stays done and is idempotent.
            LogClientGone(_logger, ex.Message);
        }
    }

    /// <summary>The request and its version, or null when the frame was refused (the refusal already sent) or the client sent nothing.</summary>
    private async Task<(AgentRequest Request, ushort Version)?> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestReadTimeout);
        var header = new byte[AgentFrame.HeaderSize];
        try
        {
            await stream.ReadExactlyAsync(header, timeout.Token);
        }
        catch (EndOfStreamException)
        {
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogRefused(_logger, "no request within " + RequestReadTimeout);
            return null;
        }

        if (!AgentFrame.TryReadVersion(header, out var version))
        {
            LogRefused(_logger, "not a frame of the agent protocol");
            await WriteFrameAsync(stream, _versions.Max(), AgentFrameKind.Rejected, ReadOnlyMemory<byte>.Empty, cancellationToken);
            return null;
        }

        if (!_versions.Contains(version))
        {
            LogUnsupportedVersion(_logger, version);
            await WriteFrameAsync(stream, _versions.Max(), AgentFrameKind.Unsupported, ReadOnlyMemory<byte>.Empty, cancellationToken);
            return null;
        }

        if (AgentFrame.Read(header, version) is not { Kind: AgentFrameKind.Request } frame)
        {
            LogRefused(_logger, "malformed or oversized frame header");
            await WriteFrameAsync(stream, version, AgentFrameKind.Rejected, ReadOnlyMemory<byte>.Empty, cancellationToken);
            return null;
        }

        var body = new byte[frame.Length];
        try
        {
            await stream.ReadExactlyAsync(body, timeout.Token);
            if (JsonSerializer.Deserialize(body, AgentJsonContext.Default.AgentRequest) is { } request)
            {
                return (request, version);
            }
        }
        catch (EndOfStreamException)
        {
            return null;
        }
        catch (JsonException ex)
        {
            LogRefused(_logger, "request body: " + ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogRefused(_logger, "request body incomplete after " + RequestReadTimeout);
            return null;
        }

        await WriteFrameAsync(stream, version, AgentFrameKind.Rejected, ReadOnlyMemory<byte>.Empty, cancellationToken);
        return null;
    }

    /// <summary>
    /// After a refusal, reads (briefly, boundedly) what the client still sends: closing a unix socket with unread data
    /// resets the connection, and the client would see the reset instead of the refusal.
    /// </summary>
    private static async Task DrainAsync(Socket connection, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        var buffer = new byte[4096];
        try
        {
            connection.Shutdown(SocketShutdown.Send);
            for (var total = 0; total <= AgentFrame.MaxBodySize;)
            {
                var read = await connection.ReceiveAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return;
                }

                total += read;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The client keeps the connection open: close it anyway.
        }
    }

    /// <summary>Refusals of a version this agent does not speak carry its own version; everything else the request's.</summary>
    private static async Task WriteFrameAsync(
        NetworkStream stream, ushort version, AgentFrameKind kind, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var frame = new byte[AgentFrame.HeaderSize + body.Length];
        new AgentFrame(version, kind, body.Length).Write(frame);
        body.Span.CopyTo(frame.AsSpan(AgentFrame.HeaderSize));
        await stream.WriteAsync(frame, cancellationToken);
    }
}
