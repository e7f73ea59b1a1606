using System.Diagnostics;

namespace Whereabouts.Storage.File.Tests.Support;

/// <summary>
/// The peer program (<c>Peer/Program.cs</c>, copied next to the tests) as a second process on the same data directory.
/// Only the process started here is ever killed, through its own handle.
/// </summary>
internal sealed class PeerProcess : IDisposable
{
    private readonly Process _process;

    private PeerProcess(Process process) => _process = process;

    /// <summary>Starts the peer and waits until it has opened its store.</summary>
    public static async Task<PeerProcess> StartAsync(params string[] args)
    {
        var info = new ProcessStartInfo(System.IO.Path.Combine(AppContext.BaseDirectory, "Whereabouts.Storage.File.Peer"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var peer = new PeerProcess(Process.Start(info) ?? throw new InvalidOperationException("cannot start the peer"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = await peer._process.StandardOutput.ReadLineAsync(timeout.Token);
        if (first != "ready")
        {
            var error = await peer._process.StandardError.ReadToEndAsync(timeout.Token);
            peer.Dispose();
            throw new InvalidOperationException($"the peer did not start: {first} {error}");
        }

        return peer;
    }

    /// <summary>The next line the peer prints.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await _process.StandardOutput.ReadLineAsync(timeout.Token);
    }

    /// <summary>Waits for the peer to exit successfully and returns the lines it printed after <c>ready</c>.</summary>
    public async Task<string[]> FinishAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = await _process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = await _process.StandardError.ReadToEndAsync(timeout.Token);
        await _process.WaitForExitAsync(timeout.Token);
        Assert.True(_process.ExitCode == 0, $"the peer failed ({_process.ExitCode}): {stderr}");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
