namespace Whereabouts.Storage.File.Tests;

/// <summary>Pools as files: versions, compare-and-swap, creation races, damage, and crash leftovers.</summary>
public sealed class FilePoolStoreTests : IDisposable
{
    private static readonly PoolChange AddOwner = PoolChange.Upsert(1, Stores.Owner.ToAllocation());

    private readonly TempDir _dir = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task GetAsync_NoPool_IsNullAndCreatesNothing()
    {
        await using var store = new FileIpamStore(_dir.Path);

        Assert.Null(await store.Pools.GetAsync(Stores.Key, _ct));
        Assert.Empty(Stores.Files(_dir.Path));
    }

    [Fact]
    public async Task GetOrCreateAsync_NoPool_CreatesAnEmptyPoolAtVersionOneBasedAtTheNetwork()
    {
        await using var store = new FileIpamStore(_dir.Path);

        var created = await store.Pools.GetOrCreateAsync(Stores.Key, _ct);
        var read = await store.Pools.GetAsync(Stores.Key, _ct);

        Assert.Equal("1", created.Version);
        Assert.Empty(created.Allocations);
        Assert.Equal(Ip.Parse("10.0.0.0"), created.Base);
        Assert.Equal(created.Version, read?.Version);
    }

    [Fact]
    public async Task TryUpdateAsync_CurrentVersion_WritesAndMovesTheVersion()
    {
        await using var store = new FileIpamStore(_dir.Path);
        var snapshot = await store.Pools.GetOrCreateAsync(Stores.Key, _ct);

        Assert.True(await store.Pools.TryUpdateAsync(snapshot, AddOwner, _ct));

        var after = await store.Pools.GetAsync(Stores.Key, _ct);
        Assert.Equal("2", after?.Version);
        Assert.Equal(Stores.Owner.ToAllocation(), after?.Allocations[1]);
    }

    [Fact]
    public async Task TryUpdateAsync_StaleVersion_IsRefusedAndLeavesTheFileAsItWas()
    {
        await using var store = new FileIpamStore(_dir.Path);
        var stale = await store.Pools.GetOrCreateAsync(Stores.Key, _ct);
        Assert.True(await store.Pools.TryUpdateAsync(stale, PoolChange.Upsert(5, new PoolAllocation("x", "ns/x", "net1")), _ct));
        var before = await System.IO.File.ReadAllBytesAsync(Stores.PoolFile(_dir, Stores.Key), _ct);

        Assert.False(await store.Pools.TryUpdateAsync(stale, AddOwner, _ct));

        Assert.Equal(before, await System.IO.File.ReadAllBytesAsync(Stores.PoolFile(_dir, Stores.Key), _ct));
    }

    [Fact]
    public async Task TryUpdateAsync_TwoStoreInstances_SecondWriterOfTheSameVersionConflicts()
    {
        await using var first = new FileIpamStore(_dir.Path);
        await using var second = new FileIpamStore(_dir.Path);
        var a = await first.Pools.GetOrCreateAsync(Stores.Key, _ct);
        var b = await second.Pools.GetOrCreateAsync(Stores.Key, _ct);

        var results = await Task.WhenAll(
            Task.Run(() => first.Pools.TryUpdateAsync(a, PoolChange.Upsert(1, new PoolAllocation("a", "ns/a", "net1")), _ct), _ct),
            Task.Run(() => second.Pools.TryUpdateAsync(b, PoolChange.Upsert(2, new PoolAllocation("b", "ns/b", "net1")), _ct), _ct));

        Assert.Single(results, r => r);
        Assert.Single((await first.Pools.GetAsync(Stores.Key, _ct))!.Allocations);
    }

    [Fact]
    public async Task TryUpdateAsync_PoolFileRemovedSinceTheRead_Conflicts()
    {
        await using var store = new FileIpamStore(_dir.Path);
        var snapshot = await store.Pools.GetOrCreateAsync(Stores.Key, _ct);
        System.IO.File.Delete(Stores.PoolFile(_dir, Stores.Key));

        Assert.False(await store.Pools.TryUpdateAsync(snapshot, AddOwner, _ct));
    }

    [Fact]
    public async Task GetOrCreateAsync_ManyCreatorsAtOnce_OnePoolEveryoneSeesTheSameVersion()
    {
        var stores = Enumerable.Range(0, 8).Select(_ => new FileIpamStore(_dir.Path)).ToList();

        var snapshots = await Task.WhenAll(stores.Select(s => Task.Run(() => s.Pools.GetOrCreateAsync(Stores.Key, _ct), _ct)));

        Assert.All(snapshots, s => Assert.Equal("1", s.Version));
        Assert.Equal(["10.0.0.0-24.json", "10.0.0.0-24.lock"], Stores.Files(_dir.Pools));
    }

    [Fact]
    public async Task GetOrCreateAsync_ExistingPool_IsNotReplaced()
    {
        await using var store = new FileIpamStore(_dir.Path);
        var snapshot = await store.Pools.GetOrCreateAsync(Stores.Key, _ct);
        await store.Pools.TryUpdateAsync(snapshot, AddOwner, _ct);

        var again = await new FileIpamStore(_dir.Path).Pools.GetOrCreateAsync(Stores.Key, _ct);

        Assert.Equal("2", again.Version);
        Assert.Single(again.Allocations);
    }

