namespace Whereabouts.Ipam.Tests;

/// <summary>DEL releases the container interface in every range, treats "nothing held" as success, and reports partial failures.</summary>
public sealed class IpamServiceReleaseTests : IAsyncDisposable
{
    private static readonly Core.Config.IpamConfig Config = Configs.Of("10.0.0.0/29", "10.1.0.0/29", "fd00::/125");

    private readonly FakeIpamStore _store = new();

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task ReleaseAsync_HeldInEveryRange_ReleasesEveryRangeAndItsReservations()
    {
        var service = Services.Over(_store);
        await service.AllocateAsync(new AllocationRequest(Config, Pod(1)), CancellationToken.None);
        await service.AllocateAsync(new AllocationRequest(Config, Pod(2)), CancellationToken.None);

        Assert.Equal(3, await service.DelAsync(Config, Pod(1)));

        Assert.All(_store.Pools.Entries(), e => Assert.Equal("ns/pod2", e.Allocation.PodRef));
        Assert.Equal(3, _store.Pools.Entries().Count);
        Assert.All(_store.Reservations.All(), r => Assert.Equal("ns/pod2", r.PodRef));
        Assert.Equal(3, _store.Reservations.All().Count);
    }

    [Fact]
    public async Task ReleaseAsync_NothingInTheFirstRange_StillReleasesTheLaterRanges()
    {
        var service = Services.Over(_store);
        await service.AllocateAsync(new AllocationRequest(Configs.Of("10.1.0.0/29"), Pod(1)), CancellationToken.None);
        await service.AllocateAsync(new AllocationRequest(Configs.Of("fd00::/125"), Pod(1)), CancellationToken.None);

        Assert.Equal(2, await service.DelAsync(Config, Pod(1)));

        Assert.Empty(_store.Pools.Entries());
        Assert.Empty(_store.Reservations.All());
    }

    [Fact]
    public async Task ReleaseAsync_NothingHeldAnywhere_SucceedsWithZeroAndWritesNothing()
    {
        var service = Services.Over(_store);
        await service.AllocateAsync(new AllocationRequest(Config, Pod(2)), CancellationToken.None);
        var writes = _store.CallCount(FakeOperation.UpdatePool);

        Assert.Equal(0, await service.DelAsync(Config, Pod(1)));
        Assert.Equal(0, await service.DelAsync(Configs.Of("192.168.0.0/24"), Pod(1)));

        Assert.Equal(writes, _store.CallCount(FakeOperation.UpdatePool));
        Assert.Equal(3, _store.Pools.Entries().Count);
    }

    [Fact]
    public async Task ReleaseAsync_MatchesContainerAndInterfaceNotPod()
    {
        var config = Configs.Of("10.0.0.0/29");
        var service = Services.Over(_store);
        await service.AddAsync(config, Pod(1, "net1", containerId: "old"));
        await service.AddAsync(config, Pod(1, "net1", containerId: "new"));
        await service.AddAsync(config, Pod(1, "net2", containerId: "new"));

        Assert.Equal(0, await service.DelAsync(config, Pod(1, "net1", containerId: "old")));
        Assert.Equal(1, await service.DelAsync(config, Pod(1, "net1", containerId: "new")));

        Assert.Equal("net2", Assert.Single(_store.Held(config)).Value.IfName);
    }

    [Fact]
    public async Task ReleaseAsync_DuplicateEntriesOfOneAttachment_RemovesThemAllInOneWrite()
    {
        var config = Configs.Of("10.0.0.0/29");
        var entry = new PoolAllocation("c1", "ns/pod1", "net1");
        _store.Pools.Seed(Services.KeyOf(config), new Dictionary<Ip, PoolAllocation>
        {
            [Ip.Parse("10.0.0.2")] = entry,
            [Ip.Parse("10.0.0.5")] = entry,
            [Ip.Parse("10.0.0.3")] = new("c2", "ns/pod2", "net1"),
        });
        var service = Services.Over(_store);

        Assert.Equal(2, await service.DelAsync(config, Pod(1)));

        Assert.Equal([Ip.Parse("10.0.0.3")], _store.Held(config).Keys);
        Assert.Equal(1, _store.CallCount(FakeOperation.UpdatePool));
    }

    [Fact]
    public async Task ReleaseAsync_OneRangeFailsForGood_ReleasesTheOthersAndReportsThatOne()
    {
        var service = Services.Over(_store);
        await service.AllocateAsync(new AllocationRequest(Config, Pod(1)), CancellationToken.None);
        var broken = Services.KeyOf(Config, 1).Name;
        _store.Pools.BeforeUpdate = (snapshot, _) => snapshot.Key.Name == broken ? throw new StoreAccessDeniedException("denied") : Task.CompletedTask;

        var error = await Assert.ThrowsAsync<ReleaseFailedException>(() => service.DelAsync(Config, Pod(1)));

        Assert.IsType<StoreAccessDeniedException>(Assert.Single(error.Failures));
        Assert.False(error.IsTransient);
        Assert.Contains("1 of 3", error.Message, StringComparison.Ordinal);
        Assert.Equal([broken], _store.Pools.Entries().Select(e => e.Pool));
        Assert.Equal(["10.1.0.1"], _store.Reservations.All().Select(r => r.Name));
    }

    [Fact]
    public async Task ReleaseAsync_OneRangeUnavailableUntilTheDeadline_ReleasesTheOthersAndFailsAsTransient()
    {
        var service = Services.Over(_store);
        await service.AllocateAsync(new AllocationRequest(Config, Pod(1)), CancellationToken.None);
        var broken = Services.KeyOf(Config, 1).Name;
        _store.Pools.BeforeUpdate = (snapshot, _) => snapshot.Key.Name == broken ? throw new StoreUnavailableException("overloaded") : Task.CompletedTask;
        var slow = Services.Over(_store, Services.Fast with { DelTimeout = TimeSpan.FromMilliseconds(300) });

        var error = await Assert.ThrowsAsync<ReleaseFailedException>(() => slow.DelAsync(Config, Pod(1)));

        Assert.True(error.IsTransient);
        Assert.IsType<StoreUnavailableException>(Assert.Single(error.Failures));
        Assert.Equal([broken], _store.Pools.Entries().Select(e => e.Pool));
    }

    [Fact]
    public async Task ReleaseAsync_PoolWriteFails_LeavesTheEntryAndItsReservationTogether()
    {
        var config = Configs.Of("10.0.0.0/29");
        var service = Services.Over(_store);
        await service.AddAsync(config, Pod(1));
        _store.FailNext(FakeOperation.UpdatePool, () => new StoreAccessDeniedException("denied"));

        await Assert.ThrowsAsync<ReleaseFailedException>(() => service.DelAsync(config, Pod(1)));

        Assert.Single(_store.Held(config));
        Assert.Equal("ns/pod1", _store.Reservations.Peek("10.0.0.1")?.PodRef);
        Assert.Equal(0, _store.CallCount(FakeOperation.DeleteReservation));

        Assert.Equal(1, await service.DelAsync(config, Pod(1)));
        Assert.Empty(_store.Pools.Entries());
        Assert.Empty(_store.Reservations.All());
    }

    [Fact]
    public async Task ReleaseAsync_ReservationAlreadyGone_StillReleasesThePoolEntry()
    {
        var config = Configs.Of("10.0.0.0/29");
        var service = Services.Over(_store);
        await service.AddAsync(config, Pod(1));
        _store.Reservations.Remove("10.0.0.1");

        Assert.Equal(1, await service.DelAsync(config, Pod(1)));
        Assert.Empty(_store.Pools.Entries());
    }
}
