using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Whereabouts.Plugin.Tests.Support;

namespace Whereabouts.Plugin.Tests.Kubernetes;

/// <summary>
/// A real node agent: the published controller started as the benchmarks start it
/// (<c>run --node N --kubeconfig K --agent-socket S --metrics-port 0</c>), ready once it answers on its socket.
/// Stopped (or killed, by its pid) only by the test that started it.
/// </summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AgentProcess(Process process, string socketPath)
    {
        _process = process;
        SocketPath = socketPath;
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    public string SocketPath { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>What the agent logged so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<AgentProcess> StartAsync(string socketPath, string kubeconfig, string node = "node-a")
    {
        var process = Run.Start(
            Repo.Controller,
            ["run", "--node", node, "--kubeconfig", kubeconfig, "--agent-socket", socketPath, "--metrics-port", "0", "--namespace", KubeCluster.Namespace],
            new Dictionary<string, string>());
        process.StandardInput.Close();
        var agent = new AgentProcess(process, socketPath);
        try
        {
            await agent.WaitUntilServingAsync();
            return agent;
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL: no cleanup of any kind runs, the socket file stays behind.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private async Task WaitUntilServingAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!Accepts(SocketPath))
        {
            if (_process.HasExited)
            {
                Assert.Fail($"the agent exited with {_process.ExitCode}: {Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"the agent did not listen on {SocketPath} within {StartTimeout}: {Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TestContext.Current.CancellationToken);
        }
    }

    private static bool Accepts(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
