using System.Diagnostics;

namespace Whereabouts.Storage.File.Tests;

/// <summary>Reservations as files: created once, deleted only as read, and reclaimed only when provably abandoned.</summary>
public sealed class FileReservationStoreTests : IDisposable
{
    private static readonly AllocationOwner Rival = new("c2", "ns/pod2", "net1");

    private readonly TempDir _dir = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TryCreateAsync_FreeName_CreatesAndReadsBack()
    {
        await using var store = new FileIpamStore(_dir.Path);

        var claim = await store.Reservations.TryCreateAsync("10.0.0.1", Stores.Owner, _ct);

        Assert.True(claim.Created);
        Assert.Equal(("10.0.0.1", "ns/pod1", "net1", "c1"), (claim.Reservation.Name, claim.Reservation.PodRef, claim.Reservation.IfName, claim.Reservation.ContainerId));
        Assert.Equal(claim.Reservation, await store.Reservations.GetAsync("10.0.0.1", _ct));
        Assert.Null(await store.Reservations.GetAsync("10.0.0.2", _ct));
    }

    [Fact]
    public async Task TryCreateAsync_NameHeld_ReturnsTheHolderUnchanged()
    {
        await using var store = new FileIpamStore(_dir.Path);
        var first = await store.Reservations.TryCreateAsync("10.0.0.1", Stores.Owner, _ct);

        var second = await store.Reservations.TryCreateAsync("10.0.0.1", Rival, _ct);
        var same = await store.Reservations.TryCreateAsync("10.0.0.1", Stores.Owner with { ContainerId = "c1-new" }, _ct);

        Assert.False(second.Created);
        Assert.False(same.Created);
        Assert.Equal(first.Reservation, second.Reservation);
        Assert.Equal(first.Reservation, same.Reservation);
    }

