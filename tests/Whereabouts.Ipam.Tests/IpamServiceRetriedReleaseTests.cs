using Whereabouts.Core.Naming;

namespace Whereabouts.Ipam.Tests;

/// <summary>
/// DEL is idempotent in full: one retried after a failure at any point (the pool entry removed, its reservation not yet;
/// or an ADD that reserved but never wrote the pool) still removes every reservation the attachment owns.
/// </summary>
public sealed class IpamServiceRetriedReleaseTests : IAsyncDisposable
{
    private static readonly Core.Config.IpamConfig Config = Configs.Of("10.0.0.0/29", "fd00::/125");

    private readonly FakeIpamStore _store = new();

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task ReleaseAsync_RetriedAfterTheEntryWentButNotItsReservation_LeavesNothing()
    {
        var service = Services.Over(_store);
        await service.AllocateAsync(new AllocationRequest(Config, Pod(1)), CancellationToken.None);
        _store.FailNext(FakeOperation.DeleteReservation, static () => new StoreUnavailableException("killed", isTransient: false));

        await Assert.ThrowsAsync<ReleaseFailedException>(() => service.DelAsync(Config, Pod(1)));
        Assert.Empty(_store.Pools.Entries());
        Assert.Single(_store.Reservations.All());

        Assert.Equal(0, await service.DelAsync(Config, Pod(1)));

        Assert.Empty(_store.Reservations.All());
    }

    [Fact]
    public async Task ReleaseAsync_AfterAnAddThatReservedButNeverWroteThePool_RemovesTheReservation()
    {
        var owner = Pod(1);
        _store.Reservations.Seed(ObjectNames.OverlappingReservation(Ip.Parse("10.0.0.1"), null), owner.PodRef, owner.IfName, owner.ContainerId);
        _store.Reservations.Seed(ObjectNames.OverlappingReservation(Ip.Parse("fd00::1"), null), owner.PodRef, owner.IfName, owner.ContainerId);

        Assert.Equal(0, await Services.Over(_store).DelAsync(Config, owner));

        Assert.Empty(_store.Reservations.All());
    }

    [Fact]
    public async Task ReleaseAsync_AKilledAttemptReservedAnotherAddress_ThatReservationGoesToo()
    {
        // The attempt that succeeded (a retry, or the fallback after a node agent died) took another address than the
        // killed one had reserved; the pool points only at the address in use.
        var owner = Pod(1);
        _store.Reservations.Seed(ObjectNames.OverlappingReservation(Ip.Parse("10.0.0.6"), null), owner.PodRef, owner.IfName, owner.ContainerId);
        var service = Services.Over(_store);
        await service.AllocateAsync(new AllocationRequest(Config, owner), CancellationToken.None);
        Assert.Equal(3, _store.Reservations.All().Count);

        Assert.Equal(2, await service.DelAsync(Config, owner));

        Assert.Equal(1, _store.CallCount(FakeOperation.FindReservations));
        Assert.Empty(_store.Pools.Entries());
        Assert.Empty(_store.Reservations.All());
    }

    [Fact]
    public async Task ReleaseAsync_LateDelOfAnOldSandbox_KeepsTheReservationItsSuccessorReused()
    {
        // A StatefulSet pod re-created under its name gets its address (and reservation, still naming the old
        // container) back; the old sandbox's late DEL finds no entry of its own and must not take the reservation.
        var config = Configs.Of("10.0.0.0/29");
        var service = Services.Over(_store);
        await service.AddAsync(config, Pod(1, "net1", containerId: "old"));
        await service.AddAsync(config, Pod(1, "net1", containerId: "new"));

        Assert.Equal(0, await service.DelAsync(config, Pod(1, "net1", containerId: "old")));

        Assert.Equal("new", Assert.Single(_store.Held(config)).Value.ContainerId);
        Assert.Equal("old", Assert.Single(_store.Reservations.All()).ContainerId);
    }

    [Fact]
    public async Task ReleaseAsync_OrphanOfAnotherInterfaceOrContainer_IsKept()
    {
        var owner = Pod(1);
        _store.Reservations.Seed("10.0.0.1", owner.PodRef, "net2", owner.ContainerId);
        _store.Reservations.Seed("10.0.0.2", owner.PodRef, owner.IfName, "someone-else");
        _store.Reservations.Seed("10.0.0.3", owner.PodRef, owner.IfName);

        await Services.Over(_store).DelAsync(Config, owner);

        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], _store.Reservations.All().Select(static r => r.Name));
    }

    [Fact]
    public async Task ReleaseAsync_OverlappingRangesOff_NeverLooksForReservations()
    {
        var config = Config with { EnableOverlappingRanges = false };

        Assert.Equal(0, await Services.Over(_store).DelAsync(config, Pod(1)));

        Assert.Equal(0, _store.CallCount(FakeOperation.FindReservations));
    }

    [Fact]
    public async Task ReleaseAsync_TheLookupFails_IsReportedSoTheRuntimeRetries()
    {
        var owner = Pod(1);
        _store.Reservations.Seed("10.0.0.1", owner.PodRef, owner.IfName, owner.ContainerId);
        _store.FailNext(FakeOperation.FindReservations, static () => new StoreUnavailableException("down", isTransient: false));
        var service = Services.Over(_store);

        var error = await Assert.ThrowsAsync<ReleaseFailedException>(() => service.DelAsync(Config, owner));

        Assert.True(error.IsTransient);
        Assert.Single(_store.Reservations.All());
        await service.DelAsync(Config, owner);
        Assert.Empty(_store.Reservations.All());
    }
}
