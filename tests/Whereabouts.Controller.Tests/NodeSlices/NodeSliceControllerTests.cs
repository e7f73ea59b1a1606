using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Controller.Kube;
using Whereabouts.Controller.Leases;
using Whereabouts.Controller.Metrics;
using Whereabouts.Controller.NodeSlices;
using Whereabouts.Controller.Tests.NodeController;
using Whereabouts.Controller.Tests.Reconcile;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Controller.Tests.NodeSlices;

/// <summary>Several replicas of <c>run</c>: only the one holding the Lease runs slice passes, and another takes over when it stops.</summary>
public sealed class NodeSliceControllerTests : IAsyncLifetime
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(2);

    private readonly ControllerMetrics _metrics = new();
    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await TestCluster.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _metrics.Dispose();
        await _cluster.DisposeAsync();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private NodeSliceController Replica(string node, Func<CancellationToken, Task<int>> pass) =>
        new(
            new LeaseLock(_cluster.Connect(), TestCluster.Namespace, NodeSliceController.LeaseName, node, LeaseDuration, TimeProvider.System),
            pass,
            TimeSpan.FromMilliseconds(50),
            TimeProvider.System,
            NullLogger.Instance);

    [Fact]
    public async Task ThreeReplicas_OnlyTheLeaseHolderRunsPasses_AnotherTakesOverWhenItStops()
    {
        var passes = new int[3];
        var stops = Enumerable.Range(0, 3).Select(_ => CancellationTokenSource.CreateLinkedTokenSource(Token)).ToArray();
        var replicas = Enumerable.Range(0, 3).Select(i => Replica($"node-{i}", _ => Task.FromResult(Interlocked.Increment(ref passes[i])))).ToArray();
        var loops = replicas.Select((r, i) => r.RunAsync(stops[i].Token)).ToArray();
        try
        {
            await Eventually.TrueAsync(() => replicas.Count(static r => r.IsLeader) == 1, "no replica took the Lease");
            var leader = Array.FindIndex(replicas, static r => r.IsLeader);
            var before = passes.ToArray();
            await Eventually.TrueAsync(() => passes[leader] >= before[leader] + 5, "the leader ran no passes");

            Assert.Equal(1, replicas.Count(static r => r.IsLeader));
            Assert.All(Enumerable.Range(0, 3).Where(i => i != leader), i => Assert.Equal(before[i], passes[i]));
            Assert.Equal($"node-{leader}", (string?)_cluster.Store.Get("leases", TestCluster.Namespace, NodeSliceController.LeaseName)!["spec"]!["holderIdentity"]);

            await stops[leader].CancelAsync();
            await Eventually.TrueAsync(() => replicas.Count(static r => r.IsLeader) == 1 && !replicas[leader].IsLeader, "nobody took over", TimeSpan.FromSeconds(15));
            var next = Array.FindIndex(replicas, static r => r.IsLeader);
            var taken = passes[next];
            await Eventually.TrueAsync(() => passes[next] > taken, "the new leader ran no passes");
        }
        finally
        {
            foreach (var stop in stops)
            {
                await stop.CancelAsync();
                stop.Dispose();
            }

            await Task.WhenAll(loops.Select(static l => l.ContinueWith(static _ => { }, TaskScheduler.Default)));
        }
    }

    [Fact]
    public async Task Leader_NodeJoins_GetsItsSliceWithinAFewPasses()
    {
        _cluster.Nad(TestCluster.Namespace, "slicenet", """{"cniVersion":"0.3.1","name":"slicenet","type":"macvlan","ipam":{"type":"whereabouts","range":"10.4.0.0/24","node_slice_size":"/26"}}""");
        _cluster.Store.CreateNode("a");
        var connection = _cluster.Connect();
        var api = new ClusterApi(connection);
        var pass = new NodeSlicePass(api, new WhereaboutsClient(connection), TestCluster.Namespace, new NodeSliceEvents(api, "a", TimeProvider.System, NullLogger.Instance), _metrics.NodeSlices, NullLogger.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var loop = Replica("a", pass.RunAsync).RunAsync(stop.Token);

        await Eventually.TrueAsync(() => Assigned().Contains("a"), "node a got no slice");
        _cluster.Store.CreateNode("b");
        await Eventually.TrueAsync(() => Assigned().Contains("b"), "node b got no slice");

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
    }

    private List<string> Assigned() =>
        _cluster.Store.Get("nodeslicepools", TestCluster.Namespace, "slicenet") is { } pool
            ? [.. pool["status"]!["allocations"]!.AsArray().Select(static a => (string)a!["nodeName"]!).Where(static n => n.Length > 0)]
            : [];
}
