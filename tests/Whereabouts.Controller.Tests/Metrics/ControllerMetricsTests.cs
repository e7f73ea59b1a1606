using Whereabouts.Controller.Metrics;
using Whereabouts.Controller.Tests.Reconcile;
using Whereabouts.Ipam;

namespace Whereabouts.Controller.Tests.Metrics;

public sealed class ControllerMetricsTests : IDisposable
{
    private const string Labels = "{namespace=\"kube-system\",pool=\"10.5.0.0-24\",range=\"10.5.0.0/24\"}";

    private readonly ControllerMetrics _metrics = new();

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task SetPools_ThenAPoolGoes_SeriesFollow()
    {
        _metrics.SetPools([new PoolUsage("kube-system", "10.5.0.0-24", "10.5.0.0/24", 254, 2), new PoolUsage("kube-system", "gone", "10.6.0.0/24", 254, 0)]);
        var text = await ExportAsync();

        Assert.Equal(2, MetricsText.Value(text, "whereabouts_ipam_allocations_in_use" + Labels));
        Assert.Equal(252, MetricsText.Value(text, "whereabouts_ipam_allocations_free" + Labels));
        Assert.Equal(254, MetricsText.Value(text, "whereabouts_ipam_ippool_size" + Labels));
        Assert.Contains("pool=\"gone\"", text, StringComparison.Ordinal);

        _metrics.SetPools([new PoolUsage("kube-system", "10.5.0.0-24", "10.5.0.0/24", 254, 3)]);
        text = await ExportAsync();

        Assert.Equal(3, MetricsText.Value(text, "whereabouts_ipam_allocations_in_use" + Labels));
        Assert.DoesNotContain("pool=\"gone\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_GarbageCollectionAndReconcile_Counted()
    {
        var text = await ExportAsync();
        Assert.Equal(0, MetricsText.Value(text, "whereabouts_ip_gc_counts{trigger=\"reconcile\",object=\"reservation\"}"));
        Assert.Equal(0, MetricsText.Value(text, "whereabouts_reconcile_counts{result=\"failed\"}"));

        _metrics.RecordCollected(ControllerMetrics.TriggerPodDeleted, 2, 1);
        _metrics.RecordCollectionFailure(ControllerMetrics.TriggerPodDeleted);
        _metrics.RecordReconcile("partial", TimeSpan.FromSeconds(3));
        _metrics.SetQueueLength(4);
        text = await ExportAsync();

        Assert.Equal(2, MetricsText.Value(text, "whereabouts_ip_gc_counts{trigger=\"pod-deleted\",object=\"allocation\"}"));
        Assert.Equal(1, MetricsText.Value(text, "whereabouts_ip_gc_counts{trigger=\"pod-deleted\",object=\"reservation\"}"));
        Assert.Equal(1, MetricsText.Value(text, "whereabouts_ip_gc_failure_counts{trigger=\"pod-deleted\"}"));
        Assert.Equal(1, MetricsText.Value(text, "whereabouts_reconcile_counts{result=\"partial\"}"));
        Assert.Equal(1, MetricsText.Value(text, "whereabouts_reconcile_duration_seconds_bucket{le=\"5\"}"));
        Assert.Equal(0, MetricsText.Value(text, "whereabouts_reconcile_duration_seconds_bucket{le=\"2.5\"}"));
        Assert.Equal(4, MetricsText.Value(text, "whereabouts_pod_release_queue_length"));
    }

    [Fact]
    public async Task IpamMeter_PublishedUnderItsOwnNamesAndTypes()
    {
        var before = MetricsText.Value(await ExportAsync(), "whereabouts_ipam_release_counts") ?? double.NaN;

        IpamMetrics.Releases.Add(3);
        IpamMetrics.AllocationDuration.Record(0.02);
        var text = await ExportAsync();

        Assert.Equal(before + 3, MetricsText.Value(text, "whereabouts_ipam_release_counts"));
        var types = MetricsText.Types(text);
        Assert.Equal("counter", types["whereabouts_ipam_allocation_update_ippool_conflict_counts"]);
        Assert.Equal("histogram", types["whereabouts_ipam_allocation_duration_seconds"]);
        Assert.DoesNotContain(types.Keys, k => k.StartsWith("whereabouts_ipam_whereabouts", StringComparison.Ordinal) || k.StartsWith("process_", StringComparison.Ordinal) || k.StartsWith("dotnet_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Readme_DocumentsEveryMetricWithItsType()
    {
        var readme = File.ReadAllText(Path.Join(ChartRbac.RepositoryRoot(), "src", "Whereabouts.Controller", "Metrics", "README.md"));
        var types = MetricsText.Types(await ExportAsync());

        Assert.NotEmpty(types);
        Assert.All(types, t => Assert.Contains($"| `{t.Key}` | {t.Value} |", readme, StringComparison.Ordinal));
        Assert.Equal(types.Count, readme.Split('\n').Count(l => l.StartsWith("| `whereabouts_", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("10.5.0.0/24", 254)]
    [InlineData("10.5.0.7/24", 254)]
    [InlineData("10.5.0.0/30", 2)]
    [InlineData("10.5.0.0/31", 0)]
    [InlineData("fd00::/64", 18446744073709551614d)]
    public void PoolUsageOf_Range_UsableAddresses(string range, double size)
    {
        var pool = new Whereabouts.Storage.Kubernetes.Crds.IPPool
        {
            Metadata = new() { Name = "p", NamespaceProperty = "ns" },
            Spec = new() { Range = range, Allocations = new() { ["1"] = new() { Id = "c", PodRef = "a/b" } } },
        };

        var usage = PoolUsage.Of(pool)!;

        Assert.Equal((size, 1d, Math.Max(0, size - 1)), (usage.Size, usage.InUse, usage.Free));
    }

    [Fact]
    public void PoolUsageOf_UnreadableRange_Null() =>
        Assert.Null(PoolUsage.Of(new Whereabouts.Storage.Kubernetes.Crds.IPPool { Spec = new() { Range = "nope" } }));

    private async Task<string> ExportAsync()
    {
        using var buffer = new MemoryStream();
        await _metrics.ExportAsync(buffer, TestContext.Current.CancellationToken);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
