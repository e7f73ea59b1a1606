using System.Diagnostics;
using System.Text.Json.Nodes;
using Whereabouts.Controller.Tests.Reconcile;

namespace Whereabouts.Controller.Tests.IpamVerbs;

/// <summary>The built <c>whereabouts-controller</c> as an operator runs it: kubeconfig from <c>$KUBECONFIG</c>, check, release, check again.</summary>
public sealed class IpamExecutableTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        _cluster.Pod("default/alive");
        _cluster.Pool("10.0.0.0-24", "10.0.0.0/24", new Alloc("1", "c-gone", "default/gone"), new Alloc("2", "c-alive", "default/alive"));
        _cluster.Reservation("10.0.0.1", "default/gone");
        _cluster.Reservation("10.0.0.2", "default/alive");
    }

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Executable_CheckReleaseCheck_LeakFoundReleasedAndGone()
    {
        var before = await RunAsync("ipam", "check", "-o", "json");

        Assert.Equal(1, before.ExitCode);
        var problem = Assert.Single(JsonNode.Parse(before.Stdout)!["problems"]!.AsArray())!;
        Assert.Equal(("pod-gone", "10.0.0.1"), ((string?)problem["kind"], (string?)problem["ip"]));

        var refused = await RunAsync("ipam", "release", "--ip", "10.0.0.2");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("live pod default/alive", refused.Stderr, StringComparison.Ordinal);

        var release = await RunAsync("ipam", "release", "--ip", "10.0.0.1");
        Assert.True(release.ExitCode == 0, release.Stderr);

        var after = await RunAsync("ipam", "check");
        Assert.Equal((0, "No problems found (1 pools, 1 allocations, 1 reservations, 1 pods checked).\n"), (after.ExitCode, after.Stdout));
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(ControllerExecutable.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["KUBECONFIG"] = _cluster.KubeconfigPath;
        start.Environment["HOME"] = _cluster.Directory;
        start.Environment.Remove("WHEREABOUTS_NAMESPACE");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("the controller did not start");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Patience, TestContext.Current.CancellationToken);
            return (process.ExitCode, await stdout, await stderr);
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
