using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Controller.Kube;
using Whereabouts.Controller.Leases;
using Whereabouts.Controller.Metrics;
using Whereabouts.Controller.NodeSlices;
using Whereabouts.Controller.Reconcile;
using Whereabouts.Controller.Tests.NodeController;
using Whereabouts.Controller.Tests.Reconcile;
using Whereabouts.Storage.Kubernetes.Api;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Controller.Tests.NodeSlices;

/// <summary>
/// Several replicas of <c>run</c>: only the one holding the Lease watches and runs slice passes, and another takes over
/// when it stops. The resync is an hour long, so every pass here was caused by a watch.
/// </summary>
public sealed class NodeSliceControllerTests : IAsyncLifetime
{
    /// <summary>
    /// Long enough that a replica starved by a loaded machine does not lose the Lease, which would start its watches and
    /// passes over and break the exact counts these tests check.
    /// </summary>
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    /// <summary>The takeover test's Lease: a stopped holder does not give it back, so the next one waits for it to expire.</summary>
    private static readonly TimeSpan TakeoverLeaseDuration = TimeSpan.FromSeconds(5);

    private static readonly NodeSliceSettings Settings = new()
    {
        Resync = TimeSpan.FromHours(1),
        RenewInterval = TimeSpan.FromMilliseconds(200),
        WatchTimeout = TimeSpan.FromSeconds(30),
        Retry = new RetryPolicy(int.MaxValue, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(300)),
    };

    private readonly ControllerMetrics _metrics = new();
    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await TestCluster.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _metrics.Dispose();
        await _cluster.DisposeAsync();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private NodeSliceWatches Watches(KubernetesConnection connection) =>
        new(new ClusterApi(connection), new WhereaboutsClient(connection), TestCluster.Namespace, Settings, TimeProvider.System, NullLogger.Instance);

    private NodeSliceController Replica(string node, NodeSliceWatches watches, Func<CancellationToken, Task<int>> pass, TimeSpan? leaseDuration = null) =>
        new(
            new LeaseLock(_cluster.Connect(), TestCluster.Namespace, NodeSliceController.LeaseName, node, leaseDuration ?? LeaseDuration, TimeProvider.System),
            watches,
            pass,
            Settings,
            TimeProvider.System,
            NullLogger.Instance);

    /// <summary>A replica whose passes are real, counted in <paramref name="passes"/>[0].</summary>
    private NodeSliceController RealReplica(string node, int[] passes) => RealReplica(node, passes, Watches(_cluster.Connect()));

    private NodeSliceController RealReplica(string node, int[] passes, NodeSliceWatches watches)
    {
        var connection = _cluster.Connect();
        var api = new ClusterApi(connection);
        var pass = new NodeSlicePass(
            api,
            new WhereaboutsClient(connection),
            TestCluster.Namespace,
            new NodeSliceEvents(api, node, TimeProvider.System, NullLogger.Instance),
            _metrics.NodeSlices,
            NullLogger.Instance,
            watches.Writing);
        return Replica(
            node,
            watches,
            async ct =>
            {
                var written = await pass.RunAsync(ct);
                Interlocked.Increment(ref passes[0]);
                return written;
            });
    }

    private void SlicedNad(string name, string range) =>
        _cluster.Nad(TestCluster.Namespace, name, $$$"""{"cniVersion":"0.3.1","name":"{{{name}}}","type":"macvlan","ipam":{"type":"whereabouts","range":"{{{range}}}","node_slice_size":"/26"}}""");

    private List<string> Assigned(string pool = "slicenet") =>
        _cluster.Store.Get("nodeslicepools", TestCluster.Namespace, pool) is { } found
            ? [.. found["status"]!["allocations"]!.AsArray().Select(static a => (string)a!["nodeName"]!).Where(static n => n.Length > 0)]
            : [];

    private static async Task StopAsync(CancellationTokenSource stop, Task loop)
    {
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
        stop.Dispose();
    }

    /// <summary>One replica per element of <paramref name="passes"/>, named node-0, node-1, …, whose passes only count there.</summary>
    private (NodeSliceController[] Replicas, CancellationTokenSource[] Stops, Task[] Loops) StartCounting(int[] passes, TimeSpan? leaseDuration = null)
    {
        var stops = passes.Select(_ => CancellationTokenSource.CreateLinkedTokenSource(Token)).ToArray();
        var replicas = Enumerable.Range(0, passes.Length)
            .Select(i => Replica($"node-{i}", Watches(_cluster.Connect()), _ => Task.FromResult(Interlocked.Increment(ref passes[i])), leaseDuration))
            .ToArray();
        return (replicas, stops, [.. replicas.Select((r, i) => r.RunAsync(stops[i].Token))]);
    }

    /// <summary>Stops every replica and waits for each, whichever way it ended.</summary>
    private static async Task StopAllAsync(CancellationTokenSource[] stops, Task[] loops)
    {
        foreach (var stop in stops)
        {
            await stop.CancelAsync();
            stop.Dispose();
        }

        await Task.WhenAll(loops.Select(static l => l.ContinueWith(static _ => { }, TaskScheduler.Default)));
    }

