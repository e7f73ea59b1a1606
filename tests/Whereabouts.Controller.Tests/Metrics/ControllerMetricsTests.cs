using Whereabouts.Controller.Inventory;
using Whereabouts.Controller.Metrics;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Stores;
using Whereabouts.Controller.Tests.Reconcile;
using Whereabouts.Ipam;

namespace Whereabouts.Controller.Tests.Metrics;

public sealed class ControllerMetricsTests : IDisposable
{
    private const string Labels = "{namespace=\"kube-system\",pool=\"10.5.0.0-24\",range=\"10.5.0.0/24\"}";
    private const string UsageLabels = "{pool=\"10.5.0.0-24\",namespace=\"kube-system\"}";

    private readonly ControllerMetrics _metrics = new();

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task SetPools_ThenAPoolGoes_SeriesFollow()
    {
        _metrics.SetPools([Usage("10.5.0.0-24", "10.5.0.0/24", 2), Usage("gone", "10.6.0.0/24", 0)]);
        var text = await ExportAsync();

        Assert.Equal(2, MetricsText.Value(text, "whereabouts_ipam_allocations_in_use" + Labels));
        Assert.Equal(252, MetricsText.Value(text, "whereabouts_allocations_free" + UsageLabels));
        Assert.Equal(2 / 254d, MetricsText.Value(text, "whereabouts_pool_usage_ratio" + UsageLabels));
        Assert.Equal(254, MetricsText.Value(text, "whereabouts_ipam_ippool_size" + Labels));
        Assert.Contains("pool=\"gone\"", text, StringComparison.Ordinal);

        _metrics.SetPools([Usage("10.5.0.0-24", "10.5.0.0/24", 3)]);
        text = await ExportAsync();

        Assert.Equal(3, MetricsText.Value(text, "whereabouts_ipam_allocations_in_use" + Labels));
        Assert.Equal(251, MetricsText.Value(text, "whereabouts_allocations_free" + UsageLabels));
        Assert.DoesNotContain("pool=\"gone\"", text, StringComparison.Ordinal);

        _metrics.SetPools([]);
        Assert.DoesNotContain("pool=", await ExportAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordLeaks_FoundAndReleasedByReason()
    {
        var text = await ExportAsync();
        Assert.All(ControllerMetrics.LeakReasons, r => Assert.Equal(0, MetricsText.Value(text, $"whereabouts_leaks_found_total{{reason=\"{r}\"}}")));

        _metrics.RecordLeaks(LeakReason.PodGone, 3, 2);
        text = await ExportAsync();

        Assert.Equal(3, MetricsText.Value(text, "whereabouts_leaks_found_total{reason=\"pod-gone\"}"));
        Assert.Equal(2, MetricsText.Value(text, "whereabouts_leaks_released_total{reason=\"pod-gone\"}"));
        Assert.Equal("counter", MetricsText.Types(text)["whereabouts_leaks_found_total"]);
    }

    [Fact]
    public async Task ApiErrorsAndAddDelDurations_PublishedWithTheirLabels()
    {
        var before = MetricsText.Value(await ExportAsync(), "whereabouts_api_errors_total{code=\"503\"}") ?? 0;

        IpamMetrics.RecordApiError("503");
        IpamMetrics.AddDuration.Record(0.02);
        IpamMetrics.DelDuration.Record(0.3);
        var text = await ExportAsync();

        Assert.Equal(before + 1, MetricsText.Value(text, "whereabouts_api_errors_total{code=\"503\"}"));
        var types = MetricsText.Types(text);
        Assert.Equal(("counter", "histogram", "histogram"), (types["whereabouts_api_errors_total"], types["whereabouts_add_duration_seconds"], types["whereabouts_del_duration_seconds"]));
        Assert.True(MetricsText.Value(text, "whereabouts_del_duration_seconds_bucket{le=\"0.5\"}") >= 1);
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
    public void PoolUsage_NoNetworkDefinition_WholeRangeUsable(string range, double size)
    {
        var usage = Usage("p", range, 1);

        Assert.Equal((size, 1, Math.Max(0, size - 1)), ((double)usage.Capacity, usage.Allocated, (double)usage.Free));
    }

    private static PoolUsage Usage(string name, string range, int allocations)
    {
        var cidr = Cidr.Parse(range);
        var entries = Enumerable.Range(1, allocations).ToDictionary(i => (UInt128)i, i => new PoolAllocation("c" + i, "a/b" + i, "net1"));
        return PoolUsage.From("kube-system", new PoolSnapshot(new PoolKey(name, cidr.Masked), cidr.Address, "1", entries), NetworkDirectory.Empty);
    }

    private Task<string> ExportAsync() => MetricsText.ExportAsync(_metrics);
}
