using System.Text.Json.Nodes;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Tests.Support;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Storage.Kubernetes.Tests.Integration;

/// <summary>The shared store's cache: filled by list+watch, read without requests once synced, kept fresh through outages and expiry.</summary>
public sealed class SharedStoreCacheTests
{
    private const string PoolName = "10.40.0.0-24";
    private static readonly PoolKey Key = PoolKey.For(Cidr.Parse("10.40.0.0/24"), null);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Synced_ReadsPoolsAndReservationsWithoutRequests()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Plant("ippools", PoolJson(("1", "c-1", "ns/pod-1")));
        cluster.Plant("overlappingrangeipreservations", ReservationJson("10.40.0.1", "ns/pod-1", "c-1"));
        var store = await cluster.StartSharedStoreAsync();
        cluster.Counters.Reset();

        var pool = await store.Pools.GetOrCreateAsync(Key, Ct);
        var held = await store.Reservations.GetAsync("10.40.0.1", Ct);
        var absent = await store.Reservations.GetAsync("10.40.0.2", Ct);

        Assert.Equal("ns/pod-1", pool.Allocations[1].PodRef);
        Assert.Equal(Key, pool.Key);
        Assert.Equal("ns/pod-1", held?.PodRef);
        Assert.Null(absent);
        Assert.Equal(0, cluster.Counters.Total);
    }

    [Fact]
    public async Task NotSynced_ReadsThroughTheApi()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Plant("ippools", PoolJson(("1", "c-1", "ns/pod-1")));
        cluster.Faults.Pause(OutageMode.Refuse);
        var store = await cluster.StartSharedStoreAsync(waitForSync: false);

        await Assert.ThrowsAsync<Whereabouts.Ipam.Errors.StoreUnavailableException>(() => store.Pools.GetAsync(Key, Ct));
        Assert.False(store.IsSynced);

        cluster.Faults.Resume();
        await store.WaitForSyncAsync(Ct);
        Assert.Equal("c-1", (await store.Pools.GetAsync(Key, Ct))!.Allocations[1].ContainerId);
    }

    [Fact]
    public async Task Watch_OthersWrites_ReachTheCache()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = await cluster.StartSharedStoreAsync();
        var other = cluster.OpenStore();
        var empty = await other.Pools.GetOrCreateAsync(Key, Ct);
        Assert.True(await other.Pools.TryUpdateAsync(empty, PoolChange.Upsert(7, new PoolAllocation("c-7", "ns/pod-7", "net1")), Ct));
        var claim = await other.Reservations.TryCreateAsync("10.40.0.7", new AllocationOwner("c-7", "ns/pod-7", "net1"), Ct);

        await Eventually.TrueAsync(async () => (await store.Pools.GetAsync(Key, Ct))?.Allocations.ContainsKey(7) == true, "the pool write reaches the cache");
        await Eventually.TrueAsync(async () => await store.Reservations.GetAsync("10.40.0.7", Ct) is not null, "the reservation reaches the cache");

        Assert.True(await other.Reservations.DeleteAsync(claim.Reservation, Ct));
        await Eventually.TrueAsync(async () => await store.Reservations.GetAsync("10.40.0.7", Ct) is null, "the delete reaches the cache");
    }

    [Fact]
    public async Task OwnWrites_AreReadBackAtOnce()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = await cluster.StartSharedStoreAsync();
        var owner = new AllocationOwner("c-3", "ns/pod-3", "net1");

        var empty = await store.Pools.GetOrCreateAsync(Key, Ct);
        Assert.True(await store.Pools.TryUpdateAsync(empty, PoolChange.Upsert(3, owner.ToAllocation()), Ct));
        var after = await store.Pools.GetOrCreateAsync(Key, Ct);
        var claim = await store.Reservations.TryCreateAsync("10.40.0.3", owner, Ct);
        var reservation = await store.Reservations.GetAsync("10.40.0.3", Ct);
        Assert.True(await store.Reservations.DeleteAsync(claim.Reservation, Ct));
        var deleted = await store.Reservations.GetAsync("10.40.0.3", Ct);

        Assert.Equal(owner.ToAllocation(), after.Allocations[3]);
        Assert.Equal(claim.Reservation.Uid, reservation?.Uid);
        Assert.Null(deleted);
    }

    /// <summary>An outage cuts the watch; while it lasts reads go to the API server; afterwards the watch resumes and catches up.</summary>
    [Fact]
    public async Task Outage_WatchResumesAndCatchesUpWithWritesMadeMeanwhile()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Plant("ippools", PoolJson(("1", "c-1", "ns/pod-1")));
        var store = await cluster.StartSharedStoreAsync();

        cluster.Faults.Pause(OutageMode.Refuse);
        await Eventually.TrueAsync(() => !store.IsSynced, "the store notices the outage");
        cluster.Server.Store.Update("ippools", Cluster.Namespace, PoolName, pool => AddAllocation(pool, "2", "c-2", "ns/pod-2"));
        cluster.Faults.Resume();

        await store.WaitForSyncAsync(Ct);
        await Eventually.TrueAsync(async () => (await store.Pools.GetAsync(Key, Ct))?.Allocations.ContainsKey(2) == true, "the write made during the outage reaches the cache");
        Assert.True(cluster.Counters.Get("watch", "ippools") >= 2, "the watch was opened again");
    }

    /// <summary>The history the watch would resume from is gone (410 Gone): the store lists again and drops what was deleted meanwhile.</summary>
    [Fact]
    public async Task Expired_RelistsAndDropsWhatWasDeletedMeanwhile()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Plant("ippools", PoolJson(("1", "c-1", "ns/pod-1")));
        cluster.Plant("overlappingrangeipreservations", ReservationJson("10.40.0.1", "ns/pod-1", "c-1"));
        var store = await cluster.StartSharedStoreAsync();
        var listsBefore = cluster.Counters.Get("list", "overlappingrangeipreservations");

        cluster.Faults.Pause(OutageMode.Refuse);
        await Eventually.TrueAsync(() => !store.IsSynced, "the store notices the outage");
        cluster.Server.Store.Delete("overlappingrangeipreservations", Cluster.Namespace, "10.40.0.1");
        cluster.Server.Store.Update("ippools", Cluster.Namespace, PoolName, pool => AddAllocation(pool, "2", "c-2", "ns/pod-2"));
        cluster.Server.Store.Compact();
        cluster.Faults.Resume();

        await Eventually.TrueAsync(() => cluster.Counters.Get("list", "overlappingrangeipreservations") > listsBefore, "the store lists again");
        await store.WaitForSyncAsync(Ct);
        await Eventually.TrueAsync(async () => await store.Reservations.GetAsync("10.40.0.1", Ct) is null, "the deleted reservation leaves the cache");
        await Eventually.TrueAsync(async () => (await store.Pools.GetAsync(Key, Ct))?.Allocations.ContainsKey(2) == true, "the pool write reaches the cache");
    }

    /// <summary>A new API server (state restored from a backup, so versions start over) behind the same address.</summary>
    [Fact]
    public async Task ServerRestart_StoreReconnectsToTheNewServer()
    {
        var directory = Directory.CreateTempSubdirectory("wb-restart-");
        try
        {
            var options = new KubeApiServerOptions { Token = "restart-token" };
            var first = await KubeApiServer.StartAsync(options, Ct);
            var port = first.BaseAddress.Port;
            var kubeconfig = first.WriteKubeconfig(Path.Combine(directory.FullName, "kubeconfig"));
            first.Store.Create("ippools", JsonNode.Parse(PoolJson(("1", "c-1", "ns/pod-1")))!.AsObject());
            var log = new ListLogger();
            await using var store = await SharedKubernetesIpamStore.StartAsync(new KubernetesStoreOptions { KubeconfigPath = kubeconfig }, log, Ct);
            await store.WaitForSyncAsync(Ct);
            Assert.True((await store.Pools.GetAsync(Key, Ct))!.Allocations.ContainsKey(1));
            await first.DisposeAsync();
            await Eventually.TrueAsync(() => !store.IsSynced, "the store notices the server is gone");

            await using var second = await KubeApiServer.StartAsync(options with { Port = port }, Ct);
            second.WriteKubeconfig(kubeconfig);
            second.Store.Create("ippools", JsonNode.Parse(PoolJson(("5", "c-5", "ns/pod-5")))!.AsObject());

            try
            {
                await Eventually.TrueAsync(
                    async () => store.IsSynced && (await store.Pools.GetAsync(Key, Ct))?.Allocations.ContainsKey(5) == true,
                    "the store follows the new server",
                    TimeSpan.FromSeconds(30));
            }
            catch (Xunit.Sdk.XunitException ex)
            {
                throw new Xunit.Sdk.XunitException(ex.Message + "; the store logged:\n" + string.Join('\n', log.Lines.TakeLast(20)));
            }

            await store.WaitForSyncAsync(Ct);
            var pool = await store.Pools.GetAsync(Key, Ct);
            Assert.False(pool!.Allocations.ContainsKey(1));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static void AddAllocation(JsonObject pool, string offset, string id, string podRef) =>
        ((JsonObject)pool["spec"]!["allocations"]!)[offset] = new JsonObject { ["id"] = id, ["podref"] = podRef, ["ifname"] = "net1" };

    private static string PoolJson(params (string Offset, string Id, string PodRef)[] allocations)
    {
        var map = new JsonObject();
        foreach (var (offset, id, podRef) in allocations)
        {
            map[offset] = new JsonObject { ["id"] = id, ["podref"] = podRef, ["ifname"] = "net1" };
        }

        return new JsonObject
        {
            ["apiVersion"] = "whereabouts.cni.cncf.io/v1alpha1",
            ["kind"] = "IPPool",
            ["metadata"] = new JsonObject { ["name"] = PoolName, ["namespace"] = Cluster.Namespace },
            ["spec"] = new JsonObject { ["range"] = "10.40.0.0/24", ["allocations"] = map },
        }.ToJsonString();
    }

    private static string ReservationJson(string name, string podRef, string containerId) =>
        new JsonObject
        {
            ["apiVersion"] = "whereabouts.cni.cncf.io/v1alpha1",
            ["kind"] = "OverlappingRangeIPReservation",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Cluster.Namespace },
            ["spec"] = new JsonObject { ["podref"] = podRef, ["containerid"] = containerId, ["ifname"] = "net1" },
        }.ToJsonString();
}