    /// <summary>Network slicenet and node a, and a leader with real passes, running once a has its slice.</summary>
    private async Task<(int[] Passes, CancellationTokenSource Stop, Task Loop, NodeSliceWatches Watches)> LeadWithNodeAAsync()
    {
        SlicedNad("slicenet", "10.4.0.0/24");
        _cluster.Store.CreateNode("a");
        var passes = new int[1];
        var watches = Watches(_cluster.Connect());
        var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var loop = RealReplica("a", passes, watches).RunAsync(stop.Token);
        await Eventually.TrueAsync(() => Assigned().Contains("a"), "node a got no slice");
        return (passes, stop, loop, watches);
    }

    [Fact]
    public async Task ThreeReplicas_OnlyTheLeaseHolderRunsPasses_AnotherTakesOverWhenItStops()
    {
        var passes = new int[3];
        var (replicas, stops, loops) = StartCounting(passes, TakeoverLeaseDuration);
        try
        {
            await Eventually.TrueAsync(() => replicas.Count(static r => r.IsLeader) == 1, "no replica took the Lease");
            var leader = Array.FindIndex(replicas, static r => r.IsLeader);
            await Eventually.TrueAsync(() => passes[leader] >= 1, "the leader ran no first pass");
            var before = passes[leader];
            _cluster.Store.CreateNode("joined");
            await Eventually.TrueAsync(() => passes[leader] == before + 1, "the leader ran no pass for the new node");

            Assert.Equal(1, replicas.Count(static r => r.IsLeader));
            Assert.All(Enumerable.Range(0, 3).Where(i => i != leader), i => Assert.Equal(0, passes[i]));
            Assert.Equal($"node-{leader}", (string?)_cluster.Store.Get("leases", TestCluster.Namespace, NodeSliceController.LeaseName)!["spec"]!["holderIdentity"]);

            await stops[leader].CancelAsync();
            await Eventually.TrueAsync(() => replicas.Count(static r => r.IsLeader) == 1 && !replicas[leader].IsLeader, "nobody took over", TakeoverLeaseDuration * 6);
            var next = Array.FindIndex(replicas, static r => r.IsLeader);
            await Eventually.TrueAsync(() => passes[next] >= 1, "the new leader ran no pass");
        }
        finally
        {
            await StopAllAsync(stops, loops);
        }
    }

