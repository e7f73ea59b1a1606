namespace Whereabouts.Storage.File.Tests;

/// <summary>Pool writes take an exclusive flock that every process on the host respects.</summary>
public sealed class FileLockTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private string LockPath => _dir.Sub("pools", Stores.Key.Name + ".lock");

    [Fact]
    public async Task TryUpdateAsync_WhileTheLockIsHeld_WaitsAndThenWrites()
    {
        await using var store = new FileIpamStore(_dir.Path);
        var snapshot = await store.Pools.GetOrCreateAsync(Stores.Key, _ct);
        var held = await FileLock.AcquireAsync(LockPath, _ct);

        var write = store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(1, Stores.Owner.ToAllocation()), _ct);
        await Task.Delay(200, _ct);
        Assert.False(write.IsCompleted);
        Assert.Equal("1", (await store.Pools.GetAsync(Stores.Key, _ct))?.Version);

        held.Dispose();
        Assert.True(await write.WaitAsync(TimeSpan.FromSeconds(10), _ct));
    }

    [Fact]
    public async Task TryUpdateAsync_LockHeldPastTheCallersDeadline_IsCancelledWithoutWriting()
    {
        await using var store = new FileIpamStore(_dir.Path);
        var snapshot = await store.Pools.GetOrCreateAsync(Stores.Key, _ct);
        using var held = await FileLock.AcquireAsync(LockPath, _ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        deadline.CancelAfter(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(1, Stores.Owner.ToAllocation()), deadline.Token));

        Assert.Equal("1", (await store.Pools.GetAsync(Stores.Key, _ct))?.Version);
    }

    [Fact]
    public async Task AnotherProcess_CannotWriteWhileThisOneHoldsTheLock()
    {
        await using (var store = new FileIpamStore(_dir.Path))
        {
            await store.Pools.GetOrCreateAsync(Stores.Key, _ct);
        }

        using (await FileLock.AcquireAsync(LockPath, _ct))
        {
            using var blocked = await PeerProcess.StartAsync("update", _dir.Path, "10.0.0.0/24", "ns/peer", "500");
            Assert.Equal(["timeout"], await blocked.FinishAsync());
        }

        using var free = await PeerProcess.StartAsync("update", _dir.Path, "10.0.0.0/24", "ns/peer", "10000");
        Assert.Equal(["updated"], await free.FinishAsync());
        Assert.Equal("ns/peer", (await new FileIpamStore(_dir.Path).Pools.GetAsync(Stores.Key, _ct))?.Allocations[1].PodRef);
    }

    [Fact]
    public async Task AcquireAsync_SecondHolderInTheSameProcess_WaitsForTheFirst()
    {
        Directory.CreateDirectory(_dir.Pools);
        var first = await FileLock.AcquireAsync(LockPath, _ct);

        var second = FileLock.AcquireAsync(LockPath, _ct);
        await Task.Delay(100, _ct);
        Assert.False(second.IsCompleted);

        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(10), _ct)).Dispose();
    }
}
