using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Agent.Server;

namespace Whereabouts.Agent.Tests.Support;

/// <summary>An <see cref="AgentServer"/> serving on a task until disposed.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    private RunningServer(AgentServer server)
    {
        Server = server;
        Serving = Task.Run(() => server.RunAsync(_stop.Token));
    }

    public AgentServer Server { get; }

    public Task Serving { get; }

    public static RunningServer Start(string path, IAgentHandler handler, params ushort[] versions) =>
        new(versions.Length == 0
            ? AgentServer.Bind(path, handler, NullLogger.Instance)
            : AgentServer.Bind(path, handler, NullLogger.Instance, versions.ToHashSet()));

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Serving;
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Server.DisposeAsync();
        _stop.Dispose();
    }
}