    [Fact]
    public async Task Leader_StoppedGracefully_HandsTheLeaseOverBeforeItWouldExpire()
    {
        var passes = new int[2];
        var (replicas, stops, loops) = StartCounting(passes);
        try
        {
            await Eventually.TrueAsync(() => replicas.Count(static r => r.IsLeader) == 1, "no replica took the Lease");
            var leader = Array.FindIndex(replicas, static r => r.IsLeader);

            await stops[leader].CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loops[leader]);

            // The Lease lasts 30 s and the other replica tries every 10 s: taking it within 15 s needs the release.
            Assert.NotEqual($"node-{leader}", (string?)_cluster.Store.Get("leases", TestCluster.Namespace, NodeSliceController.LeaseName)!["spec"]!["holderIdentity"]);
            await Eventually.TrueAsync(() => replicas[1 - leader].IsLeader, "the other replica did not take the released Lease", TimeSpan.FromSeconds(15));
        }
        finally
        {
            await StopAllAsync(stops, loops);
        }
    }

    [Fact]
    public async Task Leader_NodeCreatedAfterStart_GetsItsSliceFromTheWatch()
    {
        var (_, stop, loop, _) = await LeadWithNodeAAsync();
        _cluster.Store.CreateNode("b");
        await Eventually.TrueAsync(() => Assigned().Contains("b"), "node b got no slice");

        await StopAsync(stop, loop);
    }

    [Fact]
    public async Task Leader_NadCreatedAfterStart_GetsItsNodeSlicePool()
    {
        _cluster.Store.CreateNode("a");
        _cluster.Store.CreateNode("b");
        var passes = new int[1];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var loop = RealReplica("a", passes).RunAsync(stop.Token);
        await Eventually.TrueAsync(() => passes[0] >= 1, "no first pass");

        SlicedNad("latenet", "10.7.0.0/24");

        await Eventually.TrueAsync(() => Assigned("latenet").Order(StringComparer.Ordinal).SequenceEqual(["a", "b"]), "the new network got no NodeSlicePool with both nodes");
        await StopAsync(stop, loop);
    }

    [Fact]
    public async Task Leader_NodeSlicePoolDeletedByHand_IsCreatedAgainWithEveryNode()
    {
        var (_, stop, loop, _) = await LeadWithNodeAAsync();
        var uid = (string)_cluster.Store.Get("nodeslicepools", TestCluster.Namespace, "slicenet")!["metadata"]!["uid"]!;

        Assert.True(_cluster.Store.Delete("nodeslicepools", TestCluster.Namespace, "slicenet"));

        await Eventually.TrueAsync(
            () => Assigned().Contains("a") && (string)_cluster.Store.Get("nodeslicepools", TestCluster.Namespace, "slicenet")!["metadata"]!["uid"]! != uid,
            "the NodeSlicePool was not created again");
        await StopAsync(stop, loop);
    }

    [Fact]
    public async Task Leader_OwnWrites_AreNoChanges()
    {
        var (passes, stop, loop, watches) = await LeadWithNodeAAsync();
        _cluster.Store.CreateNode("b");
        await Eventually.TrueAsync(() => Assigned().Contains("b"), "node b got no slice");

        // The sentinel comes on the NodeSlicePool watch after the echoes of every write of the passes (one watch
        // delivers in commit order), and the pass does not touch a NodeSlicePool without a network.
        _cluster.Store.Create("nodeslicepools", System.Text.Json.Nodes.JsonNode.Parse("""
            {"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"NodeSlicePool","metadata":{"name":"sentinel","namespace":"kube-system"},"spec":{"range":"10.9.0.0/24","sliceSize":"/26"}}
            """)!.AsObject());
        await Eventually.TrueAsync(() => passes[0] == 3, "no pass for the sentinel");

        // Three first lists, node b and the sentinel; neither the creation of slicenet nor b's assignment.
        Assert.Equal(5, watches.Progress.Changes);
        Assert.Equal(3, passes[0]);
        await StopAsync(stop, loop);
    }

    [Fact]
    public async Task Leader_WatchCutByTheServer_ResumesFromItsVersionAndSeesTheNodeCreatedMeanwhile()
    {
        var (passes, stop, loop, _) = await LeadWithNodeAAsync();
        var watches = _cluster.Server.Counters.Get("watch", "nodes", 200);

        _cluster.Faults.Pause(OutageMode.Refuse);
        _cluster.Store.CreateNode("b");
        _cluster.Faults.Resume();

        await Eventually.TrueAsync(() => Assigned().Contains("b"), "node b got no slice after the outage");
        Assert.True(_cluster.Server.Counters.Get("watch", "nodes", 200) > watches, "the node watch was not opened again");

        // Every node list but one was a pass's: the watch resumed without listing again.
        await Eventually.TrueAsync(() => _cluster.Server.Counters.Get("list", "nodes", 200) == passes[0] + 1, "the watch listed the nodes again");
        await StopAsync(stop, loop);
    }

    [Fact]
    public async Task Leader_WatchVersionCompactedAway_ListsAgainAndSeesTheNodeCreatedMeanwhile()
    {
        var (passes, stop, loop, _) = await LeadWithNodeAAsync();

        _cluster.Faults.Pause(OutageMode.Refuse);
        _cluster.Store.CreateNode("b");
        _cluster.Store.Compact();
        _cluster.Faults.Resume();

        await Eventually.TrueAsync(() => Assigned().Contains("b"), "node b got no slice after the 410");
        Assert.True(_cluster.Server.Counters.Get("list", "nodes", 200) >= passes[0] + 2, "the nodes were not listed again");
        await StopAsync(stop, loop);
    }

    [Fact]
    public async Task Leader_ChangesWhileAPassRuns_MakeExactlyOneMorePass()
    {
        var starts = new List<long>();
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var block = false;
        var watches = Watches(_cluster.Connect());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var loop = Replica(
            "a",
            watches,
            async ct =>
            {
                lock (starts)
                {
                    starts.Add(watches.Progress.Changes);
                }

                if (Volatile.Read(ref block))
                {
                    await blocked.Task.WaitAsync(ct);
                }

                return 0;
            }).RunAsync(stop.Token);
        int Passes()
        {
            lock (starts)
            {
                return starts.Count;
            }
        }

        await Eventually.TrueAsync(() => Passes() == 1, "no first pass");
        var listed = watches.Progress.Changes;
        Volatile.Write(ref block, true);
        _cluster.Store.CreateNode("x");
        await Eventually.TrueAsync(() => Passes() == 2, "no pass for node x");

        // While that pass hangs: two more nodes, and a change no pass reads (a label), which must count for nothing.
        _cluster.Store.CreateNode("y");
        _cluster.Store.CreateNode("z");
        _cluster.Store.Update("nodes", null, "x", static n => n["metadata"]!["labels"] = new System.Text.Json.Nodes.JsonObject { ["role"] = "edge" });
        await Eventually.TrueAsync(() => watches.Progress.Changes == listed + 3, "the watch did not report y and z");
        Volatile.Write(ref block, false);
        blocked.SetResult();
        await Eventually.TrueAsync(() => Passes() == 3, "no pass after the hanging one");

        // The sentinel: had y and z made a pass each, the pass that sees it would be the fifth.
        _cluster.Store.CreateNode("sentinel");
        await Eventually.TrueAsync(() => { lock (starts) { return starts.Any(c => c == listed + 4); } }, "no pass for the sentinel");
        lock (starts)
        {
            Assert.Equal(4, starts.Count);
            Assert.Equal(listed + 4, starts[3]);
        }

        await StopAsync(stop, loop);
    }
}
