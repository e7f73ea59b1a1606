namespace Whereabouts.Ipam.Tests;

public sealed class IpamServiceRequestedAddressTests : IAsyncDisposable
{
    private static readonly Core.Config.IpamConfig Config =
        Configs.Of(Configs.Range("10.0.0.0/28", excludes: "10.0.0.8")) with { Gateway = Ip.Parse("10.0.0.1") };

    private readonly FakeIpamStore _store = new();

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task AllocateAsync_FreeRequestedAddress_IsReservedInItsRange()
    {
        var service = Services.Over(_store);

        var ip = await service.AddAsync(Config, Pod(1), Ip.Parse("10.0.0.7"));

        Assert.Equal(Ip.Parse("10.0.0.7"), ip);
        Assert.Equal("ns/pod1", _store.Held(Config)[ip].PodRef);
        Assert.Equal("ns/pod1", _store.Reservations.Peek("10.0.0.7")?.PodRef);
        Assert.Equal(Ip.Parse("10.0.0.2"), await service.AddAsync(Config, Pod(2)));
    }

    [Fact]
    public async Task AllocateAsync_RequestedAddressInSecondRange_FirstRangeGetsItsLowestFree()
    {
        var config = Configs.Of("10.0.0.0/29", "10.1.0.0/29");
        var service = Services.Over(_store);

        var result = await service.AllocateAsync(
            new AllocationRequest(config, Pod(1)) { RequestedAddresses = [Ip.Parse("10.1.0.5")] }, CancellationToken.None);

        Assert.Equal(["10.0.0.1", "10.1.0.5"], result.Select(a => a.Address.ToString()));
    }

    [Fact]
    public async Task AllocateAsync_RequestedAddressHeldByAnotherPodInThePool_FailsNamingTheHolder()
    {
        var service = Services.Over(_store);
        await service.AddAsync(Config, Pod(1), Ip.Parse("10.0.0.7"));

        var error = await Assert.ThrowsAsync<AddressUnavailableException>(() => service.AddAsync(Config, Pod(2), Ip.Parse("10.0.0.7")));

        Assert.Contains("10.0.0.7", error.Message, StringComparison.Ordinal);
        Assert.Contains("ns/pod1", error.Message, StringComparison.Ordinal);
        Assert.Equal("ns/pod1", Assert.Single(_store.Held(Config)).Value.PodRef);
        Assert.Equal("ns/pod1", _store.Reservations.Peek("10.0.0.7")?.PodRef);
    }

    [Fact]
    public async Task AllocateAsync_RequestedAddressReservedClusterWideByAnotherPod_FailsNamingTheHolder()
    {
        var foreign = _store.Reservations.Seed("10.0.0.7", "other/pod", "net1", "cx");
        var service = Services.Over(_store);

        var error = await Assert.ThrowsAsync<AddressUnavailableException>(() => service.AddAsync(Config, Pod(1), Ip.Parse("10.0.0.7")));

        Assert.Contains("other/pod", error.Message, StringComparison.Ordinal);
        Assert.Empty(_store.Held(Config));
        Assert.Equal(foreign, _store.Reservations.Peek("10.0.0.7"));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("10.0.0.8")]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.15")]
    public async Task AllocateAsync_RequestedGatewayExcludedOrOutsideTheWindow_FailsAndWritesNothing(string requested)
    {
        var service = Services.Over(_store);

        var error = await Assert.ThrowsAsync<AddressUnavailableException>(() => service.AddAsync(Config, Pod(1), Ip.Parse(requested)));

        Assert.Contains(requested, error.Message, StringComparison.Ordinal);
        Assert.Empty(_store.Pools.Entries());
        Assert.Empty(_store.Reservations.All());
    }

    [Theory]
    [InlineData("10.9.0.1")]
    [InlineData("fd00::1")]
    public async Task AllocateAsync_RequestedAddressOutsideEveryRange_IsAConfigurationErrorBeforeAnyStoreCall(string requested)
    {
        var service = Services.Over(_store);

        var error = await Assert.ThrowsAsync<InvalidIpamConfigException>(() => service.AddAsync(Config, Pod(1), Ip.Parse(requested)));

        Assert.Contains(requested, error.Message, StringComparison.Ordinal);
        Assert.Empty(_store.Calls);
    }

    [Fact]
    public async Task AllocateAsync_TwoRequestedAddressesInOneRange_IsAConfigurationError()
    {
        var service = Services.Over(_store);

        var error = await Assert.ThrowsAsync<InvalidIpamConfigException>(
            () => service.AddAsync(Config, Pod(1), Ip.Parse("10.0.0.5"), Ip.Parse("10.0.0.6")));

        Assert.Contains("10.0.0.0/28", error.Message, StringComparison.Ordinal);
        Assert.Empty(_store.Calls);
    }

    [Fact]
    public async Task AllocateAsync_RequestedAddressThePodAlreadyHolds_IsReturnedAgain()
    {
        var service = Services.Over(_store);
        await service.AddAsync(Config, Pod(1), Ip.Parse("10.0.0.7"));

        var again = await service.AddAsync(Config, Pod(1, containerId: "c1-restarted"), Ip.Parse("10.0.0.7"));

        Assert.Equal(Ip.Parse("10.0.0.7"), again);
        Assert.Equal("c1-restarted", Assert.Single(_store.Held(Config)).Value.ContainerId);
    }

    [Fact]
    public async Task AllocateAsync_PodHoldsAnotherAddressAndRequestsANewOne_MovesToItAndFreesTheOldOne()
    {
        var service = Services.Over(_store);
        var old = await service.AddAsync(Config, Pod(1));

        var moved = await service.AddAsync(Config, Pod(1), Ip.Parse("10.0.0.9"));

        Assert.Equal(Ip.Parse("10.0.0.9"), moved);
        Assert.Equal([moved], _store.Held(Config).Keys);
        Assert.Null(_store.Reservations.Peek(old.ToString()));
        Assert.Equal(old, await service.AddAsync(Config, Pod(2)));
    }
}
