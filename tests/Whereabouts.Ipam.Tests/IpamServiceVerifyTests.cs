namespace Whereabouts.Ipam.Tests;

/// <summary>CNI CHECK (<see cref="IpamService.VerifyAsync"/>) and STATUS (<see cref="IpamService.CheckStatusAsync"/>).</summary>
public sealed class IpamServiceVerifyTests : IAsyncDisposable
{
    private static readonly Core.Config.IpamConfig Config = Configs.Of("10.0.0.0/29", "fd00::/125");

    private readonly FakeIpamStore _store = new();

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task VerifyAsync_AfterAdd_PassesWithAndWithoutPrevResult()
    {
        var service = Services.Over(_store);
        await service.AllocateAsync(new AllocationRequest(Config, Pod(1)), CancellationToken.None);

        await service.VerifyAsync(Config, Pod(1), [Ip.Parse("10.0.0.1"), Ip.Parse("fd00::1")], CancellationToken.None);
        await service.VerifyAsync(Config, Pod(1), [], CancellationToken.None);
    }

    [Fact]
    public async Task VerifyAsync_NothingHeldInARange_FailsNamingTheRange()
    {
        var service = Services.Over(_store);
        await service.AllocateAsync(new AllocationRequest(Configs.Of("10.0.0.0/29"), Pod(1)), CancellationToken.None);

        var error = await Assert.ThrowsAsync<AddressUnavailableException>(() => service.VerifyAsync(Config, Pod(1), [], CancellationToken.None));

        Assert.Contains("fd00::/125", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_AnotherContainerOfThePod_Fails()
    {
        var service = Services.Over(_store);
        await service.AllocateAsync(new AllocationRequest(Config, Pod(1, containerId: "new")), CancellationToken.None);

        await Assert.ThrowsAsync<AddressUnavailableException>(() => service.VerifyAsync(Config, Pod(1, containerId: "old"), [], CancellationToken.None));
    }

    [Fact]
    public async Task VerifyAsync_PrevResultDisagreesWithThePool_FailsNamingBoth()
    {
        var service = Services.Over(_store);
        await service.AllocateAsync(new AllocationRequest(Config, Pod(1)), CancellationToken.None);

        var error = await Assert.ThrowsAsync<AddressUnavailableException>(
            () => service.VerifyAsync(Config, Pod(1), [Ip.Parse("10.0.0.5"), Ip.Parse("fd00::1")], CancellationToken.None));

        Assert.Contains("10.0.0.5", error.Message, StringComparison.Ordinal);
        Assert.Contains("10.0.0.1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_ReservationMissing_Fails()
    {
        var service = Services.Over(_store);
        await service.AllocateAsync(new AllocationRequest(Config, Pod(1)), CancellationToken.None);
        _store.Reservations.Remove("fd00--1");

        var error = await Assert.ThrowsAsync<AddressUnavailableException>(() => service.VerifyAsync(Config, Pod(1), [], CancellationToken.None));

        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_ReservationHeldByAnotherPod_FailsNamingIt()
    {
        var service = Services.Over(_store);
        await service.AllocateAsync(new AllocationRequest(Config, Pod(1)), CancellationToken.None);
        _store.Reservations.Remove("10.0.0.1");
        _store.Reservations.Seed("10.0.0.1", "other/pod", "net1");

        var error = await Assert.ThrowsAsync<AddressUnavailableException>(() => service.VerifyAsync(Config, Pod(1), [], CancellationToken.None));

        Assert.Contains("other/pod", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_OverlappingDisabled_DoesNotLookAtReservations()
    {
        var config = Config with { EnableOverlappingRanges = false };
        var service = Services.Over(_store);
        await service.AllocateAsync(new AllocationRequest(config, Pod(1)), CancellationToken.None);

        await service.VerifyAsync(config, Pod(1), [], CancellationToken.None);

        Assert.Equal(0, _store.CallCount(FakeOperation.GetReservation));
    }

    [Fact]
    public async Task VerifyAsync_TransientReadErrors_AreRetried()
    {
        var service = Services.Over(_store);
        await service.AllocateAsync(new AllocationRequest(Config, Pod(1)), CancellationToken.None);
        _store.FailNext(FakeOperation.GetPool, () => new StoreUnavailableException("busy"), times: 2);
        _store.FailNext(FakeOperation.GetReservation, () => new StoreUnavailableException("busy"));

        await service.VerifyAsync(Config, Pod(1), [], CancellationToken.None);
    }

    [Fact]
    public async Task CheckStatusAsync_ReachableStore_AsksOnce()
    {
        await Services.Over(_store).CheckStatusAsync(CancellationToken.None);

        Assert.Equal(1, _store.CallCount(FakeOperation.CheckReachable));
    }

    [Theory]
    [InlineData("unavailable")]
    [InlineData("denied")]
    public async Task CheckStatusAsync_StoreFails_ReportsTheFailureAfterOneAttempt(string kind)
    {
        Exception failure = kind == "denied" ? new StoreAccessDeniedException("denied") : new StoreUnavailableException("down");
        _store.FailNext(FakeOperation.CheckReachable, () => failure, times: 5);

        var thrown = await Assert.ThrowsAnyAsync<IpamException>(() => Services.Over(_store).CheckStatusAsync(CancellationToken.None));

        Assert.Same(failure, thrown);
        Assert.Equal(1, _store.CallCount(FakeOperation.CheckReachable));
    }

    [Fact]
    public async Task CheckStatusAsync_StoreDoesNotAnswerInTime_IsUnavailable()
    {
        _store.Latency = TimeSpan.FromSeconds(30);
        var service = Services.Over(_store, Services.Fast with { StatusTimeout = TimeSpan.FromMilliseconds(100) });

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => service.CheckStatusAsync(CancellationToken.None));

        Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
    }
}
