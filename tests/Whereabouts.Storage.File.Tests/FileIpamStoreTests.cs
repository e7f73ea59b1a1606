namespace Whereabouts.Storage.File.Tests;

/// <summary>The store as a whole: reachability, locality, and how disk problems are reported.</summary>
public sealed class FileIpamStoreTests : IDisposable
{
    private const string SkipReadOnly = "this machine cannot make a directory read-only for this user (root without CAP_LINUX_IMMUTABLE: chattr +i failed)";

    private readonly TempDir _dir = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task CheckReachableAsync_NewDataDir_CreatesItAndLeavesNoProbeBehind()
    {
        await using var store = new FileIpamStore(_dir.Sub("new", "data"));

        await store.CheckReachableAsync(_ct);

        Assert.True(Directory.Exists(_dir.Sub("new", "data")));
        Assert.Empty(Stores.Files(_dir.Path));
    }

    [Fact]
    public async Task LocateAsync_AnyAllocation_IsOnThisHost()
    {
        await using var store = new FileIpamStore(_dir.Path);

        Assert.Equal(AllocationPlacement.ThisHost, await store.LocateAsync(new PoolAllocation("c", "ns/p", "net1"), _ct));
        Assert.Equal(AllocationPlacement.ThisHost, await store.LocateAsync(new PoolAllocation("c", string.Empty, "eth0"), _ct));
    }

    [Fact]
    public async Task FindByContainerAsync_FindsExactlyThatContainersReservations()
    {
        await using var store = new FileIpamStore(_dir.Path);
        Assert.Empty(await store.Reservations.FindByContainerAsync("c1", _ct));
        await store.Reservations.TryCreateAsync("10.0.0.1", new AllocationOwner("c1", "ns/a", "net1"), _ct);
        await store.Reservations.TryCreateAsync("10.0.0.2", new AllocationOwner("c1", "ns/a", "net2"), _ct);
        await store.Reservations.TryCreateAsync("10.0.0.3", new AllocationOwner("c10", "ns/b", "net1"), _ct);

        var found = await store.Reservations.FindByContainerAsync("c1", _ct);

        Assert.Equal(["10.0.0.1", "10.0.0.2"], found.Select(static r => r.Name));
    }

    [Fact]
    public async Task AFileWhereTheDataDirShouldBe_FailsAsUnavailableWithoutRetryingWithinTheCall()
    {
        var blocked = _dir.Sub("blocked");
        await System.IO.File.WriteAllTextAsync(blocked, "not a directory", _ct);
        await using var store = new FileIpamStore(blocked);

        var errors = new[]
        {
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.CheckReachableAsync(_ct)),
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.Pools.GetOrCreateAsync(Stores.Key, _ct)),
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.Reservations.TryCreateAsync("10.0.0.1", Stores.Owner, _ct)),
        };

        Assert.All(errors, e => Assert.False(e.IsTransient));
        Assert.All(errors, e => Assert.Contains(blocked, e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADataDirThatRefusesWrites_FailsAsAccessDenied()
    {
        await using var store = new FileIpamStore(_dir.Path);
        var snapshot = await store.Pools.GetOrCreateAsync(Stores.Key, _ct);
        await store.Reservations.TryCreateAsync("10.0.0.9", Stores.Owner, _ct);
        var denied = new List<string> { _dir.Path, _dir.Pools, _dir.Reservations }.Select(ReadOnlyDirectory.TryMake).ToList();
        try
        {
            if (denied.Any(d => d is null))
            {
                Assert.Skip(SkipReadOnly);
            }

            await Assert.ThrowsAsync<StoreAccessDeniedException>(() => store.CheckReachableAsync(_ct));
            await Assert.ThrowsAsync<StoreAccessDeniedException>(() => store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(1, Stores.Owner.ToAllocation()), _ct));
            await Assert.ThrowsAsync<StoreAccessDeniedException>(() => store.Pools.GetOrCreateAsync(PoolKey.For(Cidr.Parse("10.9.0.0/24"), null), _ct));
            await Assert.ThrowsAsync<StoreAccessDeniedException>(() => store.Reservations.TryCreateAsync("10.0.0.1", Stores.Owner, _ct));
            Assert.Equal("1", (await store.Pools.GetAsync(Stores.Key, _ct))?.Version);
        }
        finally
        {
            foreach (var directory in denied)
            {
                directory?.Dispose();
            }
        }
    }
}
