using Whereabouts.Ipam.Stores;

namespace Whereabouts.Ipam.Tests;

/// <summary>CNI GC releases this network's allocations that the runtime no longer knows, and only the ones on this host.</summary>
public sealed class IpamServiceGarbageCollectionTests : IAsyncDisposable
{
    private static readonly Core.Config.IpamConfig Config = Configs.Of("10.0.0.0/29", "fd00::/125");

    private readonly FakeIpamStore _store = new();

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task CollectGarbageAsync_UnknownLocalAttachments_AreReleasedInEveryRangeWithTheirReservations()
    {
        var service = Services.Over(_store);
        await AddAsync(service, "live", "net1");
        await AddAsync(service, "live", "net2");
        await AddAsync(service, "gone", "net1");
        await AddAsync(service, "remote", "net1");
        _store.Locate = a => a.ContainerId == "remote" ? AllocationPlacement.OtherHost : AllocationPlacement.ThisHost;

        var released = await service.CollectGarbageAsync(Config, new HashSet<(string, string)> { ("live", "net1") }, CancellationToken.None);

        Assert.Equal(4, released);
        Assert.Equal(
            ["live/net1", "live/net1", "remote/net1", "remote/net1"],
            _store.Pools.Entries().Select(e => $"{e.Allocation.ContainerId}/{e.Allocation.IfName}").Order());
        Assert.Equal(4, _store.Reservations.All().Count);
        Assert.DoesNotContain(_store.Reservations.All(), r => r.ContainerId is "gone");
    }

    [Fact]
    public async Task CollectGarbageAsync_EverythingValid_ReleasesNothingAndWritesNothing()
    {
        var service = Services.Over(_store);
        await AddAsync(service, "a", "net1");
        var writes = _store.CallCount(FakeOperation.UpdatePool);

        var released = await service.CollectGarbageAsync(Config, new HashSet<(string, string)> { ("a", "net1") }, CancellationToken.None);

        Assert.Equal(0, released);
        Assert.Equal(writes, _store.CallCount(FakeOperation.UpdatePool));
    }

    [Theory]
    [InlineData(AllocationPlacement.OtherHost)]
    [InlineData(AllocationPlacement.Unknown)]
    public async Task CollectGarbageAsync_PodsElsewhereOrUnknown_AreNeverReleased(AllocationPlacement placement)
    {
        var service = Services.Over(_store);
        await AddAsync(service, "a", "net1");
        _store.Locate = _ => placement;

        Assert.Equal(0, await service.CollectGarbageAsync(Config, new HashSet<(string, string)>(), CancellationToken.None));
        Assert.Equal(2, _store.Pools.Entries().Count);
        Assert.Equal(2, _store.Reservations.All().Count);
    }

    [Fact]
    public async Task CollectGarbageAsync_PodsThatAreGone_AreReleasedWithTheirReservations()
    {
        var service = Services.Over(_store);
        await AddAsync(service, "gone", "net1");
        await AddAsync(service, "elsewhere", "net1");
        _store.Locate = a => a.ContainerId == "gone" ? AllocationPlacement.Gone : AllocationPlacement.OtherHost;

        Assert.Equal(2, await service.CollectGarbageAsync(Config, new HashSet<(string, string)>(), CancellationToken.None));
        Assert.All(_store.Pools.Entries(), e => Assert.Equal("elsewhere", e.Allocation.ContainerId));
        Assert.All(_store.Reservations.All(), r => Assert.Equal("elsewhere", r.ContainerId));
    }

    [Fact]
    public async Task CollectGarbageAsync_OnePodInSeveralRanges_IsLocatedOnce()
    {
        var service = Services.Over(_store);
        await AddAsync(service, "gone", "net1");
        _store.Locate = static _ => AllocationPlacement.Gone;

        Assert.Equal(2, await service.CollectGarbageAsync(Config, new HashSet<(string, string)>(), CancellationToken.None));
        Assert.Equal(1, _store.CallCount(FakeOperation.Locate));
    }

    [Fact]
    public async Task CollectGarbageAsync_OnlyThisNetworksPools_AreLookedAt()
    {
        var other = Configs.Of("10.0.0.0/29") with { PoolNetworkName = "other" };
        var service = Services.Over(_store);
        await service.AllocateAsync(new AllocationRequest(other, new AllocationOwner("x", "ns/x", "net1")), CancellationToken.None);

        Assert.Equal(0, await service.CollectGarbageAsync(Config, new HashSet<(string, string)>(), CancellationToken.None));
        Assert.Single(_store.Pools.Entries());
    }

    [Fact]
    public async Task CollectGarbageAsync_ManualPoolEntries_AreReleasedByTheirOwnKeys()
    {
        _store.Pools.Seed(Services.KeyOf(Config), new Dictionary<Ip, PoolAllocation>
        {
            [Ip.Parse("10.0.0.3")] = new("stale", "ns/old", "eth1"),
            [Ip.Parse("10.0.0.4")] = new("keep", "ns/keep", "eth1"),
        });
        var service = Services.Over(_store);

        Assert.Equal(1, await service.CollectGarbageAsync(Config, new HashSet<(string, string)> { ("keep", "eth1") }, CancellationToken.None));
        Assert.Equal([Ip.Parse("10.0.0.4")], _store.Held(Config).Keys);
    }

    private static Task AddAsync(IpamService service, string containerId, string ifName) =>
        service.AllocateAsync(new AllocationRequest(Config, new AllocationOwner(containerId, $"ns/{containerId}", ifName)), CancellationToken.None);
}