    [Fact]
    public async Task PoolWithAHandMadeBase_OffsetsCountFromTheStoredRangeAddress()
    {
        Directory.CreateDirectory(_dir.Pools);
        await System.IO.File.WriteAllTextAsync(
            Stores.PoolFile(_dir, Stores.Key), """{"range":"10.0.0.16/24","version":7,"allocations":{"2":{"id":"c","podref":"ns/p","ifname":"net1"}}}""", _ct);
        await using var store = new FileIpamStore(_dir.Path);

        var snapshot = await store.Pools.GetAsync(Stores.Key, _ct);

        Assert.Equal(Ip.Parse("10.0.0.16"), snapshot?.Base);
        Assert.Equal("7", snapshot?.Version);
    }

    [Fact]
    public async Task KeysThatAreNotOffsets_AreReportedAndSurviveWrites()
    {
        Directory.CreateDirectory(_dir.Pools);
        await System.IO.File.WriteAllTextAsync(
            Stores.PoolFile(_dir, Stores.Key), """{"range":"10.0.0.0/24","version":1,"allocations":{"abc":{"id":"c","podref":"ns/p","ifname":"net1"}}}""", _ct);
        await using var store = new FileIpamStore(_dir.Path);

        var snapshot = await store.Pools.GetOrCreateAsync(Stores.Key, _ct);
        Assert.True(await store.Pools.TryUpdateAsync(snapshot, AddOwner, _ct));

        Assert.Equal(["abc"], snapshot.UnreadableKeys);
        var after = await store.Pools.GetAsync(Stores.Key, _ct);
        Assert.Equal(["abc"], after?.UnreadableKeys);
        Assert.Contains("\"abc\":{\"id\":\"c\",\"podref\":\"ns/p\",\"ifname\":\"net1\"}", await System.IO.File.ReadAllTextAsync(Stores.PoolFile(_dir, Stores.Key), _ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("{\"range\":\"10.0.0.0/24\",\"vers", true)]
    [InlineData("[]", true)]
    [InlineData("""{"version":1,"allocations":{}}""", true)]
    [InlineData("""{"range":"10.0.0.0/24","version":"one","allocations":{}}""", true)]
    [InlineData("""{"range":"10.0.0.0/24","version":1,"allocations":[]}""", true)]
    [InlineData("""{"range":"10.0.0.0/24","version":1,"allocations":{"1":{"podref":"ns/p"}}}""", true)]
    // A write only checks the version; the range is judged by the read every write starts from.
    [InlineData("""{"range":"not-a-cidr","version":1,"allocations":{}}""", false)]
    public async Task DamagedPoolFile_Reads_FailWithStoreDataExceptionNamingTheFile(string content, bool writeFails)
    {
        Directory.CreateDirectory(_dir.Pools);
        var path = Stores.PoolFile(_dir, Stores.Key);
        await System.IO.File.WriteAllTextAsync(path, content, _ct);
        await using var store = new FileIpamStore(_dir.Path);
        var snapshot = new PoolSnapshot(Stores.Key, Ip.Parse("10.0.0.0"), "1", new Dictionary<UInt128, PoolAllocation>());

        var errors = new List<StoreDataException>
        {
            await Assert.ThrowsAsync<StoreDataException>(() => store.Pools.GetAsync(Stores.Key, _ct)),
            await Assert.ThrowsAsync<StoreDataException>(() => store.Pools.GetOrCreateAsync(Stores.Key, _ct)),
        };
        if (writeFails)
        {
            errors.Add(await Assert.ThrowsAsync<StoreDataException>(() => store.Pools.TryUpdateAsync(snapshot, AddOwner, _ct)));
            Assert.Equal(content, await System.IO.File.ReadAllTextAsync(path, _ct));
        }

        Assert.All(errors, e => Assert.Contains(path, e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriterKilledBeforeItsRename_ReadersSeeTheOldPoolAndTheNextWriterCleansUp()
    {
        await using var store = new FileIpamStore(_dir.Path);
        var snapshot = await store.Pools.GetOrCreateAsync(Stores.Key, _ct);
        var path = Stores.PoolFile(_dir, Stores.Key);
        // What a writer killed by SIGKILL between write and rename leaves: a complete or torn temporary file.
        await System.IO.File.WriteAllTextAsync(path + ".tmp.999999.0badf00d", """{"range":"10.0.0.0/24","version":2,"allocations":{"9":{"id""", _ct);
        await System.IO.File.WriteAllTextAsync(path + ".tmp.999998.0badf00e", """{"range":"10.0.0.0/24","version":2,"allocations":{}}""", _ct);

        var read = await store.Pools.GetAsync(Stores.Key, _ct);
        Assert.Equal("1", read?.Version);
        Assert.Empty(read!.Allocations);

        Assert.True(await store.Pools.TryUpdateAsync(snapshot, AddOwner, _ct));
        Assert.Equal(["10.0.0.0-24.json", "10.0.0.0-24.lock"], Stores.Files(_dir.Pools));
        Assert.Equal("2", (await store.Pools.GetAsync(Stores.Key, _ct))?.Version);
    }

    [Fact]
    public async Task ManyWrites_LeaveNoTemporaryFiles()
    {
        await using var store = new FileIpamStore(_dir.Path);
        for (var i = 0; i < 20; i++)
        {
            var snapshot = await store.Pools.GetOrCreateAsync(Stores.Key, _ct);
            Assert.True(await store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert((UInt128)i + 1, new PoolAllocation($"c{i}", $"ns/p{i}", "net1")), _ct));
        }

        Assert.Equal(["10.0.0.0-24.json", "10.0.0.0-24.lock"], Stores.Files(_dir.Pools));
        Assert.Equal(20, (await store.Pools.GetAsync(Stores.Key, _ct))?.Allocations.Count);
    }
}
