using Whereabouts.Ipam.Stores;

namespace Whereabouts.Ipam.Tests;

/// <summary>Cluster-wide reservations keep overlapping ranges (distinct pools) from handing out one address twice.</summary>
public sealed class IpamServiceOverlappingRangeTests : IAsyncDisposable
{
    private static readonly Core.Config.IpamConfig Wide = Configs.Of("10.0.0.0/28");
    private static readonly Core.Config.IpamConfig Narrow = Configs.Of("10.0.0.0/29");

    private readonly FakeIpamStore _store = new();

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task AllocateAsync_NewAddress_ReservationExistsBeforeThePoolWrite()
    {
        var seenAtWrite = new List<Reservation?>();
        _store.Pools.BeforeUpdate = (_, _) =>
        {
            seenAtWrite.Add(_store.Reservations.Peek("10.0.0.1"));
            return Task.CompletedTask;
        };
        var service = Services.Over(_store);

        await service.AddAsync(Wide, Pod(1, containerId: "c1"));

        var reservation = Assert.Single(seenAtWrite);
        Assert.NotNull(reservation);
        Assert.Equal(("ns/pod1", "net1", "c1"), (reservation.PodRef, reservation.IfName, reservation.ContainerId));
        Assert.Equal(reservation, _store.Reservations.Peek("10.0.0.1"));
    }

