namespace Whereabouts.Ipam.Tests;

[Collection(nameof(ProcessWideMetrics))]
public sealed class IpamMetricsTests : IAsyncDisposable
{
    private static readonly Core.Config.IpamConfig TwoRanges = Configs.Of("10.0.0.0/29", "10.1.0.0/30");

    private readonly FakeIpamStore _store = new();

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task AllocateAsync_TwoRanges_CountsTwoAllocationsAndOneDuration()
    {
        using var metrics = new MetricsRecorder();

        await Services.Over(_store).AllocateAsync(new AllocationRequest(TwoRanges, Pod(1)), CancellationToken.None);

        Assert.Equal(2, metrics.Total(IpamMetrics.Allocations.Name));
        Assert.Equal(1, metrics.Count(IpamMetrics.AllocationDuration.Name));
        Assert.Equal(0, metrics.Total(IpamMetrics.AllocationFailures.Name));
    }

    [Fact]
    public async Task AllocateAsync_Conflicts_CountsConflictsAndRetries()
    {
        using var metrics = new MetricsRecorder();
        _store.Pools.ForceConflicts(3);
        _store.FailNext(FakeOperation.CreateReservation, () => new StoreUnavailableException("busy"));

        await Services.Over(_store).AllocateAsync(new AllocationRequest(TwoRanges, Pod(1)), CancellationToken.None);

        Assert.Equal(3, metrics.Total(IpamMetrics.Conflicts.Name));
        Assert.Equal(4, metrics.Total(IpamMetrics.Retries.Name));
    }

    [Fact]
    public async Task AllocateAsync_Fails_CountsOneFailureAndNoAllocation()
    {
        using var metrics = new MetricsRecorder();
        _store.FailNext(FakeOperation.GetOrCreatePool, () => new StoreAccessDeniedException("denied"));

        await Assert.ThrowsAsync<StoreAccessDeniedException>(
            () => Services.Over(_store).AllocateAsync(new AllocationRequest(TwoRanges, Pod(1)), CancellationToken.None));

        Assert.Equal(1, metrics.Total(IpamMetrics.AllocationFailures.Name));
        Assert.Equal(0, metrics.Total(IpamMetrics.Allocations.Name));
    }

    [Fact]
    public async Task ReleaseAsync_CountsReleasedAddressesAndFailedRanges()
    {
        var service = Services.Over(_store);
        await service.AllocateAsync(new AllocationRequest(TwoRanges, Pod(1)), CancellationToken.None);
        await service.AllocateAsync(new AllocationRequest(TwoRanges, Pod(2)), CancellationToken.None);
        using var metrics = new MetricsRecorder();

        await service.DelAsync(TwoRanges, Pod(1));
        _store.FailNext(FakeOperation.GetPool, () => new StoreAccessDeniedException("denied"));
        await Assert.ThrowsAsync<ReleaseFailedException>(() => service.DelAsync(TwoRanges, Pod(2)));

        Assert.Equal(3, metrics.Total(IpamMetrics.Releases.Name));
        Assert.Equal(1, metrics.Total(IpamMetrics.ReleaseFailures.Name));
    }

    [Fact]
    public async Task AddAndDel_EachRecordOneDurationWhetherTheySucceedOrNot()
    {
        var service = Services.Over(_store);
        using var metrics = new MetricsRecorder();

        await service.AllocateAsync(new AllocationRequest(TwoRanges, Pod(1)), CancellationToken.None);
        _store.FailNext(FakeOperation.GetOrCreatePool, () => new StoreAccessDeniedException("denied"));
        await Assert.ThrowsAsync<StoreAccessDeniedException>(
            () => service.AllocateAsync(new AllocationRequest(TwoRanges, Pod(2)), CancellationToken.None));
        await service.DelAsync(TwoRanges, Pod(1));

        Assert.Equal(2, metrics.Count(IpamMetrics.AddDuration.Name));
        Assert.Equal(1, metrics.Count(IpamMetrics.AllocationDuration.Name));
        Assert.Equal(1, metrics.Count(IpamMetrics.DelDuration.Name));
    }
}
