using System.Diagnostics;
using Whereabouts.Plugin.Tests.Support;

namespace Whereabouts.Plugin.Tests.Kubernetes;

/// <summary>
/// Real plugin processes killed with SIGKILL during ADD and DEL on the Kubernetes datastore, every DEL retried until it
/// succeeds (as a runtime does), then one reconcile pass: nothing may be left, no pool entry and no reservation. Through
/// the node agent a killed plugin's request is cancelled when it hangs up, and the DEL that follows runs after whatever
/// that request still did: after every successful DEL nothing of the container is left there either.
/// </summary>
public abstract class KubernetesKillTests(ClusterMode mode)
{
    private const int Pods = 24;

    [Fact]
    public async Task AddAndDelKilledAtAnyPoint_RetriedDelsAndOneReconcilePass_LeaveNothing()
    {
        await using var cluster = await KubeCluster.StartAsync(mode);

        // Writes take long enough that a kill often lands between two requests of one call.
        cluster.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(8), TimeSpan.FromMilliseconds(4));
        var config = cluster.Direct(edit: KubeCluster.WithRange("10.40.0.0/24"));
        var random = new Random(20261207);
        var kills = new KillCounts();

        // Four pods at a time, like a node starting a burst; every ADD and every DEL attempt may be killed.
        foreach (var batch in Enumerable.Range(0, Pods).Chunk(4))
        {
            await Task.WhenAll(batch.Select(async i =>
            {
                var pod = $"kill-{i}";
                var container = $"c-{i}";
                await KillAtRandomAsync(new CniCall("ADD", container) { Args = CniCall.PodArgs(pod) }, config, random.Next(0, 40), kills);
                await DelUntilDoneAsync(cluster, container, pod, config, random.Next(0, 40), kills);
            }));
            cluster.AssertNoDuplicates();
        }

        // Kills that hit exactly the window the issue is about: the pool entry is gone, its reservation not yet.
        for (var i = 0; i < 6; i++)
        {
            var pod = $"window-{i}";
            var container = $"w-{i}";
            var add = await KubeCluster.PodAsync("ADD", container, pod, config);
            Assert.True(add.ExitCode == 0, add.ToString());
            await KillOnceTheEntryIsGoneAsync(cluster, container, pod, config, kills);
            await DelUntilDoneAsync(cluster, container, pod, config, killAfterMs: null, kills);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"killed mid-flight: {kills.Adds} ADDs, {kills.Dels} DELs; reservations seen orphaned: {kills.Orphans}");
        Assert.True(kills.Adds + kills.Dels > 10, $"only {kills.Adds + kills.Dels} processes were killed mid-flight; the test did not exercise kills");
        if (mode == ClusterMode.Direct)
        {
            // Through the agent the request goes on (or is cancelled and settles) inside the agent: no orphan need show.
            Assert.True(kills.Orphans > 0, "no kill left a reservation without its pool entry; the test did not reach the window it is about");
        }

        var reconcile = await Run.ProcessAsync(
            Repo.Controller, ["reconcile", "--kubeconfig", cluster.KubeconfigPath, "--namespace", KubeCluster.Namespace], null, null, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.True(reconcile.ExitCode == 0, reconcile.ToString());

        Assert.Empty(cluster.Allocations());
        Assert.Empty(cluster.Reservations());
    }

    /// <summary>Runs the call and kills it after <paramref name="killAfterMs"/> unless it has finished.</summary>
    private static async Task KillAtRandomAsync(CniCall call, string config, int killAfterMs, KillCounts kills)
    {
        using var process = await StartAsync(call, config);
        await Task.Delay(killAfterMs, TestContext.Current.CancellationToken);
        if (!process.HasExited)
        {
            process.Kill();
            kills.Killed(call.Command);
        }

        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// DELs the pod until one exits 0, as a runtime does; the first attempt may be killed after
    /// <paramref name="killAfterMs"/>, and a reservation left without its pool entry is counted.
    /// </summary>
    private static async Task DelUntilDoneAsync(KubeCluster cluster, string container, string pod, string config, int? killAfterMs, KillCounts kills)
    {
        var del = new CniCall("DEL", container) { Args = CniCall.PodArgs(pod) };
        if (killAfterMs is { } delay)
        {
            await KillAtRandomAsync(del, config, delay, kills);
            kills.Observe(cluster, container);
        }

        for (var attempt = 1; ; attempt++)
        {
            var result = await KubeCluster.RunAsync(del, config);
            if (result.ExitCode == 0)
            {
                Assert.DoesNotContain(cluster.Allocations(), a => a.ContainerId == container);
                Assert.DoesNotContain(cluster.Reservations(), r => r.ContainerId == container);
                return;
            }

            Assert.True(attempt < 5, $"DEL of {container} kept failing: {result}");
        }
    }

    /// <summary>Starts a DEL and kills it as soon as the API server no longer holds the container's pool entry.</summary>
    private static async Task KillOnceTheEntryIsGoneAsync(KubeCluster cluster, string container, string pod, string config, KillCounts kills)
    {
        using var process = await StartAsync(new CniCall("DEL", container) { Args = CniCall.PodArgs(pod) }, config);
        var watch = Stopwatch.StartNew();
        while (!process.HasExited && cluster.Allocations().Any(a => a.ContainerId == container) && watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Yield();
        }

        if (!process.HasExited)
        {
            process.Kill();
            kills.Killed("DEL");
        }

        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        kills.Observe(cluster, container);
    }

    private static async Task<Process> StartAsync(CniCall call, string config)
    {
        var process = Run.Start(Repo.Plugin, [], call.Environment());
        await process.StandardInput.WriteAsync(config);
        process.StandardInput.Close();
        return process;
    }

    private sealed class KillCounts
    {
        private int _adds;
        private int _dels;
        private int _orphans;

        public int Adds => _adds;

        public int Dels => _dels;

        public int Orphans => _orphans;

        public void Killed(string command) => Interlocked.Increment(ref command == "ADD" ? ref _adds : ref _dels);

        /// <summary>Counts the state a killed DEL must not leave for good: a reservation whose pool entry is gone.</summary>
        public void Observe(KubeCluster cluster, string container)
        {
            if (cluster.Reservations().Any(r => r.ContainerId == container) && !cluster.Allocations().Any(a => a.ContainerId == container))
            {
                Interlocked.Increment(ref _orphans);
            }
        }
    }
}

/// <summary><see cref="KubernetesKillTests"/>, the plugin serving each call itself.</summary>
public sealed class KubernetesKillDirectTests() : KubernetesKillTests(ClusterMode.Direct);

/// <summary><see cref="KubernetesKillTests"/>, the plugin asking a node agent.</summary>
public sealed class KubernetesKillAgentTests() : KubernetesKillTests(ClusterMode.Agent);
