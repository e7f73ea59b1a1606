using System.Diagnostics;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Tests.Support;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Storage.Kubernetes.Tests.Integration;

/// <summary>The shared store's writes: group commit of pool changes, conflicts inside and outside a batch, lost answers, reservations.</summary>
public sealed class SharedStoreWriteTests
{
    private const string PoolName = "10.50.0.0-24";
    private static readonly PoolKey Key = PoolKey.For(Cidr.Parse("10.50.0.0/24"), null);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TryUpdateAsync_ManyConcurrentChanges_FewerPatchesAndEveryAnswerTrue()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = await cluster.StartSharedStoreAsync();
        var snapshot = await store.Pools.GetOrCreateAsync(Key, Ct);
        cluster.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(20));
        cluster.Counters.Reset();

        var answers = await Task.WhenAll(Enumerable.Range(1, 50).Select(i =>
            Task.Run(() => store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert((UInt128)i, Allocation(i)), Ct), Ct)));

        Assert.All(answers, Assert.True);
        var patches = cluster.Counters.Get("patch", "ippools");
        Assert.InRange(patches, 1, 10);
        Assert.Equal(patches, store.Counters.PoolPatches);
        Assert.Equal(50, store.Counters.ChangesSent);
        var allocations = Json.Allocations(cluster.Pool(PoolName));
        Assert.Equal(50, allocations.Count);
        Assert.Equal(0, cluster.Counters.Get("get", "ippools"));
    }

    [Fact]
    public async Task TryUpdateAsync_TwoAddsOfOneOffsetInOneBatch_FirstWinsSecondSeesTheWinner()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = await cluster.StartSharedStoreAsync();
        var snapshot = await store.Pools.GetOrCreateAsync(Key, Ct);
        cluster.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(200));
        var blocker = await StartBlockerAsync(store, snapshot);
        cluster.Counters.Reset();

        var first = store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(10, Allocation(10)), Ct);
        var second = store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(10, Allocation(11)), Ct);
        Assert.True(await blocker);
        Assert.True(await first);
        Assert.False(await second);

        var reread = await store.Pools.GetOrCreateAsync(Key, Ct);
        Assert.Equal(Allocation(10), reread.Allocations[10]);
        Assert.Equal(2, cluster.Counters.Get("patch", "ippools"));
        Assert.Equal(0, cluster.Counters.Get("patch", "ippools", 422));
    }

    /// <summary>
    /// Another writer takes one offset of a batch after the batch was planned: the server refuses the whole patch, the
    /// store reads the pool again and writes the others of the batch once more; only the one that lost answers false.
    /// </summary>
    [Fact]
    public async Task TryUpdateAsync_GuardFailsOnTheServer_OnlyTheLosersAnswerFalse()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = await cluster.StartSharedStoreAsync();
        var snapshot = await store.Pools.GetOrCreateAsync(Key, Ct);
        cluster.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(300));
        var blocker = await StartBlockerAsync(store, snapshot);

        var a = store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(10, Allocation(10)), Ct);
        var b = store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(11, Allocation(11)), Ct);
        var c = store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(12, Allocation(12)), Ct);
        Assert.True(await blocker);
        await Eventually.TrueAsync(() => store.Counters.PoolPatches == 2, "the batch is sent");
        cluster.Server.Store.Update("ippools", Cluster.Namespace, PoolName, pool =>
            ((System.Text.Json.Nodes.JsonObject)pool["spec"]!["allocations"]!)["11"] = new System.Text.Json.Nodes.JsonObject
            {
                ["id"] = "other-writer", ["podref"] = "ns/other", ["ifname"] = "net1",
            });

        Assert.True(await a);
        Assert.False(await b);
        Assert.True(await c);
        var allocations = Json.Allocations(cluster.Pool(PoolName));
        Assert.Equal("other-writer", (string)allocations["11"]!["id"]!);
        Assert.Equal(Allocation(10).ContainerId, (string)allocations["10"]!["id"]!);
        Assert.Equal(Allocation(12).ContainerId, (string)allocations["12"]!["id"]!);
        Assert.Equal(1, cluster.Counters.Get("patch", "ippools", 422));
        Assert.Equal(3, store.Counters.PoolPatches);
        Assert.Equal(1 + 3 + 2, store.Counters.ChangesSent);
    }

    /// <summary>The answer to a write is lost after the server applied it: a fresh read shows every change, and each answers true.</summary>
    [Fact]
    public async Task TryUpdateAsync_AnswerLostAfterTheWrite_EveryChangeOfTheBatchSucceeds()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = await cluster.StartSharedStoreAsync();
        var snapshot = await store.Pools.GetOrCreateAsync(Key, Ct);
        cluster.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(200));
        var blocker = await StartBlockerAsync(store, snapshot);
        using var lost = cluster.Faults.DropNext(1, "patch", "ippools", FaultPoint.AfterProcessing);

        var a = store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(10, Allocation(10)), Ct);
        var b = store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(11, Allocation(11)), Ct);

        Assert.True(await blocker);
        Assert.True(await a);
        Assert.True(await b);
        Assert.Equal(1, lost.Triggered);
        Assert.Equal(3, Json.Allocations(cluster.Pool(PoolName)).Count);
        Assert.Equal(1, cluster.Counters.Get("patch", "ippools", 0));
    }

    /// <summary>
    /// A batch whose answer was lost is decided change by change on a fresh read: a change that shows (the blocker,
    /// applied) succeeds; a change that does not (this batch's, refused before it was processed) gets the transient error.
    /// </summary>
    [Fact]
    public async Task TryUpdateAsync_TransientFailure_DecidedPerChangeOnAFreshRead()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = await cluster.StartSharedStoreAsync();
        var snapshot = await store.Pools.GetOrCreateAsync(Key, Ct);
        using var lostAfterWrite = cluster.Faults.DropNext(1, "patch", "ippools", FaultPoint.AfterProcessing);

        Assert.True(await store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(10, Allocation(10)), Ct));

        using var refused = cluster.Faults.FailNext(1, 503, "patch", "ippools");
        var ex = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(11, Allocation(11)), Ct));
        Assert.True(ex.IsTransient);
        var allocations = Json.Allocations(cluster.Pool(PoolName));
        Assert.True(allocations.ContainsKey("10"));
        Assert.False(allocations.ContainsKey("11"));
        Assert.Equal(1, lostAfterWrite.Triggered);
        Assert.Equal(1, refused.Triggered);
    }

    [Fact]
    public async Task TryUpdateAsync_ServerRefusesABatchAlthoughNothingMoved_EachChangeIsTriedAlone()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = await cluster.StartSharedStoreAsync();
        var snapshot = await store.Pools.GetOrCreateAsync(Key, Ct);
        cluster.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(200));
        var blocker = await StartBlockerAsync(store, snapshot);
        using var refusal = cluster.Faults.FailNext(1, 422, "patch", "ippools");

        var a = store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(10, Allocation(10)), Ct);
        var b = store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(11, Allocation(11)), Ct);

        // The blocker is refused alone (nothing moved: a real refusal); the batch of a and b goes through.
        await Assert.ThrowsAsync<StoreDataException>(() => blocker);
        Assert.True(await a);
        Assert.True(await b);
    }

    /// <summary>A 409 on a pool that did not move (as the node agent's 100-process test injects) is a race, retried; never an error.</summary>
    [Fact]
    public async Task TryUpdateAsync_ConflictAlthoughNothingMoved_IsRetriedNotRefused()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = await cluster.StartSharedStoreAsync();
        var snapshot = await store.Pools.GetOrCreateAsync(Key, Ct);
        using var conflict = cluster.Faults.FailNext(1, 409, "patch", "ippools");

        Assert.True(await store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(10, Allocation(10)), Ct));

        Assert.Equal(1, conflict.Triggered);
        Assert.Equal(2, cluster.Counters.Get("patch", "ippools"));
        Assert.True(Json.Allocations(cluster.Pool(PoolName)).ContainsKey("10"));
    }

    [Fact]
    public async Task TryCreateAsync_ManyNames_CreatedInParallel()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = await cluster.StartSharedStoreAsync();
        cluster.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(200));
        var started = Stopwatch.StartNew();

        var claims = await Task.WhenAll(Enumerable.Range(1, 20).Select(i =>
            store.Reservations.TryCreateAsync($"10.50.0.{i}", Owner(i), Ct)));

        Assert.All(claims, c => Assert.True(c.Created));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), $"20 creates of 200 ms each took {started.Elapsed}: they were not sent side by side");
        Assert.Equal(20, cluster.Reservations().Count);
    }

    [Fact]
    public async Task TryCreateAsync_SameNameTwiceAtOnce_OneRequestAndTheSecondGetsTheFirstsHolding()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = await cluster.StartSharedStoreAsync();
        cluster.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(200));
        cluster.Counters.Reset();

        var first = store.Reservations.TryCreateAsync("10.50.0.9", Owner(1), Ct);
        var second = store.Reservations.TryCreateAsync("10.50.0.9", Owner(2), Ct);

        Assert.True((await first).Created);
        var other = await second;
        Assert.False(other.Created);
        Assert.Equal(Owner(1).PodRef, other.Reservation.PodRef);
        Assert.Equal(1, cluster.Counters.Get("create", "overlappingrangeipreservations"));
        Assert.Equal(0, cluster.Counters.Get("get", "overlappingrangeipreservations"));
    }

    [Fact]
    public async Task TryCreateAsync_HeldByAnotherPod_AnsweredFromTheCacheWithoutARequest()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = await cluster.StartSharedStoreAsync();
        Assert.True((await store.Reservations.TryCreateAsync("10.50.0.9", Owner(1), Ct)).Created);
        cluster.Counters.Reset();

        var claim = await store.Reservations.TryCreateAsync("10.50.0.9", Owner(2), Ct);

        Assert.False(claim.Created);
        Assert.Equal(Owner(1).PodRef, claim.Reservation.PodRef);
        Assert.Equal(0, cluster.Counters.Get("create", "overlappingrangeipreservations"));
        Assert.Equal(0, cluster.Counters.Get("get", "overlappingrangeipreservations"));
    }

    /// <summary>A holding the cache shows as the caller's own is never trusted: it may be gone, and acting on it would be a duplicate.</summary>
    [Fact]
    public async Task TryCreateAsync_CachedAsTheCallersOwn_IsAskedFor()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = await cluster.StartSharedStoreAsync();
        Assert.True((await store.Reservations.TryCreateAsync("10.50.0.9", Owner(1), Ct)).Created);
        cluster.Counters.Reset();

        var again = await store.Reservations.TryCreateAsync("10.50.0.9", Owner(1), Ct);

        Assert.False(again.Created);
        Assert.Equal(Owner(1).PodRef, again.Reservation.PodRef);
        Assert.Equal(1, cluster.Counters.Get("create", "overlappingrangeipreservations", 409));
        Assert.Equal(1, cluster.Counters.Get("get", "overlappingrangeipreservations", 200));
    }

    /// <summary>The cached version is behind (another writer touched the object): the delete re-reads once and deletes the same holding.</summary>
    [Fact]
    public async Task DeleteAsync_StaleCachedVersion_ReadsOnceAndDeletes()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = await cluster.StartSharedStoreAsync();
        var claim = await store.Reservations.TryCreateAsync("10.50.0.9", Owner(1), Ct);
        cluster.Server.Store.Update("overlappingrangeipreservations", Cluster.Namespace, "10.50.0.9", r =>
            r["metadata"]!["labels"] = new System.Text.Json.Nodes.JsonObject { ["touched"] = "yes" });

        Assert.True(await store.Reservations.DeleteAsync(claim.Reservation, Ct));
        Assert.Empty(cluster.Reservations());
    }

    [Fact]
    public async Task DeleteAsync_RecreatedByAnotherPod_IsNotDeleted()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = await cluster.StartSharedStoreAsync();
        var claim = await store.Reservations.TryCreateAsync("10.50.0.9", Owner(1), Ct);
        var other = cluster.OpenStore();
        Assert.True(await other.Reservations.DeleteAsync(claim.Reservation, Ct));
        Assert.True((await other.Reservations.TryCreateAsync("10.50.0.9", Owner(2), Ct)).Created);

        Assert.False(await store.Reservations.DeleteAsync(claim.Reservation, Ct));
        Assert.Equal(Owner(2).PodRef, (string)cluster.Reservation("10.50.0.9")!["spec"]!["podref"]!);
    }

    /// <summary>Starts a write (offset 200) and waits until it is in flight, so that the next changes queue behind it.</summary>
    private static async Task<Task<bool>> StartBlockerAsync(SharedKubernetesIpamStore store, PoolSnapshot snapshot)
    {
        var before = store.Counters.PoolPatches;
        var blocker = store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(200, Allocation(200)), Ct);
        await Eventually.TrueAsync(() => store.Counters.PoolPatches > before, "the first write is in flight");
        return blocker;
    }

    private static PoolAllocation Allocation(int i) => Owner(i).ToAllocation();

    private static AllocationOwner Owner(int i) => new($"container-{i:000}", $"ns/pod-{i:000}", "net1");
}
