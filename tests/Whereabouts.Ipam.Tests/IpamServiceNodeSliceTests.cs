using Whereabouts.Core.Config;
using Whereabouts.Core.Naming;

namespace Whereabouts.Ipam.Tests;

/// <summary>Node-slice mode: the node's slice from the NodeSlicePool, the address from the node's slice pool.</summary>
public sealed class IpamServiceNodeSliceTests : IAsyncDisposable
{
    private readonly FakeIpamStore _store = new();
    private readonly FakeNodeSliceStore _slices = new() { NodeName = "node-b" };

    public IpamServiceNodeSliceTests()
    {
        _store.NodeSlices = _slices;
        _slices.Set("testnet", "10.0.0.0/24", "/26", ("node-a", "10.0.0.0/26"), ("node-b", "10.0.0.64/26"), (string.Empty, "10.0.0.128/26"), (string.Empty, "10.0.0.192/26"));
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    private static IpamConfig Sliced(string? networkName = null, params RangeConfig[] ranges) =>
        Configs.Of(ranges.Length == 0 ? [Configs.Range("10.0.0.0/24")] : ranges) with { NodeSlicePrefix = 26, PoolNetworkName = networkName };

    [Fact]
    public async Task AllocateAsync_SliceMode_FirstUsableOfTheNodesSliceInUpstreamsSlicePoolWithTheRangesPrefix()
    {
        var result = await Services.Over(_store).AllocateAsync(new AllocationRequest(Sliced(), Pod(1)), CancellationToken.None);

        var address = Assert.Single(result);
        Assert.Equal("10.0.0.65/24", address.ToString());
        var entry = Assert.Single(_store.Pools.Entries());
        Assert.Equal("node-b-10.0.0.64-26", entry.Pool);
        Assert.Equal(Ip.Parse("10.0.0.64"), _store.Pools.Peek("node-b-10.0.0.64-26")!.Base);
        Assert.NotNull(await _store.Reservations.GetAsync("10.0.0.65", CancellationToken.None));
    }

    [Fact]
    public async Task AllocateAsync_NamedNetwork_PoolAndNodeSlicePoolCarryTheName()
    {
        _slices.Set("storage", "10.0.0.0/24", "/26", ("node-b", "10.0.0.192/26"));

        var ip = await Services.Over(_store).AddAsync(Sliced("storage"), Pod(1));

        Assert.Equal(Ip.Parse("10.0.0.193"), ip);
        Assert.Equal("storage-node-b-10.0.0.192-26", Assert.Single(_store.Pools.Entries()).Pool);
        Assert.NotNull(await _store.Reservations.GetAsync(ObjectNames.OverlappingReservation(ip, "storage"), CancellationToken.None));
    }

    [Fact]
    public async Task AllocateAsync_RangeStartExcludeAndGateway_HonouredInsideTheSlice()
    {
        var config = Sliced(null, Configs.Range("10.0.0.0/24", "10.0.0.66", null, "10.0.0.67")) with { Gateway = Ip.Parse("10.0.0.68") };
        var service = Services.Over(_store);

        Assert.Equal(Ip.Parse("10.0.0.66"), await service.AddAsync(config, Pod(1)));
        Assert.Equal(Ip.Parse("10.0.0.69"), await service.AddAsync(config, Pod(2)));
    }

    [Fact]
    public async Task AllocateAsync_SliceFull_ExhaustedNamesTheSlice()
    {
        _slices.Set("testnet", "10.0.0.0/24", "/30", ("node-b", "10.0.0.4/30"));
        var config = Sliced() with { NodeSlicePrefix = 30 };
        var service = Services.Over(_store);
        await service.AddAsync(config, Pod(1));
        await service.AddAsync(config, Pod(2));

        var error = await Assert.ThrowsAsync<PoolExhaustedException>(() => service.AddAsync(config, Pod(3)));

        Assert.Contains("in slice 10.0.0.4/30 of node node-b", error.Message, StringComparison.Ordinal);
        Assert.Contains("(pool node-b-10.0.0.4-30)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllocateAsync_Ipv6Slice_Works()
    {
        _slices.Set("testnet", "fd00::/64", "/120", ("node-b", "fd00::300/120"));
        var config = Configs.Of("fd00::/64") with { NodeSlicePrefix = 120 };

        var result = await Services.Over(_store).AllocateAsync(new AllocationRequest(config, Pod(1)), CancellationToken.None);

        Assert.Equal("fd00::301/64", Assert.Single(result).ToString());
        Assert.Equal("node-b-fd00--300-120", Assert.Single(_store.Pools.Entries()).Pool);
    }

    [Fact]
    public async Task AllocateAsync_DualStack_OnlyTheSlicedRangeUsesTheSlicePool()
    {
        var config = Sliced(null, Configs.Range("10.0.0.0/24"), Configs.Range("fd00::/120"));

        var result = await Services.Over(_store).AllocateAsync(new AllocationRequest(config, Pod(1)), CancellationToken.None);

        Assert.Equal(["10.0.0.65/24", "fd00::1/120"], result.Select(a => a.ToString()));
        Assert.Equal(["fd00---120", "node-b-10.0.0.64-26"], _store.Pools.Entries().Select(e => e.Pool).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("node-c", "node node-c has no slice in NodeSlicePool fake/testnet: the controller has not assigned one yet; try again later")]
    [InlineData("", "node_slice_size is set but this node's name is unknown")]
    public async Task AllocateAsync_NoSliceForTheNode_TryAgainLaterNamingNodeAndPool(string node, string message)
    {
        _slices.NodeName = node;

        var error = await Assert.ThrowsAsync<NodeSliceUnavailableException>(() => Services.Over(_store).AddAsync(Sliced(), Pod(1)));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Empty(_store.Pools.Entries());
    }

    [Fact]
    public async Task AllocateAsync_AllSlicesTaken_SaysTheRangeIsExhausted()
    {
        _slices.Set("testnet", "10.0.0.0/24", "/25", ("node-a", "10.0.0.0/25"), ("node-x", "10.0.0.128/25"));

        var error = await Assert.ThrowsAsync<NodeSliceUnavailableException>(() => Services.Over(_store).AddAsync(Sliced(), Pod(1)));

        Assert.Contains("all 2 slices of 10.0.0.0/24 are assigned to other nodes (the range is exhausted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllocateAsync_NoNodeSlicePool_TryAgainLater()
    {
        _slices.Remove("testnet");

        var error = await Assert.ThrowsAsync<NodeSliceUnavailableException>(() => Services.Over(_store).AddAsync(Sliced(), Pod(1)));

        Assert.Contains("NodeSlicePool fake/testnet does not exist yet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllocateAsync_SliceOfAnOlderRange_TryAgainLater()
    {
        _slices.Set("testnet", "10.9.0.0/24", "/26", ("node-b", "10.9.0.64/26"));

        var error = await Assert.ThrowsAsync<NodeSliceUnavailableException>(() => Services.Over(_store).AddAsync(Sliced(), Pod(1)));

        Assert.Contains("the slice 10.9.0.64/26, which is in no configured range (10.0.0.0/24)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllocateAsync_FileDatastore_ConfigError()
    {
        _store.NodeSlices = null;

        await Assert.ThrowsAsync<InvalidIpamConfigException>(() => Services.Over(_store).AddAsync(Sliced(), Pod(1)));
    }

    [Fact]
    public async Task AllocateAsync_OptionsNodeName_OverridesTheStores()
    {
        var service = Services.Over(_store, Services.Fast with { NodeName = "node-a" });

        Assert.Equal(Ip.Parse("10.0.0.1"), await service.AddAsync(Sliced(), Pod(1)));
        Assert.Equal("node-a-10.0.0.0-26", Assert.Single(_store.Pools.Entries()).Pool);
    }

    [Fact]
    public async Task ReleaseAsync_SliceMode_ReleasesFromTheSlicePoolAndTheReservation()
    {
        var service = Services.Over(_store);
        var ip = await service.AddAsync(Sliced(), Pod(1));

        Assert.Equal(1, await service.DelAsync(Sliced(), Pod(1)));

        Assert.Empty(_store.Pools.Entries());
        Assert.Null(await _store.Reservations.GetAsync(ip.ToString(), CancellationToken.None));
    }

    [Fact]
    public async Task ReleaseAsync_NoSliceAnyMore_SucceedsWithoutTouchingOtherPools()
    {
        var service = Services.Over(_store);
        await service.AddAsync(Sliced(), Pod(1));
        _slices.Remove("testnet");

        Assert.Equal(0, await service.DelAsync(Sliced(), Pod(1)));

        Assert.Single(_store.Pools.Entries());
    }

    [Fact]
    public async Task VerifyAsync_SliceMode_FindsTheAllocationInTheSlicePool()
    {
        var service = Services.Over(_store);
        var ip = await service.AddAsync(Sliced(), Pod(1));

        await service.VerifyAsync(Sliced(), Pod(1), [ip], CancellationToken.None);
    }

    [Fact]
    public async Task AllocateAsync_SecondAddForTheSameAttachment_ReusesTheAddress()
    {
        var service = Services.Over(_store);

        var first = await service.AddAsync(Sliced(), Pod(1));
        var again = await service.AddAsync(Sliced(), Pod(1));

        Assert.Equal(first, again);
        Assert.Single(_store.Pools.Entries());
    }
}
