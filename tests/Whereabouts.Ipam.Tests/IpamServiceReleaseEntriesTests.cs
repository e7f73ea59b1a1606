using Whereabouts.Core.Naming;

namespace Whereabouts.Ipam.Tests;

/// <summary>The controller's release path: chosen entries go only while identical, then their reservations.</summary>
public sealed class IpamServiceReleaseEntriesTests : IAsyncDisposable
{
    private static readonly Core.Config.IpamConfig Config = Configs.Of("10.0.0.0/29");
    private static readonly IReadOnlyList<string?> NoNetwork = [null];

    private readonly FakeIpamStore _store = new();

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task ReleaseEntriesAsync_SortsChosenEntriesIntoReleasedChangedAndVanished()
    {
        var service = Services.Over(_store);
        var a = await service.AddAsync(Config, Pod(1));
        var b = await service.AddAsync(Config, Pod(2));
        var c = await service.AddAsync(Config, Pod(3));
        var chosen = Chosen();
        await service.AddAsync(Config, Pod(2, containerId: "re-added"));
        await service.DelAsync(Config, Pod(3));

        var outcome = await service.ReleaseEntriesAsync(Services.KeyOf(Config), chosen, NoNetwork, null, CancellationToken.None);

        Assert.Equal([a], outcome.Released.Select(static r => r.Address));
        Assert.Equal([Offset(b)], outcome.Changed.Keys);
        Assert.Equal([Offset(c)], outcome.Vanished.Keys);
        Assert.Empty(outcome.Left);
        Assert.Null(outcome.Failure);
        Assert.Equal([ObjectNames.OverlappingReservation(a, null)], outcome.ReservationsReleased);
        Assert.Equal([b], _store.Held(Config).Keys);
        Assert.Equal("ns/pod2", Assert.Single(_store.Reservations.All()).PodRef);
    }

    [Fact]
    public async Task ReleaseEntriesAsync_TheHookSaysNo_KeepsTheReservation()
    {
        var service = Services.Over(_store);
        await service.AddAsync(Config, Pod(1));

        var outcome = await service.ReleaseEntriesAsync(Services.KeyOf(Config), Chosen(), NoNetwork, (_, _) => Task.FromResult(false), CancellationToken.None);

        Assert.Single(outcome.Released);
        Assert.Empty(outcome.ReservationsReleased);
        Assert.Empty(_store.Pools.Entries());
        Assert.Single(_store.Reservations.All());
    }

    [Fact]
    public async Task ReleaseEntriesAsync_NoNetworks_LeavesReservationsAlone()
    {
        var service = Services.Over(_store);
        await service.AddAsync(Config, Pod(1));

        var outcome = await service.ReleaseEntriesAsync(Services.KeyOf(Config), Chosen(), [], null, CancellationToken.None);

        Assert.Single(outcome.Released);
        Assert.Single(_store.Reservations.All());
    }

    [Fact]
    public async Task ReleaseEntriesAsync_WritesKeepFailing_ReportsWhatIsLeft()
    {
        var service = Services.Over(_store);
        await service.AddAsync(Config, Pod(1));
        var chosen = Chosen();
        _store.FailNext(FakeOperation.UpdatePool, static () => new StoreUnavailableException("disk", isTransient: false));

        var outcome = await service.ReleaseEntriesAsync(Services.KeyOf(Config), chosen, NoNetwork, null, CancellationToken.None);

        Assert.Empty(outcome.Released);
        Assert.Equal(chosen.Keys, outcome.Left.Keys);
        Assert.IsType<StoreUnavailableException>(outcome.Failure);
        Assert.Single(_store.Pools.Entries());
    }

    private Dictionary<UInt128, PoolAllocation> Chosen() =>
        _store.Held(Config).ToDictionary(static h => Offset(h.Key), static h => h.Value);

    private static UInt128 Offset(Ip address) => address.OffsetFrom(Ip.Parse("10.0.0.0"));
}
