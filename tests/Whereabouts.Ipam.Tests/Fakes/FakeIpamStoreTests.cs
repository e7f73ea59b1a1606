using Microsoft.Extensions.Time.Testing;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Ipam.Tests.Fakes;

/// <summary>The shared fake keeps the store contract the service relies on, and its fault injection does what it says.</summary>
public sealed class FakeIpamStoreTests : IAsyncDisposable
{
    private static readonly PoolKey Key = PoolKey.For(Cidr.Parse("10.0.0.0/24"), null);
    private static readonly AllocationOwner Owner = new("c1", "ns/pod1", "net1");
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly FakeIpamStore _store = new();

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task GetOrCreateAsync_NewPool_IsEmptyBasedAtTheNetworkAddressAndReadableAfterwards()
    {
        Assert.Null(await _store.Pools.GetAsync(Key, None));

        var created = await _store.Pools.GetOrCreateAsync(Key, None);
        var again = await _store.Pools.GetOrCreateAsync(Key, None);

        Assert.Empty(created.Allocations);
        Assert.Equal(Ip.Parse("10.0.0.0"), created.Base);
        Assert.Equal(created.Version, again.Version);
        Assert.Equal(created.Version, (await _store.Pools.GetAsync(Key, None))?.Version);
    }

    [Fact]
    public async Task TryUpdateAsync_CurrentVersion_AppliesAndMovesTheVersion()
    {
        var snapshot = await _store.Pools.GetOrCreateAsync(Key, None);

        Assert.True(await _store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(5, Owner.ToAllocation()), None));

