using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Whereabouts.Testing.Agent;

/// <summary>
/// A real node agent for tests and benchmarks: the published controller started as the contract says
/// (<c>run --node N --kubeconfig K --agent-socket S --metrics-port 0</c>), ready once its socket accepts a connection.
/// Only the process this object started is ever killed, by its pid.
/// </summary>
public sealed class NodeAgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NodeAgentProcess(Process process, string socketPath)
    {
        _process = process;
        SocketPath = socketPath;
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    public string SocketPath { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>What the agent wrote to stdout and stderr so far.</summary>
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

    /// <summary>Resident memory now (VmRSS), in KiB; null once the process is gone.</summary>
    public long? ResidentKib
    {
        get
        {
            try
            {
                var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(static l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                return line is null ? null : long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    /// <exception cref="InvalidOperationException">The agent exited, or did not accept within <paramref name="timeout"/>.</exception>
    public static async Task<NodeAgentProcess> StartAsync(
        string controller, string node, string kubeconfig, string socketPath, string @namespace, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(controller)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["run", "--node", node, "--kubeconfig", kubeconfig, "--agent-socket", socketPath, "--metrics-port", "0", "--namespace", @namespace])
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {controller}");
        process.StandardInput.Close();
        var agent = new NodeAgentProcess(process, socketPath);
        try
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!Accepts(socketPath))
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"the agent exited with {process.ExitCode}: {agent.Output}");
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"the agent did not listen on {socketPath} within {timeout}: {agent.Output}");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            }

            return agent;
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL: nothing of the agent's own runs, its socket file stays behind.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
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
