namespace Whereabouts.Ipam.Tests;

/// <summary>One address per range, in order, and all or nothing: a failure in a later range undoes the earlier ones.</summary>
public sealed class IpamServiceMultiRangeTests : IAsyncDisposable
{
    private static readonly Core.Config.IpamConfig Config = Configs.Of("10.0.0.0/29", "10.1.0.0/30", "fd00::/125");

    private readonly FakeIpamStore _store = new();

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task AllocateAsync_ThreeRanges_OneAddressPerRangeInConfigurationOrder()
    {
        var service = Services.Over(_store);

        var result = await service.AllocateAsync(new AllocationRequest(Config, Pod(1)), CancellationToken.None);

        Assert.Equal(["10.0.0.1/29", "10.1.0.1/30", "fd00::1/125"], result.Select(a => a.ToString()));
        Assert.Equal(Config.Ranges, result.Select(a => a.Range));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("ns/pod1", Assert.Single(_store.Held(Config, i)).Value.PodRef);
        }
    }

    [Fact]
    public async Task AllocateAsync_LaterRangeExhausted_ReleasesTheEarlierRangeAndItsReservationThenThrows()
    {
        SeedFullSecondRange();
        var service = Services.Over(_store);

        await Assert.ThrowsAsync<PoolExhaustedException>(() => service.AllocateAsync(new AllocationRequest(Config, Pod(1)), CancellationToken.None));

        AssertNothingLeftFor("ns/pod1");
        Assert.Equal(2, WritesTo(0));
    }

    [Fact]
    public async Task AllocateAsync_RequestedAddressTakenInLaterRange_ReleasesTheEarlierRangeThenThrows()
    {
        _store.Pools.Seed(Services.KeyOf(Config, 1), new Dictionary<Ip, PoolAllocation> { [Ip.Parse("10.1.0.2")] = new("cx", "ns/holder", "net1") });
        var service = Services.Over(_store);
        var request = new AllocationRequest(Config, Pod(1)) { RequestedAddresses = [Ip.Parse("10.1.0.2")] };

        var error = await Assert.ThrowsAsync<AddressUnavailableException>(() => service.AllocateAsync(request, CancellationToken.None));

        Assert.Contains("ns/holder", error.Message, StringComparison.Ordinal);
        AssertNothingLeftFor("ns/pod1");
    }

    [Theory]
    [InlineData("denied")]
    [InlineData("limit")]
    [InlineData("data")]
    public async Task AllocateAsync_StoreFailsInLaterRange_ReleasesTheEarlierRangeAndRethrows(string kind)
    {
        var later = Services.KeyOf(Config, 1).Name;
        _store.Pools.BeforeUpdate = (snapshot, _) => snapshot.Key.Name == later ? throw Failure(kind) : Task.CompletedTask;
        var service = Services.Over(_store);

        var error = await Assert.ThrowsAnyAsync<IpamException>(() => service.AllocateAsync(new AllocationRequest(Config, Pod(1)), CancellationToken.None));

        Assert.Equal(Failure(kind).GetType(), error.GetType());
        AssertNothingLeftFor("ns/pod1");
    }

    [Fact]
    public async Task AllocateAsync_ThirdRangeFails_ReleasesBothEarlierRanges()
    {
        _store.Pools.Seed(Services.KeyOf(Config, 2), Enumerable.Range(1, 6).ToDictionary(i => Ip.Parse($"fd00::{i}"), i => new PoolAllocation($"x{i}", $"ns/x{i}", "net1")));
        var service = Services.Over(_store);

        await Assert.ThrowsAsync<PoolExhaustedException>(() => service.AllocateAsync(new AllocationRequest(Config, Pod(1)), CancellationToken.None));

        AssertNothingLeftFor("ns/pod1");
        Assert.Equal(2, WritesTo(0));
        Assert.Equal(2, WritesTo(1));
    }

    [Fact]
    public async Task AllocateAsync_RollbackFailsToo_ThrowsTheOriginalErrorAndLeavesTheEntryForDel()
    {
        SeedFullSecondRange();
        var first = Services.KeyOf(Config, 0).Name;
        var writes = 0;
        _store.Pools.BeforeUpdate = (snapshot, _) =>
            snapshot.Key.Name == first && ++writes > 1 ? throw new StoreAccessDeniedException("rollback denied") : Task.CompletedTask;
        var service = Services.Over(_store);

        await Assert.ThrowsAsync<PoolExhaustedException>(() => service.AllocateAsync(new AllocationRequest(Config, Pod(1)), CancellationToken.None));
        Assert.Equal("ns/pod1", Assert.Single(_store.Held(Config, 0)).Value.PodRef);

        _store.Pools.BeforeUpdate = null;
        Assert.Equal(1, await service.DelAsync(Config, Pod(1)));
        AssertNothingLeftFor("ns/pod1");
    }

    private static IpamException Failure(string kind) => kind switch
    {
        "denied" => new StoreAccessDeniedException("denied"),
        "limit" => new StoreLimitExceededException("too large"),
        _ => new StoreDataException("damaged"),
    };

    private void SeedFullSecondRange() =>
        _store.Pools.Seed(Services.KeyOf(Config, 1), new Dictionary<Ip, PoolAllocation>
        {
            [Ip.Parse("10.1.0.1")] = new("cx", "ns/x", "net1"),
            [Ip.Parse("10.1.0.2")] = new("cy", "ns/y", "net1"),
        });

    private int WritesTo(int range) =>
        _store.Calls.Count(c => c.Operation == FakeOperation.UpdatePool && c.Target == Services.KeyOf(Config, range).Name);

    private void AssertNothingLeftFor(string podRef)
    {
        Assert.DoesNotContain(_store.Pools.Entries(), e => e.Allocation.PodRef == podRef);
        Assert.DoesNotContain(_store.Reservations.All(), r => r.PodRef == podRef);
    }
}
