using System.Diagnostics;
using Whereabouts.Plugin.Tests.Support;

namespace Whereabouts.Plugin.Tests.Kubernetes;

/// <summary>
/// What only agent mode has: the agent killed (SIGKILL) in the middle of a batch of ADDs, the stale socket it leaves,
/// and a configuration that has no kubeconfig to fall back to.
/// </summary>
public sealed class KubernetesAgentTests
{
    private const int Pods = 60;

    [Fact]
    public async Task AgentKilledMidBatch_EveryAddCompletesByFallback_NoDuplicates_RestartOverStaleSocket_DelsThroughAgent()
    {
        await using var cluster = await KubeCluster.StartAsync(ClusterMode.Agent);
        cluster.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(20));
        var config = cluster.Direct(edit: KubeCluster.WithRange("10.80.0.0/24"));

        var adds = PerNode.RunAsync(Pods, 1, 20, (i, node) => KubeCluster.PodAsync("ADD", $"c{i}", $"pod-{i}", config, node));
        await KubeCluster.WaitUntilAsync(() => cluster.Allocations().Count >= 5, TimeSpan.FromSeconds(30), "the agent allocated the first addresses");
        await cluster.Agent!.KillAsync();
        var results = await adds;

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var addresses = results.Select(static r => CniCall.Addresses(r.Stdout).Single()).ToList();
        Assert.Equal(Pods, addresses.Distinct().Count());
        Assert.Equal(Pods, cluster.Allocations().Count);
        AssertConsistentButForKilledAttempts(cluster);
        Assert.Contains(results, static r => r.Stderr.Contains("serving the call directly", StringComparison.Ordinal));
        Assert.Contains(results, static r => !r.Stderr.Contains("serving the call directly", StringComparison.Ordinal));

        // SIGKILL left the socket file; a plugin meeting it is refused at once and serves the call itself.
        Assert.True(File.Exists(cluster.AgentSocket), "the killed agent's socket file is gone");
        var started = Stopwatch.StartNew();
        var late = await KubeCluster.PodAsync("ADD", "late", "late", config);
        Assert.True(late.ExitCode == 0, late.ToString());
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"ADD beside a stale socket took {started.Elapsed}");
        Assert.Contains("not reachable", late.Stderr, StringComparison.Ordinal);

        // A new agent replaces the stale socket and serves the DELs.
        await cluster.StartAgentAsync();
        var dels = await PerNode.RunAsync(Pods, 1, 20, (i, node) => KubeCluster.PodAsync("DEL", $"c{i}", $"pod-{i}", config, node));
        var lateDel = await KubeCluster.PodAsync("DEL", "late", "late", config);

        Assert.All(dels.Append(lateDel), r =>
        {
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.DoesNotContain("serving the call directly", r.Stderr, StringComparison.Ordinal);
        });
        Assert.Empty(cluster.Allocations());
        Assert.Empty(cluster.Reservations());
    }

    [Fact]
    public async Task NoKubeconfig_ServedByTheAgent_AgentGone_TryAgainLater()
    {
        await using var cluster = await KubeCluster.StartAsync(ClusterMode.Agent);
        var config = cluster.Direct(edit: static ipam => ipam.Remove("kubernetes"));

        var served = await KubeCluster.PodAsync("ADD", "c1", "p1", config);
        Assert.Equal(["192.168.20.2/24"], CniCall.Addresses(served.Stdout));

        await cluster.Agent!.KillAsync();
        var add = await KubeCluster.PodAsync("ADD", "c2", "p2", config);

        Assert.Equal(11, CniCall.ErrorCode(add.Stdout));
        Assert.Contains("no kubeconfig", KubeCluster.ErrorText(add.Stdout), StringComparison.Ordinal);
        Assert.Single(cluster.Allocations());
    }

    /// <summary>
    /// As <see cref="KubeCluster.AssertConsistent"/>, except that a reservation without its allocation may remain from an
    /// attempt the kill cut short (as after a killed direct-mode plugin), for a pod that holds another address: no
    /// address can go to two pods through it, and the pod's DEL withdraws it.
    /// </summary>
    private static void AssertConsistentButForKilledAttempts(KubeCluster cluster)
    {
        var allocations = cluster.Allocations();
        Assert.Equal(allocations.Count, allocations.Select(static a => a.Address).Distinct().Count());
        Assert.Equal(allocations.Count, allocations.Select(static a => (a.ContainerId, a.IfName)).Distinct().Count());
        var reservations = cluster.Reservations().ToDictionary(static r => r.Name);
        Assert.All(allocations, a =>
        {
            Assert.True(reservations.TryGetValue(a.Address, out var reservation), $"allocation {a} has no reservation");
            Assert.Equal((a.PodRef, a.IfName), (reservation!.PodRef, reservation.IfName));
        });
        var allocated = allocations.Select(static a => a.Address).ToHashSet();
        var owners = allocations.Select(static a => a.PodRef).ToHashSet();
        Assert.All(reservations.Values.Where(r => !allocated.Contains(r.Name)), r =>
            Assert.True(owners.Contains(r.PodRef), $"reservation {r} has no allocation, and its pod holds no address"));
    }
}