        var after = await _store.Pools.GetAsync(Key, None);
        Assert.NotNull(after);
        Assert.NotEqual(snapshot.Version, after.Version);
        Assert.Equal(Owner.ToAllocation(), after.Allocations[5]);
        Assert.Empty(snapshot.Allocations);
    }

    [Fact]
    public async Task TryUpdateAsync_StaleVersion_IsRefusedAndChangesNothing()
    {
        var stale = await _store.Pools.GetOrCreateAsync(Key, None);
        Assert.True(await _store.Pools.TryUpdateAsync(stale, PoolChange.Upsert(1, Owner.ToAllocation()), None));

        Assert.False(await _store.Pools.TryUpdateAsync(stale, PoolChange.Upsert(2, Owner.ToAllocation()), None));

        Assert.Equal([(UInt128)1], (await _store.Pools.GetAsync(Key, None))!.Allocations.Keys);
    }

    [Fact]
    public async Task TryUpdateAsync_ConcurrentWriterInTheHook_Conflicts()
    {
        _store.Pools.BeforeUpdate = (snapshot, _) =>
        {
            _store.Pools.Touch(snapshot.Key.Name);
            return Task.CompletedTask;
        };
        var snapshot = await _store.Pools.GetOrCreateAsync(Key, None);

        Assert.False(await _store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(1, Owner.ToAllocation()), None));
        Assert.Empty(_store.Pools.Entries());
    }

    [Fact]
    public async Task ForceConflicts_RefusesThatManyWritesThenAcceptsOne()
    {
        _store.Pools.ForceConflicts(2);
        var snapshot = await _store.Pools.GetOrCreateAsync(Key, None);

        Assert.False(await _store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(1, Owner.ToAllocation()), None));
        Assert.False(await _store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(1, Owner.ToAllocation()), None));
        Assert.True(await _store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(1, Owner.ToAllocation()), None));
    }

    [Fact]
    public async Task TryCreateAsync_TwoCreators_OneWinsAndTheOtherGetsTheWinner()
    {
        var rival = new AllocationOwner("c2", "ns/pod2", "net1");

        var claims = await Task.WhenAll(
            Task.Run(() => _store.Reservations.TryCreateAsync("10.0.0.1", Owner, None)),
            Task.Run(() => _store.Reservations.TryCreateAsync("10.0.0.1", rival, None)));

        var winner = Assert.Single(claims, c => c.Created);
        var loser = Assert.Single(claims, c => !c.Created);
        Assert.Equal(winner.Reservation, loser.Reservation);
        Assert.Equal(winner.Reservation, _store.Reservations.Peek("10.0.0.1"));
    }

    [Fact]
    public async Task DeleteAsync_OnlyTheIncarnationThatWasRead_IsDeleted()
    {
        var first = (await _store.Reservations.TryCreateAsync("10.0.0.1", Owner, None)).Reservation;
        Assert.True(await _store.Reservations.DeleteAsync(first, None));
        var second = (await _store.Reservations.TryCreateAsync("10.0.0.1", Owner, None)).Reservation;

        Assert.False(await _store.Reservations.DeleteAsync(first, None));
        Assert.False(await _store.Reservations.DeleteAsync(second with { Uid = "someone-else" }, None));
        Assert.Equal(second, await _store.Reservations.GetAsync("10.0.0.1", None));
        Assert.True(await _store.Reservations.DeleteAsync(second, None));
        Assert.False(await _store.Reservations.DeleteAsync(second, None));
    }

    [Fact]
    public async Task FailNext_FailsThatManyCallsOfThatOperationOnly()
    {
        _store.FailNext(FakeOperation.GetPool, () => new StoreUnavailableException("down"), times: 2);

        await Assert.ThrowsAsync<StoreUnavailableException>(() => _store.Pools.GetAsync(Key, None));
        await _store.Pools.GetOrCreateAsync(Key, None);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => _store.Pools.GetAsync(Key, None));
        Assert.NotNull(await _store.Pools.GetAsync(Key, None));
        Assert.Equal(3, _store.CallCount(FakeOperation.GetPool));
    }

    [Fact]
    public async Task FailNext_WriteFailsBeforeTakingEffect_ChangesNothing()
    {
        var snapshot = await _store.Pools.GetOrCreateAsync(Key, None);
        _store.FailNext(FakeOperation.UpdatePool, () => new StoreUnavailableException("down"));

        await Assert.ThrowsAsync<StoreUnavailableException>(() => _store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(1, Owner.ToAllocation()), None));

        Assert.Empty(_store.Pools.Entries());
    }

    [Fact]
    public async Task FailNextAfterApplying_WriteTakesEffectThenThrows()
    {
        _store.FailNextAfterApplying(FakeOperation.CreateReservation, () => new StoreUnavailableException("timeout"));

        await Assert.ThrowsAsync<StoreUnavailableException>(() => _store.Reservations.TryCreateAsync("10.0.0.1", Owner, None));

        Assert.Equal("ns/pod1", _store.Reservations.Peek("10.0.0.1")?.PodRef);
    }

    [Fact]
    public async Task FaultPolicy_AppliesWhenNoQueuedFaultClaimsTheCall()
    {
        _store.FaultPolicy = op => op == FakeOperation.CheckReachable ? new StoreAccessDeniedException("policy") : null;
        _store.FailNext(FakeOperation.CheckReachable, () => new StoreUnavailableException("queued"));

        await Assert.ThrowsAsync<StoreUnavailableException>(() => _store.CheckReachableAsync(None));
        await Assert.ThrowsAsync<StoreAccessDeniedException>(() => _store.CheckReachableAsync(None));
        await _store.Pools.GetOrCreateAsync(Key, None);
    }

    [Fact]
    public async Task Latency_DelaysCallsOnTheStoreClockAndRecordsWhenTheyArrived()
    {
        var time = new FakeTimeProvider();
        var store = new FakeIpamStore(time) { Latency = TimeSpan.FromSeconds(2) };
        var arrived = time.GetUtcNow();

        var read = store.Pools.GetOrCreateAsync(Key, None);
        time.Advance(TimeSpan.FromSeconds(1.9));
        await Task.Delay(10, TestContext.Current.CancellationToken);
        Assert.False(read.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        await read.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal(new FakeCall(FakeOperation.GetOrCreatePool, arrived, Key.Name), Assert.Single(store.Calls));
    }

    [Fact]
    public async Task LocateAsync_FollowsThePolicy()
    {
        _store.Locate = a => a.ContainerId == "here" ? AllocationPlacement.ThisHost : AllocationPlacement.OtherHost;

        Assert.Equal(AllocationPlacement.ThisHost, await _store.LocateAsync(new PoolAllocation("here", "ns/a", "net1"), None));
        Assert.Equal(AllocationPlacement.OtherHost, await _store.LocateAsync(new PoolAllocation("there", "ns/b", "net1"), None));
        Assert.Equal(2, _store.CallCount(FakeOperation.Locate));
    }

    [Fact]
    public async Task FindByContainerAsync_ReturnsOnlyThatContainersReservations()
    {
        _store.Reservations.Seed("10.0.0.1", "ns/a", "net1", "c1");
        _store.Reservations.Seed("10.0.0.2", "ns/a", "net2", "c1");
        _store.Reservations.Seed("10.0.0.3", "ns/b", "net1", "c2");

        var found = await _store.Reservations.FindByContainerAsync("c1", None);

        Assert.Equal(["10.0.0.1", "10.0.0.2"], found.Select(static r => r.Name));
        Assert.Equal(1, _store.CallCount(FakeOperation.FindReservations));
    }

    [Fact]
    public void SeedAndEntries_AddressesRoundTripThroughOffsets()
    {
        _store.Pools.Seed(Key, new Dictionary<Ip, PoolAllocation> { [Ip.Parse("10.0.0.7")] = Owner.ToAllocation() });

        Assert.Equal([new FakePoolEntry(Key.Name, Ip.Parse("10.0.0.7"), Owner.ToAllocation())], _store.Pools.Entries());
        Assert.Equal([(UInt128)7], _store.Pools.Peek(Key.Name)!.Allocations.Keys);
        Assert.Empty(_store.Calls);
    }
}
