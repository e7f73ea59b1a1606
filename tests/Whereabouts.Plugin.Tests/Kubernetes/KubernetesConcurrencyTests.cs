using Whereabouts.Plugin.Tests.Support;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Plugin.Tests.Kubernetes;

/// <summary>
/// Many plugin processes on many simulated nodes allocating from one range in the API server at once, with write
/// latency, injected conflicts and lost responses: compare-and-swap on the pool and the cluster-wide reservations keep
/// every address unique and every allocation paired with its reservation.
/// </summary>
public abstract class KubernetesConcurrencyTests(ClusterMode mode)
{
    private const int Pods = 100;
    private const int Nodes = 10;
    private const int PerNodeLimit = 10;

    [Fact]
    public async Task HundredProcessesOnTenNodes_WithConflictsAndLostResponses_AllSucceedWithDistinctAddresses()
    {
        await using var cluster = await KubeCluster.StartAsync(mode);
        cluster.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(5));

        // One of each fault for certain, then a fraction: the node agent groups its pool writes, so that 100 ADDs may
        // send only a dozen patches, and a 10 % fraction of them alone would often strike none.
        using var firstConflict = cluster.Faults.FailNext(1, 409, "patch", "ippools");
        using var firstLostPatch = cluster.Faults.DropNext(1, "patch", "ippools", FaultPoint.AfterProcessing);
        using var firstLostClaim = cluster.Faults.DropNext(1, "create", "overlappingrangeipreservations", FaultPoint.AfterProcessing);
        using var conflicts = cluster.Faults.FailFraction(0.1, 409, "patch", "ippools");
        var lostPatches = cluster.Faults.DropFraction(0.1, "patch", "ippools", FaultPoint.AfterProcessing);
        var lostClaims = cluster.Faults.DropFraction(0.1, "create", "overlappingrangeipreservations", FaultPoint.AfterProcessing);
        var config = cluster.Direct(edit: KubeCluster.WithRange("10.40.0.0/24"));

        var adds = await PerNode.RunAsync(Pods, Nodes, PerNodeLimit, (i, node) => KubeCluster.PodAsync("ADD", $"c{i}", $"pod-{i}", config, node));

        Assert.All(adds, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var addresses = adds.Select(static r => CniCall.Addresses(r.Stdout).Single().Split('/')[0]).ToList();
        Assert.Equal(Pods, addresses.Distinct().Count());
        var allocations = cluster.Allocations();
        Assert.Equal(Pods, allocations.Count);
        for (var i = 0; i < Pods; i++)
        {
            // What each process reported is what the pool records for its container.
            Assert.Contains(allocations, a => a.ContainerId == $"c{i}" && a.PodRef == $"default/pod-{i}" && a.Address == addresses[i]);
        }

        cluster.AssertConsistent();
        var injected = (Conflicts: firstConflict.Triggered + conflicts.Triggered, LostPatches: firstLostPatch.Triggered + lostPatches.Triggered, LostClaims: firstLostClaim.Triggered + lostClaims.Triggered);
        cluster.ReportCounters($"{Pods} ADDs on {Nodes} nodes (injected: {injected.Conflicts} 409s, {injected.LostPatches} lost patch answers, {injected.LostClaims} lost reservation answers)");
        Assert.True(injected.Conflicts > 0 && injected.LostPatches > 0 && injected.LostClaims > 0, "a fault was never injected");

        // Releases race with conflicts and lost answers too: a DEL whose pool write committed but whose answer was lost
        // must still withdraw the reservation when its retry finds the entry gone.
        lostClaims.Dispose();
        var lostBeforeDels = lostPatches.Triggered;
        using var delLostPatch = cluster.Faults.DropNext(1, "patch", "ippools", FaultPoint.AfterProcessing);
        cluster.Counters.Reset();
        var dels = await PerNode.RunAsync(Pods, Nodes, PerNodeLimit, (i, node) => KubeCluster.PodAsync("DEL", $"c{i}", $"pod-{i}", config, node));

        Assert.All(dels, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Empty(cluster.Allocations());
        Assert.Empty(cluster.Reservations());
        Assert.True(delLostPatch.Triggered + lostPatches.Triggered > lostBeforeDels, "no DEL lost an answer");
        lostPatches.Dispose();
        cluster.ReportCounters($"after {Pods} DELs");
    }
}

/// <summary><see cref="KubernetesConcurrencyTests"/>, the plugin serving each call itself.</summary>
public sealed class KubernetesConcurrencyDirectTests() : KubernetesConcurrencyTests(ClusterMode.Direct);

/// <summary><see cref="KubernetesConcurrencyTests"/>, the plugin asking a node agent.</summary>
public sealed class KubernetesConcurrencyAgentTests() : KubernetesConcurrencyTests(ClusterMode.Agent);
