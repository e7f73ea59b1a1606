using System.Diagnostics;
using System.Globalization;
using System.Net;
using Whereabouts.Controller.Tests.Reconcile;

namespace Whereabouts.Controller.Tests.NodeController;

/// <summary>The built <c>whereabouts-controller run</c> as a process: healthy, then SIGTERM ends it with exit code 0.</summary>
public sealed class RunExecutableTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await TestCluster.StartAsync();

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Executable_RunThenSigterm_ExitsZero()
    {
        var port = NodeHarness.FreePort();
        var info = new ProcessStartInfo(ControllerExecutable.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "run", "--node", "node-1", "--kubeconfig", _cluster.KubeconfigPath, "--metrics-port", port.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("WHEREABOUTS_NAMESPACE");
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(2) };
            await Eventually.TrueAsync(
                async () =>
                {
                    if (process.HasExited)
                    {
                        Assert.Fail("exited: " + await stderr);
                    }

                    try
                    {
                        return (await http.GetAsync(new Uri("healthz", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode == HttpStatusCode.OK;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                "never healthy",
                TimeSpan.FromSeconds(20)).WaitAsync(TestContext.Current.CancellationToken);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
            }

            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

            Assert.True(process.ExitCode == 0, await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
