using Whereabouts.Core.Naming;

namespace Whereabouts.Ipam.Tests;

public sealed class IpamServiceAllocateTests : IAsyncDisposable
{
    private readonly FakeIpamStore _store = new();

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Theory]
    // subnet, range_start, range_end, excludes (comma-separated), gateway, the addresses handed out in order until exhaustion
    [InlineData("10.0.0.0/29", null, null, "", null, "10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4,10.0.0.5,10.0.0.6")]
    [InlineData("10.0.0.0/29", null, null, "", "10.0.0.1", "10.0.0.2,10.0.0.3,10.0.0.4,10.0.0.5,10.0.0.6")]
    [InlineData("10.0.0.0/29", null, null, "", "10.0.0.4", "10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.5,10.0.0.6")]
    [InlineData("10.0.0.0/29", null, null, "10.0.0.0/30", null, "10.0.0.4,10.0.0.5,10.0.0.6")]
    [InlineData("10.0.0.0/29", null, null, "10.0.0.2,10.0.0.5", "10.0.0.3", "10.0.0.1,10.0.0.4,10.0.0.6")]
    [InlineData("10.0.0.0/28", "10.0.0.5", "10.0.0.9", "10.0.0.7", null, "10.0.0.5,10.0.0.6,10.0.0.8,10.0.0.9")]
    [InlineData("10.0.0.0/28", "10.0.0.5", "10.0.0.9", "", "10.0.0.5", "10.0.0.6,10.0.0.7,10.0.0.8,10.0.0.9")]
    [InlineData("10.0.0.0/30", null, null, "", null, "10.0.0.1,10.0.0.2")]
    [InlineData("fd00::/125", null, null, "fd00::2", "fd00::1", "fd00::3,fd00::4,fd00::5,fd00::6")]
    public async Task AllocateAsync_UntilExhausted_HandsOutLowestFreeWindowAddressesThenFails(
        string subnet, string? start, string? end, string excludes, string? gateway, string expected)
    {
        var config = Configs.Of(Configs.Range(subnet, start, end, excludes.Split(',', StringSplitOptions.RemoveEmptyEntries)))
            with { Gateway = gateway is null ? null : Ip.Parse(gateway) };
        var service = Services.Over(_store);
        var want = expected.Split(',').Select(Ip.Parse).ToList();

        var got = new List<Ip>();
        for (var i = 0; i < want.Count; i++)
        {
            got.Add(await service.AddAsync(config, Pod(i)));
        }

        Assert.Equal(want, got);
        var exhausted = await Assert.ThrowsAsync<PoolExhaustedException>(() => service.AddAsync(config, Pod(99)));
        Assert.Contains(config.Ranges[0].Subnet.ToString(), exhausted.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_store.Held(config).Values, a => a.PodRef == "ns/pod99");
    }

    [Fact]
    public async Task AllocateAsync_AddressReleasedInTheMiddle_IsHandedOutAgainFirst()
    {
        var config = Configs.Of("10.0.0.0/28");
        var service = Services.Over(_store);
        for (var i = 1; i <= 4; i++)
        {
            await service.AddAsync(config, Pod(i));
        }

        await service.DelAsync(config, Pod(2));

        Assert.Equal(Ip.Parse("10.0.0.2"), await service.AddAsync(config, Pod(5)));
        Assert.Equal(Ip.Parse("10.0.0.5"), await service.AddAsync(config, Pod(6)));
    }

    [Fact]
    public async Task AllocateAsync_NewAddress_WritesTheAllocationAtItsOffsetInThePoolNamedForTheRange()
    {
        var config = Configs.Of("10.0.0.0/24");
        var service = Services.Over(_store);

        var result = await service.AllocateAsync(new AllocationRequest(config, Pod(1)), CancellationToken.None);

        var address = Assert.Single(result);
        Assert.Equal("10.0.0.1/24", address.ToString());
        Assert.Equal(24, address.PrefixLength);
        Assert.Same(config.Ranges[0], address.Range);
        var pool = _store.Pools.Peek(ObjectNames.IpPool(Cidr.Parse("10.0.0.0/24")));
        Assert.NotNull(pool);
        Assert.Equal("10.0.0.0-24", pool.Key.Name);
        Assert.Equal(new PoolAllocation("c1", "ns/pod1", "net1"), pool.Allocations[1]);
    }

    [Fact]
    public async Task AllocateAsync_SamePodAndInterfaceAgain_ReturnsTheSameAddressAndRecordsTheNewContainer()
    {
        var config = Configs.Of("10.0.0.0/29");
        var service = Services.Over(_store);
        var first = await service.AddAsync(config, Pod(1, containerId: "old"));
        await service.AddAsync(config, Pod(2));

        var again = await service.AddAsync(config, Pod(1, containerId: "new"));

        Assert.Equal(first, again);
        var held = _store.Held(config);
        Assert.Equal(2, held.Count);
        Assert.Equal(new PoolAllocation("new", "ns/pod1", "net1"), held[first]);
    }

    [Fact]
    public async Task AllocateAsync_SameContainerAgainUnchanged_WritesNothing()
    {
        var config = Configs.Of("10.0.0.0/29");
        var service = Services.Over(_store);
        var first = await service.AddAsync(config, Pod(1));
        var writes = _store.CallCount(FakeOperation.UpdatePool);

        var again = await service.AddAsync(config, Pod(1));

        Assert.Equal(first, again);
        Assert.Equal(writes, _store.CallCount(FakeOperation.UpdatePool));
    }

    [Fact]
    public async Task AllocateAsync_SamePodOtherInterface_GetsASecondAddress()
    {
        var config = Configs.Of("10.0.0.0/29");
        var service = Services.Over(_store);

        var net1 = await service.AddAsync(config, Pod(1, "net1"));
        var net2 = await service.AddAsync(config, Pod(1, "net2"));

        Assert.Equal(Ip.Parse("10.0.0.1"), net1);
        Assert.Equal(Ip.Parse("10.0.0.2"), net2);
        Assert.Equal("net2", _store.Held(config)[net2].IfName);
    }

    [Fact]
    public async Task AllocateAsync_NoPodReference_TheContainerDecidesWhatIsReused()
    {
        var config = Configs.Of("10.0.0.0/29");
        var service = Services.Over(_store);

        var first = await service.AddAsync(config, new AllocationOwner("c1", string.Empty, "net1"));
        var same = await service.AddAsync(config, new AllocationOwner("c1", string.Empty, "net1"));
        var other = await service.AddAsync(config, new AllocationOwner("c2", string.Empty, "net1"));

        Assert.Equal(first, same);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task AllocateAsync_PoolNetworkName_PrefixesThePoolName()
    {
        var config = Configs.Of("10.0.0.0/29") with { PoolNetworkName = "blue" };
        var service = Services.Over(_store);

        await service.AddAsync(config, Pod(1));

        Assert.Equal(["blue-10.0.0.0-29"], _store.Pools.Names);
    }

    [Fact]
    public async Task AllocateAsync_PoolBaseAboveTheNetworkAddress_CountsOffsetsFromTheBase()
    {
        var config = Configs.Of("10.0.0.0/28");
        var key = Services.KeyOf(config);
        _store.Pools.SeedOffsets(key, new Dictionary<UInt128, PoolAllocation> { [0] = new("x", "ns/x", "net1") }, Ip.Parse("10.0.0.4"));
        var service = Services.Over(_store);

        var ip = await service.AddAsync(config, Pod(1));

        Assert.Equal(Ip.Parse("10.0.0.5"), ip);
        Assert.Equal("ns/pod1", _store.Pools.Peek(key.Name)!.Allocations[1].PodRef);
    }

    [Fact]
    public async Task AllocateAsync_PoolWithKeysThatAreNotOffsets_AllocatesAndKeepsThem()
    {
        var config = Configs.Of("10.0.0.0/29");
        var key = Services.KeyOf(config);
        _store.Pools.SeedOffsets(key, new Dictionary<UInt128, PoolAllocation>(), key.Range.Network, ["garbage"]);
        var service = Services.Over(_store);

        Assert.Equal(Ip.Parse("10.0.0.1"), await service.AddAsync(config, Pod(1)));
        Assert.Equal(["garbage"], _store.Pools.Peek(key.Name)!.UnreadableKeys);
    }

    [Fact]
    public async Task AllocateAsync_SleepForRace_WaitsBeforeThePoolWrite()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var store = new FakeIpamStore(time);
        var config = Configs.Of("10.0.0.0/29") with { SleepForRaceSeconds = 3 };
        var service = Services.Over(store, time: time);

        var add = service.AddAsync(config, Pod(1));
        await FakeClock.RunAsync(time, add, TimeSpan.FromMilliseconds(500));

        var read = store.Calls.First(c => c.Operation == FakeOperation.GetOrCreatePool).At;
        var write = store.Calls.First(c => c.Operation == FakeOperation.UpdatePool).At;
        Assert.True(write - read >= TimeSpan.FromSeconds(3), $"the write came {write - read} after the read");
    }
}
