using System.Diagnostics;
using Whereabouts.Plugin.Tests.Support;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Plugin.Tests.Kubernetes;

/// <summary>
/// The API server goes away for a few seconds while ADDs run: processes in flight and processes started during the
/// outage retry through it and all succeed once it is back, with every address unique and paired with its reservation.
/// </summary>
public abstract class KubernetesOutageTests(ClusterMode clusterMode)
{
    public static TheoryData<OutageMode, int> Outages => new()
    {
        // Connections cut at once: every attempt fails fast and is retried with backoff.
        { OutageMode.Refuse, 3 },
        // Requests left hanging, shorter than the per-request timeout: they complete once the server is back.
        { OutageMode.Hang, 3 },
        // Hanging past the 10 s per-request timeout: the plugin gives up on those requests and sends them again.
        { OutageMode.Hang, 12 },
    };

    [Theory]
    [MemberData(nameof(Outages))]
    public async Task OutageMidRun_InFlightAndNewProcessesRideItOut_AllSucceedConsistent(OutageMode mode, int seconds)
    {
        await using var cluster = await KubeCluster.StartAsync(clusterMode);
        cluster.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(5));
        var config = cluster.Direct(edit: KubeCluster.WithRange("10.60.0.0/24"));
        Task<ProcessResult> Add(int i, string node) => KubeCluster.PodAsync("ADD", $"c{i}", $"pod-{i}", config, node, TimeSpan.FromSeconds(60));

        var inFlight = PerNode.RunAsync(40, 4, 10, Add);
        await KubeCluster.WaitUntilAsync(() => cluster.Allocations().Count >= 5, TimeSpan.FromSeconds(30), "the first pods hold addresses");
        cluster.Faults.Pause(mode);
        var down = Stopwatch.StartNew();
        var startedDuringOutage = PerNode.RunAsync(10, 2, 10, (i, node) => Add(40 + i, node));
        await Task.Delay(TimeSpan.FromSeconds(seconds), TestContext.Current.CancellationToken);
        var allocatedWhileDown = cluster.Allocations().Count;
        cluster.Faults.Resume();
        var results = (await inFlight).Concat(await startedDuringOutage).ToList();

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Equal(50, results.Select(static r => CniCall.Addresses(r.Stdout).Single()).Distinct().Count());
        Assert.Equal(50, cluster.Allocations().Count);
        cluster.AssertConsistent();
        Assert.True(allocatedWhileDown < 50, "every ADD finished before the outage: nothing straddled it");
        Assert.True(down.Elapsed >= TimeSpan.FromSeconds(seconds));
        if (mode == OutageMode.Refuse)
        {
            Assert.True(cluster.Counters.Snapshot().Any(static c => c.StatusCode == 0), "no request was refused");
        }

        cluster.ReportCounters($"{mode} outage of {seconds} s during 50 ADDs ({allocatedWhileDown} allocated before it ended)");
    }
}

/// <summary><see cref="KubernetesOutageTests"/>, the plugin serving each call itself.</summary>
public sealed class KubernetesOutageDirectTests() : KubernetesOutageTests(ClusterMode.Direct);

/// <summary><see cref="KubernetesOutageTests"/>, the plugin asking a node agent.</summary>
public sealed class KubernetesOutageAgentTests() : KubernetesOutageTests(ClusterMode.Agent);