    [Fact]
    public async Task AllocateAsync_OverlappingPoolsOfOneNetwork_NeverShareAnAddress()
    {
        var service = Services.Over(_store);

        var a = await service.AddAsync(Wide, Pod(1));
        var b = await service.AddAsync(Narrow, Pod(2));
        var c = await service.AddAsync(Wide, Pod(3));

        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], new[] { a, b, c }.Select(ip => ip.ToString()));
        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], _store.Reservations.All().Select(r => r.Name));
    }

    [Fact]
    public async Task AllocateAsync_AddressReservedByAnotherPod_SkipsToTheNextAndLeavesTheForeignReservation()
    {
        var foreign = _store.Reservations.Seed("10.0.0.1", "other/pod", "net1", "cx");
        var service = Services.Over(_store);

        var ip = await service.AddAsync(Wide, Pod(1));

        Assert.Equal(Ip.Parse("10.0.0.2"), ip);
        Assert.Equal(foreign, _store.Reservations.Peek("10.0.0.1"));
        Assert.Equal([ip], _store.Held(Wide).Keys);
    }

    [Theory]
    [InlineData("net1")]
    [InlineData("")]
    public async Task AllocateAsync_ReservationThePodAlreadyOwns_IsReusedNotRecreated(string reservedIfName)
    {
        // An empty interface is how reservations written by old upstream versions look; they count as the pod's.
        var own = _store.Reservations.Seed("10.0.0.1", "ns/pod1", reservedIfName, "c-old");
        var service = Services.Over(_store);

        var ip = await service.AddAsync(Wide, Pod(1));

        Assert.Equal(Ip.Parse("10.0.0.1"), ip);
        Assert.Equal(own, _store.Reservations.Peek("10.0.0.1"));
    }

    [Fact]
    public async Task AllocateAsync_PoolWriteFailsAfterReusingAnOwnReservation_KeepsThatReservation()
    {
        var own = _store.Reservations.Seed("10.0.0.1", "ns/pod1", "net1");
        _store.FailNext(FakeOperation.UpdatePool, () => new StoreAccessDeniedException("denied"));
        var service = Services.Over(_store);

        await Assert.ThrowsAsync<StoreAccessDeniedException>(() => service.AddAsync(Wide, Pod(1)));

        Assert.Equal(own, _store.Reservations.Peek("10.0.0.1"));
    }

    [Theory]
    [InlineData(FakeOperation.UpdatePool)]
    [InlineData(FakeOperation.GetOrCreatePool)]
    public async Task AllocateAsync_FailsAfterCreatingAReservation_DeletesIt(FakeOperation failing)
    {
        if (failing == FakeOperation.GetOrCreatePool)
        {
            // The first read goes through; the re-read after a conflict fails for good.
            _store.Pools.ForceConflicts(1);
            var reads = 0;
            _store.FaultPolicy = op => op == FakeOperation.GetOrCreatePool && ++reads > 1 ? new StoreDataException("damaged") : null;
        }
        else
        {
            _store.FailNext(FakeOperation.UpdatePool, () => new StoreLimitExceededException("too large"));
        }

        var service = Services.Over(_store);

        await Assert.ThrowsAnyAsync<IpamException>(() => service.AddAsync(Wide, Pod(1)));

        Assert.Equal(1, _store.CallCount(FakeOperation.CreateReservation));
        Assert.Empty(_store.Reservations.All());
        Assert.Empty(_store.Pools.Entries());
    }

    [Fact]
    public async Task AllocateAsync_DeadlinePassesWhileConflicting_DeletesTheCreatedReservation()
    {
        _store.Pools.ForceConflicts(int.MaxValue);
        var service = Services.Over(_store, Services.Fast with { AddTimeout = TimeSpan.FromMilliseconds(200) });

        await Assert.ThrowsAsync<StoreUnavailableException>(() => service.AddAsync(Wide, Pod(1)));

        Assert.Equal(1, _store.CallCount(FakeOperation.CreateReservation));
        Assert.Empty(_store.Reservations.All());
    }

    [Fact]
    public async Task AllocateAsync_ConflictMovesTheChoiceToAnotherAddress_DeletesTheAbandonedReservation()
    {
        _store.RaceNextWrite(Services.KeyOf(Wide), 1, new PoolAllocation("cx", "other/pod", "net1"));
        var service = Services.Over(_store);

        var ip = await service.AddAsync(Wide, Pod(1));

        Assert.Equal(Ip.Parse("10.0.0.2"), ip);
        Assert.Null(_store.Reservations.Peek("10.0.0.1"));
        Assert.Equal("ns/pod1", _store.Reservations.Peek("10.0.0.2")?.PodRef);
        Assert.Equal(2, _store.CallCount(FakeOperation.CreateReservation));
    }

    [Fact]
    public async Task AllocateAsync_ConflictKeepsTheSameAddress_KeepsTheReservationWithoutRecreatingIt()
    {
        _store.Pools.ForceConflicts(3);
        var service = Services.Over(_store);

        Assert.Equal(Ip.Parse("10.0.0.1"), await service.AddAsync(Wide, Pod(1)));

        Assert.Equal(1, _store.CallCount(FakeOperation.CreateReservation));
        Assert.Equal(0, _store.CallCount(FakeOperation.DeleteReservation));
        Assert.Equal("ns/pod1", _store.Reservations.Peek("10.0.0.1")?.PodRef);
    }

    [Fact]
    public async Task AllocateAsync_AbandonedReservationCannotBeDeletedInTime_IsWithdrawnWhenTheAddSettles()
    {
        // Deletes fail until the second pool write, so the delete made on moving off 10.0.0.1 gives up.
        var poolWrites = 0;
        _store.FaultPolicy = operation =>
        {
            poolWrites += operation == FakeOperation.UpdatePool ? 1 : 0;
            return operation == FakeOperation.DeleteReservation && poolWrites < 2 ? new StoreUnavailableException("busy") : null;
        };
        _store.RaceNextWrite(Services.KeyOf(Wide), 1, new PoolAllocation("cx", "other/pod", "net1"));
        var service = Services.Over(_store, Services.Fast with { RollbackTimeout = TimeSpan.FromMilliseconds(50) });

        Assert.Equal(Ip.Parse("10.0.0.2"), await service.AddAsync(Wide, Pod(1)));

        Assert.Null(_store.Reservations.Peek("10.0.0.1"));
        Assert.Equal(["10.0.0.2"], _store.Reservations.All().Select(static r => r.Name));
    }

    [Fact]
    public async Task AllocateAsync_SpreadingAfterCollisions_KeepsTheReservationItHoldsAcrossFailedWrites()
    {
        // One lost reservation race turns spreading on; the pool write then fails a few times, which must not send
        // the ADD to a new random address (a create and a delete each) on every retry.
        _store.Reservations.Seed("10.0.0.1", "rival/pod", "net1");
        _store.FailNext(FakeOperation.UpdatePool, () => new StoreUnavailableException("busy"), times: 5);
        var service = Services.Over(_store, Services.Fast with { SpreadAfterCollisions = 1 });

        var ip = await service.AddAsync(Wide, Pod(1));

        Assert.Equal(2, _store.CallCount(FakeOperation.CreateReservation));
        Assert.Equal(0, _store.CallCount(FakeOperation.DeleteReservation));
        Assert.Equal("ns/pod1", _store.Reservations.Peek(ip.ToString())?.PodRef);
    }

    [Fact]
    public async Task AllocateAsync_RivalCreatesTheReservationFirst_MovesToTheNextAddress()
    {
        var rivalled = false;
        _store.Reservations.BeforeCreate = (name, _) =>
        {
            if (!rivalled)
            {
                rivalled = true;
                _store.Reservations.Seed(name, "rival/pod", "net1");
            }

            return Task.CompletedTask;
        };
        var service = Services.Over(_store);

        Assert.Equal(Ip.Parse("10.0.0.2"), await service.AddAsync(Wide, Pod(1)));
        Assert.Equal("rival/pod", _store.Reservations.Peek("10.0.0.1")?.PodRef);
    }

    [Fact]
    public async Task ReleaseAsync_ReservationOfAnotherPod_IsLeftInPlace()
    {
        var service = Services.Over(_store);
        await service.AddAsync(Wide, Pod(1));
        _store.Reservations.Remove("10.0.0.1");
        var foreign = _store.Reservations.Seed("10.0.0.1", "other/pod", "net1");

        Assert.Equal(1, await service.DelAsync(Wide, Pod(1)));

        Assert.Empty(_store.Held(Wide));
        Assert.Equal(foreign, _store.Reservations.Peek("10.0.0.1"));
    }

    [Fact]
    public async Task ReleaseAsync_OwnReservation_IsDeleted()
    {
        var service = Services.Over(_store);
        await service.AddAsync(Wide, Pod(1));
        await service.AddAsync(Wide, Pod(2));

        await service.DelAsync(Wide, Pod(1));

        Assert.Equal(["10.0.0.2"], _store.Reservations.All().Select(r => r.Name));
    }

    [Fact]
    public async Task AllocateAndRelease_OverlappingDisabled_TouchNoReservations()
    {
        var config = Wide with { EnableOverlappingRanges = false };
        var foreign = _store.Reservations.Seed("10.0.0.1", "other/pod", "net1");
        var service = Services.Over(_store);

        var ip = await service.AddAsync(config, Pod(1));
        await service.DelAsync(config, Pod(1));

        Assert.Equal(Ip.Parse("10.0.0.1"), ip);
        Assert.Equal(foreign, Assert.Single(_store.Reservations.All()));
        Assert.Equal(0, _store.CallCount(FakeOperation.GetReservation));
        Assert.Equal(0, _store.CallCount(FakeOperation.CreateReservation));
        Assert.Equal(0, _store.CallCount(FakeOperation.DeleteReservation));
    }

    [Fact]
    public async Task AllocateAsync_DifferentPoolNetworkNames_KeepPoolsAndReservationsApart()
    {
        var blue = Wide with { PoolNetworkName = "blue" };
        var red = Narrow with { PoolNetworkName = "red" };
        var service = Services.Over(_store);

        var inBlue = await service.AddAsync(blue, Pod(1));
        var inRed = await service.AddAsync(red, Pod(2));
        await service.DelAsync(red, Pod(2));

        Assert.Equal(Ip.Parse("10.0.0.1"), inBlue);
        Assert.Equal(Ip.Parse("10.0.0.1"), inRed);
        Assert.Equal(["blue-10.0.0.0-28", "red-10.0.0.0-29"], _store.Pools.Names);
        Assert.Equal("ns/pod1", Assert.Single(_store.Reservations.All(), r => r.Name == "blue-10.0.0.1").PodRef);
        Assert.Null(_store.Reservations.Peek("red-10.0.0.1"));
    }
}
