using System.Net;
using Whereabouts.Controller.Tests.NodeController;
using Whereabouts.Controller.Tests.Reconcile;

namespace Whereabouts.Controller.Tests.Metrics;

/// <summary>/metrics of a running node controller: pool usage from the cluster, and garbage collection as it happens.</summary>
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private NodeHarness _node = null!;

    public async ValueTask InitializeAsync() => _node = await NodeHarness.CreateAsync();

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Metrics_PoolsAndAPodDeletion_Published()
    {
        _node.Cluster.Nad(
            "default",
            "net1",
            """{"cniVersion":"0.3.1","name":"net1","type":"macvlan","ipam":{"type":"whereabouts","range":"10.5.0.0/24","gateway":"10.5.0.1","range_start":"10.5.0.2","range_end":"10.5.0.100"}}""");
        _node.Cluster.Pool("10.5.0.0-24", "10.5.0.0/24", new Alloc("7", "c-web", "default/web-1"), new Alloc("8", "c-other", "default/other"));
        _node.Cluster.Reservation("10.5.0.7", "default/web-1");
        _node.Pod("default/web-1", "net1");
        await _node.StartAsync();
        const string Pool = "{namespace=\"kube-system\",pool=\"10.5.0.0-24\",range=\"10.5.0.0/24\"}";
        await Eventually.TrueAsync(async () => MetricsText.Value((await _node.GetAsync("metrics")).Body, "whereabouts_ipam_allocations_in_use" + Pool) == 2, "no pool metrics");

        _node.Cluster.RemovePod("default/web-1");

        // The pool is written before the release is counted and leaves the queue: wait for all three.
        await Eventually.TrueAsync(
            async () =>
            {
                var body = (await _node.GetAsync("metrics")).Body;
                return MetricsText.Value(body, "whereabouts_ipam_allocations_in_use" + Pool) == 1
                    && MetricsText.Value(body, "whereabouts_ip_gc_counts{trigger=\"pod-deleted\",object=\"reservation\"}") == 1
                    && MetricsText.Value(body, "whereabouts_pod_release_queue_length") == 0;
            },
            "the pool metrics did not follow");
        var (status, text) = await _node.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, status);
        const string Usage = "{pool=\"10.5.0.0-24\",namespace=\"kube-system\"}";
        Assert.Equal(98, MetricsText.Value(text, "whereabouts_allocations_free" + Usage));
        Assert.Equal(1 / 99d, MetricsText.Value(text, "whereabouts_pool_usage_ratio" + Usage));
        Assert.Equal(99, MetricsText.Value(text, "whereabouts_ipam_ippool_size" + Pool));
        Assert.Equal(1, MetricsText.Value(text, "whereabouts_leaks_found_total{reason=\"pod-deleted\"}"));
        Assert.Equal(1, MetricsText.Value(text, "whereabouts_leaks_released_total{reason=\"pod-deleted\"}"));
        Assert.Equal(1, MetricsText.Value(text, "whereabouts_ip_gc_counts{trigger=\"pod-deleted\",object=\"allocation\"}"));
        Assert.Equal(1, MetricsText.Value(text, "whereabouts_ip_gc_counts{trigger=\"pod-deleted\",object=\"reservation\"}"));
        Assert.Equal(0, MetricsText.Value(text, "whereabouts_pod_release_queue_length"));
        Assert.NotNull(MetricsText.Value(text, "whereabouts_ipam_release_counts"));
    }

    [Fact]
    public async Task Metrics_PortZero_ServesNothingButTheControllerRuns()
    {
        _node.MetricsPortOverride = 0;
        _node.WhereaboutsNetwork("default", "net1", "10.5.0.0/24");
        _node.Cluster.Pool("10.5.0.0-24", "10.5.0.0/24", new Alloc("7", "c-web", "default/web-1"));
        var uid = _node.Pod("default/web-1", "net1");

        await _node.StartAsync();
        Assert.Equal(0, (int)(await _node.GetAsync("healthz")).Status);
        await Eventually.TrueAsync(() => Task.FromResult(_node.State().Contains(uid, StringComparison.Ordinal)), "the controller never tracked the pod");
        _node.Cluster.RemovePod("default/web-1");

        await Eventually.TrueAsync(() => Task.FromResult(_node.Cluster.Allocations("10.5.0.0-24").Count == 0), "the controller did not release the deleted pod's address");
    }

    [Fact]
    public async Task Metrics_ContentType_PrometheusText()
    {
        await _node.StartAsync();
        using var http = new HttpClient { BaseAddress = _node.MetricsAddress };

        using var response = await http.GetAsync(new Uri("metrics", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }
}