    [Fact]
    public async Task TryCreateAsync_ManyCreatorsOnSeveralStores_ExactlyOneWinsAndAllSeeIt()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => new FileIpamStore(_dir.Path)).ToList();
        using var go = new ManualResetEventSlim();

        var creators = Enumerable.Range(0, 16).Select(i => Task.Run(
            async () =>
            {
                go.Wait(_ct);
                return await stores[i % 4].Reservations.TryCreateAsync("10.0.0.1", new AllocationOwner($"c{i}", $"ns/pod{i}", "net1"), _ct);
            },
            _ct)).ToList();
        go.Set();
        var real = await Task.WhenAll(creators);

        var winner = Assert.Single(real, c => c.Created).Reservation;
        Assert.All(real, c => Assert.Equal(winner, c.Reservation));
        Assert.Equal(["10.0.0.1.json"], Stores.Files(_dir.Reservations));
    }

    [Fact]
    public async Task DeleteAsync_TheReservationAsRead_DeletesIt()
    {
        await using var store = new FileIpamStore(_dir.Path);
        var reservation = (await store.Reservations.TryCreateAsync("10.0.0.1", Stores.Owner, _ct)).Reservation;

        Assert.True(await store.Reservations.DeleteAsync(reservation, _ct));

        Assert.Null(await store.Reservations.GetAsync("10.0.0.1", _ct));
        Assert.False(await store.Reservations.DeleteAsync(reservation, _ct));
    }

    [Fact]
    public async Task DeleteAsync_RecreatedSinceTheRead_LeavesTheNewOne()
    {
        await using var store = new FileIpamStore(_dir.Path);
        var old = (await store.Reservations.TryCreateAsync("10.0.0.1", Stores.Owner, _ct)).Reservation;
        Assert.True(await store.Reservations.DeleteAsync(old, _ct));
        var current = (await store.Reservations.TryCreateAsync("10.0.0.1", Rival, _ct)).Reservation;

        Assert.False(await store.Reservations.DeleteAsync(old, _ct));
        Assert.False(await store.Reservations.DeleteAsync(current with { Version = "changed-uid" }, _ct));

        Assert.Equal(current, await store.Reservations.GetAsync("10.0.0.1", _ct));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"podref\":")]
    [InlineData("""{"ifname":"net1","uid":"u"}""")]
    [InlineData("""{"podref":"ns/p","ifname":"net1"}""")]
    [InlineData("""{"podref":"ns/p","uid":"u","created":"yesterday"}""")]
    public async Task DamagedReservationFile_ReadAndCreate_FailWithStoreDataException(string content)
    {
        Directory.CreateDirectory(_dir.Reservations);
        var path = _dir.Sub("reservations", "10.0.0.1.json");
        await System.IO.File.WriteAllTextAsync(path, content, _ct);
        await using var store = new FileIpamStore(_dir.Path);

        var read = await Assert.ThrowsAsync<StoreDataException>(() => store.Reservations.GetAsync("10.0.0.1", _ct));
        await Assert.ThrowsAsync<StoreDataException>(() => store.Reservations.TryCreateAsync("10.0.0.1", Stores.Owner, _ct));

        Assert.Contains(path, read.Message, StringComparison.Ordinal);
        Assert.Equal(content, await System.IO.File.ReadAllTextAsync(path, _ct));
    }

    [Fact]
    public async Task LeftoverOfAKilledAdd_CreatorGoneAndNoPoolHoldsIt_IsReclaimedByTheNextClaimant()
    {
        await WriteReservationAsync("10.0.0.1", "ns/dead", "c-dead", await DeadPidAsync());
        await using var store = new FileIpamStore(_dir.Path);

        var claim = await store.Reservations.TryCreateAsync("10.0.0.1", Rival, _ct);

        Assert.True(claim.Created);
        Assert.Equal("ns/pod2", (await store.Reservations.GetAsync("10.0.0.1", _ct))?.PodRef);
    }

    [Theory]
    [InlineData("c-old")]
    // A StatefulSet pod got its address back with a new container: the pool records c-new, the reservation c-old.
    [InlineData("c-new")]
    public async Task LeftoverWhosePodAPoolStillHolds_IsKept(string pooledContainer)
    {
        await WriteReservationAsync("10.0.0.1", "ns/web-0", "c-old", await DeadPidAsync());
        await using var store = new FileIpamStore(_dir.Path);
        var pool = await store.Pools.GetOrCreateAsync(Stores.Key, _ct);
        await store.Pools.TryUpdateAsync(pool, PoolChange.Upsert(1, new PoolAllocation(pooledContainer, "ns/web-0", "net1")), _ct);

        var claim = await store.Reservations.TryCreateAsync("10.0.0.1", Rival, _ct);

        Assert.False(claim.Created);
        Assert.Equal("ns/web-0", claim.Reservation.PodRef);
    }

    [Fact]
    public async Task ReservationOfARunningCreator_IsKept()
    {
        await using var store = new FileIpamStore(_dir.Path);
        await store.Reservations.TryCreateAsync("10.0.0.1", Stores.Owner, _ct);

        var claim = await new FileIpamStore(_dir.Path).Reservations.TryCreateAsync("10.0.0.1", Rival, _ct);

        Assert.False(claim.Created);
        Assert.Equal("ns/pod1", claim.Reservation.PodRef);
    }

    [Fact]
    public async Task TemporaryFilesOfDeadWriters_AreRemovedAndThoseOfLiveOnesKept()
    {
        Directory.CreateDirectory(_dir.Reservations);
        var dead = _dir.Sub("reservations", $"10.0.0.1.json.tmp.{await DeadPidAsync()}.00000001");
        var live = _dir.Sub("reservations", $"10.0.0.1.json.tmp.{Environment.ProcessId}.00000002");
        await System.IO.File.WriteAllTextAsync(dead, "{\"podref\":", _ct);
        await System.IO.File.WriteAllTextAsync(live, "{\"podref\":", _ct);
        await using var store = new FileIpamStore(_dir.Path);

        Assert.True((await store.Reservations.TryCreateAsync("10.0.0.1", Stores.Owner, _ct)).Created);

        Assert.False(System.IO.File.Exists(dead));
        Assert.True(System.IO.File.Exists(live));
    }

    /// <summary>The pid of a process that has exited (and was reaped), so no process runs under it right now.</summary>
    private static async Task<int> DeadPidAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return process.Id;
    }

    private async Task WriteReservationAsync(string name, string podRef, string containerId, int pid)
    {
        Directory.CreateDirectory(_dir.Reservations);
        await System.IO.File.WriteAllTextAsync(
            _dir.Sub("reservations", name + ".json"),
            $$"""{"podref":"{{podRef}}","ifname":"net1","containerid":"{{containerId}}","uid":"u1","created":"2026-01-01T00:00:00.0000000+00:00","pid":{{pid}},"pidstart":12345}""",
            _ct);
    }
}
