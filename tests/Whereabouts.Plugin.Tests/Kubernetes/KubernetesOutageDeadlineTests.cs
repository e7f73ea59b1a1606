using System.Diagnostics;
using Whereabouts.Plugin.Tests.Support;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Plugin.Tests.Kubernetes;

/// <summary>
/// The API server stays down past the 90 s ADD deadline (the plugin has no knob for it, so this test takes that long;
/// it sleeps, and runs beside the others). Every ADD caught in it is answered "try again later" (11) after the
/// deadline, not before; what other pods hold is untouched; reservations made before the outage are withdrawn; the
/// runtime's DEL for each failed ADD succeeds; and the next ADD works.
/// </summary>
public abstract class KubernetesOutageDeadlineTests(ClusterMode mode)
{
    private static readonly TimeSpan AddDeadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ServerDownPastTheAddDeadline_AddsFailWithTryAgainLater_NothingCorrupted_DelSucceeds()
    {
        await using var cluster = await KubeCluster.StartAsync(mode);
        var config = cluster.Direct(edit: KubeCluster.WithRange("10.70.0.0/24"));
        var timeout = AddDeadline + TimeSpan.FromSeconds(60);
        for (var i = 0; i < 5; i++)
        {
            var add = await KubeCluster.PodAsync("ADD", $"held{i}", $"held-{i}", config, "node-a");
            Assert.True(add.ExitCode == 0, add.ToString());
        }

        var before = cluster.Allocations();

        // First the server is overloaded for pool writes, so these ADDs hold fresh reservations when it goes down.
        var overloaded = cluster.Faults.FailFraction(1, 503, "patch", "ippools");
        (string Container, string Pod)[] stuckPods = [("stuck0", "stuck-0"), ("stuck1", "stuck-1"), ("stuck2", "stuck-2")];
        (string Container, string Pod)[] refusedPods = [("refused0", "refused-0"), ("refused1", "refused-1"), ("refused2", "refused-2")];
        var stuck = stuckPods.Select(p => TimedAddAsync(p.Container, p.Pod, config, timeout)).ToList();
        await KubeCluster.WaitUntilAsync(() => cluster.Reservations().Count == 8, TimeSpan.FromSeconds(30), "the stuck ADDs hold reservations");
        cluster.Faults.Pause(OutageMode.Refuse);
        var refused = refusedPods.Select(p => TimedAddAsync(p.Container, p.Pod, config, timeout)).ToList();

        // Back only once every deadline has passed, so that withdrawing the stuck reservations can succeed.
        await Task.Delay(AddDeadline + TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        overloaded.Dispose();
        cluster.Faults.Resume();
        var failed = await Task.WhenAll(stuck.Concat(refused));

        Assert.All(failed, f =>
        {
            Assert.Equal(11, CniCall.ErrorCode(f.Result.Stdout));
            Assert.Contains("10.70.0.0-24", KubeCluster.ErrorText(f.Result.Stdout), StringComparison.Ordinal);
            Assert.True(f.Elapsed >= AddDeadline - TimeSpan.FromSeconds(1), $"gave up after {f.Elapsed}, before the deadline");
        });
        Assert.Equal(before, cluster.Allocations());
        cluster.AssertConsistent();
        cluster.ReportCounters("outage past the ADD deadline");

        foreach (var (container, pod) in stuckPods.Concat(refusedPods))
        {
            var del = await KubeCluster.PodAsync("DEL", container, pod, config);
            Assert.True(del.ExitCode == 0, del.ToString());
        }

        Assert.Equal(before, cluster.Allocations());
        var again = await KubeCluster.PodAsync("ADD", "refused0", "refused-0", config);
        Assert.Equal(["10.70.0.6/24"], CniCall.Addresses(again.Stdout));
        cluster.AssertConsistent();
    }

    private static async Task<(ProcessResult Result, TimeSpan Elapsed)> TimedAddAsync(string container, string pod, string config, TimeSpan timeout)
    {
        var started = Stopwatch.StartNew();
        var result = await KubeCluster.PodAsync("ADD", container, pod, config, "node-b", timeout);
        return (result, started.Elapsed);
    }
}

/// <summary><see cref="KubernetesOutageDeadlineTests"/>, the plugin serving each call itself.</summary>
public sealed class KubernetesOutageDeadlineDirectTests() : KubernetesOutageDeadlineTests(ClusterMode.Direct);

/// <summary><see cref="KubernetesOutageDeadlineTests"/>, the plugin asking a node agent.</summary>
public sealed class KubernetesOutageDeadlineAgentTests() : KubernetesOutageDeadlineTests(ClusterMode.Agent);
