using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Whereabouts.Controller.Kube;
using Whereabouts.Controller.Leases;
using Whereabouts.Controller.Metrics;
using Whereabouts.Controller.Tests.Reconcile;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Controller.Tests.Metrics;

/// <summary>Only the replica holding the pool-metrics Lease lists the pools and publishes their series.</summary>
public sealed class PoolUsageRefresherTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly List<ControllerMetrics> _metrics = [];
    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        _cluster.Nad("default", "net1", """{"cniVersion":"0.3.1","name":"net1","type":"macvlan","ipam":{"type":"whereabouts","range":"10.7.0.0/24","exclude":["10.7.0.0/25"]}}""");
        _cluster.Pool("10.7.0.0-24", "10.7.0.0/24", new Alloc("200", "c", "default/web"));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var metrics in _metrics)
        {
            metrics.Dispose();
        }

        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task TwoReplicas_OnlyTheLeaseHolderListsAndPublishes()
    {
        var (a, metricsA) = Replica("node-a");
        var (b, metricsB) = Replica("node-b");

        await a.RefreshOnceAsync(TestContext.Current.CancellationToken);
        await b.RefreshOnceAsync(TestContext.Current.CancellationToken);
        await a.RefreshOnceAsync(TestContext.Current.CancellationToken);
        await b.RefreshOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal((true, false), (a.Publishing, b.Publishing));
        Assert.Equal(2, _cluster.Server.Counters.Get("list", "ippools"));
        const string Series = "whereabouts_allocations_free{pool=\"10.7.0.0-24\",namespace=\"kube-system\"}";
        Assert.Equal(126, MetricsText.Value(await ExportAsync(metricsA), Series));
        Assert.Null(MetricsText.Value(await ExportAsync(metricsB), Series));
    }

    [Fact]
    public async Task HolderStops_AnotherTakesOverAfterTheLeaseRunsOut()
    {
        var (a, metricsA) = Replica("node-a");
        var (b, metricsB) = Replica("node-b");
        await a.RefreshOnceAsync(TestContext.Current.CancellationToken);
        await b.RefreshOnceAsync(TestContext.Current.CancellationToken);

        _clock.Advance(TimeSpan.FromSeconds(91));
        await b.RefreshOnceAsync(TestContext.Current.CancellationToken);
        await a.RefreshOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal((false, true), (a.Publishing, b.Publishing));
        Assert.DoesNotContain("pool=", await ExportAsync(metricsA), StringComparison.Ordinal);
        Assert.Contains("pool=\"10.7.0.0-24\"", await ExportAsync(metricsB), StringComparison.Ordinal);
    }

    private (PoolUsageRefresher Refresher, ControllerMetrics Metrics) Replica(string node)
    {
        var connection = _cluster.Connect();
        var metrics = new ControllerMetrics();
        _metrics.Add(metrics);
        var lease = new LeaseLock(connection, TestCluster.Namespace, PoolUsageRefresher.LeaseName, node, TimeSpan.FromSeconds(90), _clock);
        var refresher = new PoolUsageRefresher(
            new WhereaboutsClient(connection), new ClusterApi(connection), TestCluster.Namespace, lease, metrics, TimeSpan.FromSeconds(30), _clock, NullLogger.Instance);
        return (refresher, metrics);
    }

    private static Task<string> ExportAsync(ControllerMetrics metrics) => MetricsText.ExportAsync(metrics);
}
