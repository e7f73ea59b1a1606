using System.Globalization;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Tests.Support;

namespace Whereabouts.Storage.Kubernetes.Tests.Integration;

public sealed class PoolStoreTests
{
    private static readonly PoolAllocation A = new("c1", "ns/p1", "net1");
    private static readonly PoolAllocation B = new("c2", "ns/p2", "net1");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetOrCreateAsync_NoPool_CreatesItAsUpstreamDoes()
    {
        await using var api = await Cluster.StartAsync();
        var store = api.OpenStore();
        var key = PoolKey.For(Cidr.Parse("10.1.0.0/24"), "blue");

        var snapshot = await store.Pools.GetOrCreateAsync(key, Ct);

        var stored = api.Pool("blue-10.1.0.0-24")!;
        Assert.Equal("10.1.0.0/24", (string)stored["spec"]!["range"]!);
        Assert.Empty(Json.Allocations(stored));
        Assert.Equal(Json.ResourceVersion(stored), snapshot.Version);
        Assert.Equal(Ip.Parse("10.1.0.0"), snapshot.Base);
        Assert.Empty(snapshot.Allocations);
    }

    [Fact]
    public async Task GetAsync_NoPool_IsNull()
    {
        await using var api = await Cluster.StartAsync();

        Assert.Null(await api.OpenStore().Pools.GetAsync(PoolKey.For(Cidr.Parse("10.1.0.0/24"), null), Ct));
        Assert.Equal(1, api.Counters.Get("get", "ippools", 404));
    }

    [Fact]
    public async Task GetOrCreateAsync_TwoStoresAtOnce_BothGetTheOnePool()
    {
        await using var api = await Cluster.StartAsync();
        var key = PoolKey.For(Cidr.Parse("10.2.0.0/24"), null);
        var first = api.OpenStore();
        var second = api.OpenStore();
        api.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(50));

        var both = await Task.WhenAll(first.Pools.GetOrCreateAsync(key, Ct), second.Pools.GetOrCreateAsync(key, Ct));

        Assert.Equal(both[0].Version, both[1].Version);
        Assert.Equal(1, api.Counters.Get("create", "ippools", 201));
        Assert.Equal(1, api.Counters.Get("create", "ippools", 409));
    }

    [Fact]
    public async Task GetOrCreateAsync_LostCreateRace_ReadsTheWinnersPool()
    {
        await using var api = await Cluster.StartAsync();
        var key = PoolKey.For(Cidr.Parse("10.2.0.0/24"), null);
        using var lost = api.Faults.FailNext(1, 409, "create", "ippools");
        api.Plant("ippools", """{"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","metadata":{"name":"10.2.0.0-24","namespace":"kube-system"},"spec":{"range":"10.2.0.0/24","allocations":{"4":{"id":"w","podref":"ns/w"}}}}""");

        var snapshot = await api.OpenStore().Pools.GetOrCreateAsync(key, Ct);

        Assert.Equal(new PoolAllocation("w", "ns/w", string.Empty), snapshot.Allocations[4]);
    }

    [Fact]
    public async Task TryUpdateAsync_CurrentVersion_WritesIdPodrefAndIfname()
    {
        await using var api = await Cluster.StartAsync();
        var store = api.OpenStore();
        var snapshot = await store.Pools.GetOrCreateAsync(PoolKey.For(Cidr.Parse("10.3.0.0/24"), null), Ct);

        Assert.True(await store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(5, A), Ct));

        var entry = Json.Allocations(api.Pool("10.3.0.0-24"))["5"]!;
        Assert.Equal("""{"id":"c1","ifname":"net1","podref":"ns/p1"}""", entry.ToJsonString());
        var reread = await store.Pools.GetAsync(snapshot.Key, Ct);
        Assert.Equal(A, reread!.Allocations[5]);
        Assert.NotEqual(snapshot.Version, reread.Version);
    }

    [Fact]
    public async Task TryUpdateAsync_StaleSnapshot_IsFalseAndChangesNothing()
    {
        await using var api = await Cluster.StartAsync();
        var store = api.OpenStore();
        var stale = await store.Pools.GetOrCreateAsync(PoolKey.For(Cidr.Parse("10.3.0.0/24"), null), Ct);
        Assert.True(await store.Pools.TryUpdateAsync(stale, PoolChange.Upsert(5, A), Ct));

        Assert.False(await store.Pools.TryUpdateAsync(stale, PoolChange.Upsert(6, B), Ct));

        Assert.Equal(["5"], Json.Allocations(api.Pool("10.3.0.0-24")).Select(p => p.Key));
        Assert.Equal(1, api.Counters.Get("patch", "ippools", 422));
    }

    [Theory]
    [InlineData(409)]
    [InlineData(404)]
    public async Task TryUpdateAsync_ServerAnswersConflictOrNotFound_IsFalse(int status)
    {
        await using var api = await Cluster.StartAsync();
        var store = api.OpenStore();
        var snapshot = await store.Pools.GetOrCreateAsync(PoolKey.For(Cidr.Parse("10.3.0.0/24"), null), Ct);
        using var fault = api.Faults.FailNext(1, status, "patch", "ippools");

        Assert.False(await store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(5, A), Ct));
        Assert.True(await store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(5, A), Ct));
    }

    [Fact]
    public async Task TryUpdateAsync_PoolDeletedMeanwhile_IsFalse()
    {
        await using var api = await Cluster.StartAsync();
        var store = api.OpenStore();
        var snapshot = await store.Pools.GetOrCreateAsync(PoolKey.For(Cidr.Parse("10.3.0.0/24"), null), Ct);
        Assert.True(api.Server.Store.Delete("ippools", Cluster.Namespace, "10.3.0.0-24"));

        Assert.False(await store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(5, A), Ct));
        Assert.Null(api.Pool("10.3.0.0-24"));
    }

    [Fact]
    public async Task TryUpdateAsync_422WhilePoolUnchanged_IsStoreDataWithTheServersMessage()
    {
        await using var api = await Cluster.StartAsync();
        var store = api.OpenStore();
        var snapshot = await store.Pools.GetOrCreateAsync(PoolKey.For(Cidr.Parse("10.3.0.0/24"), null), Ct);
        using var fault = api.Faults.FailNext(1, 422, "patch", "ippools");

        var ex = await Assert.ThrowsAsync<Whereabouts.Ipam.Errors.StoreDataException>(
            () => store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(5, A), Ct));

        Assert.Contains("10.3.0.0-24", ex.Message, StringComparison.Ordinal);
        Assert.Contains("did not change since version " + snapshot.Version, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryUpdateAsync_Removal_RemovesOnlyThatOffset()
    {
        await using var api = await Cluster.StartAsync();
        var store = api.OpenStore();
        var key = PoolKey.For(Cidr.Parse("10.3.0.0/24"), null);
        var snapshot = await store.Pools.GetOrCreateAsync(key, Ct);
        Assert.True(await store.Pools.TryUpdateAsync(snapshot, new PoolChange(new Dictionary<UInt128, PoolAllocation> { [5] = A, [6] = B }, []), Ct));

        Assert.True(await store.Pools.TryUpdateAsync((await store.Pools.GetAsync(key, Ct))!, PoolChange.Remove([5]), Ct));

        Assert.Equal(["6"], Json.Allocations(api.Pool("10.3.0.0-24")).Select(p => p.Key));
    }

    [Fact]
    public async Task TryUpdateAsync_UnreadableKeys_ArePreservedUntouched()
    {
        await using var api = await Cluster.StartAsync();
        api.Plant("ippools", """
            {"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","metadata":{"name":"10.4.0.0-24","namespace":"kube-system"},
             "spec":{"range":"10.4.0.0/24","allocations":{
               "junk":{"id":"j","podref":"ns/j"},"07":{"id":"z","podref":"ns/z"},"3":{"id":"c3","podref":"ns/p3"}}}}
            """);
        var store = api.OpenStore();
        var snapshot = (await store.Pools.GetAsync(PoolKey.For(Cidr.Parse("10.4.0.0/24"), null), Ct))!;
        Assert.Equal(["07", "junk"], snapshot.UnreadableKeys.Order(StringComparer.Ordinal));

        Assert.True(await store.Pools.TryUpdateAsync(snapshot, new PoolChange(new Dictionary<UInt128, PoolAllocation> { [7] = A }, [3]), Ct));

        var allocations = Json.Allocations(api.Pool("10.4.0.0-24"));
        Assert.Equal(["07", "7", "junk"], allocations.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("""{"id":"z","podref":"ns/z"}""", allocations["07"]!.ToJsonString());
    }

    [Fact]
    public async Task TryUpdateAsync_PoolWithoutAllocationsMap_AddsTheMap()
    {
        await using var api = await Cluster.StartAsync();
        api.Plant("ippools", """{"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","metadata":{"name":"10.5.0.0-24","namespace":"kube-system"},"spec":{"range":"10.5.0.0/24"}}""");
        var store = api.OpenStore();
        var snapshot = (await store.Pools.GetAsync(PoolKey.For(Cidr.Parse("10.5.0.0/24"), null), Ct))!;

        Assert.True(await store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(2, A), Ct));

        Assert.Equal(["2"], Json.Allocations(api.Pool("10.5.0.0-24")).Select(p => p.Key));
    }

    [Theory]
    [InlineData("10.6.0.0/24", "10.6.0.200", "200")]
    [InlineData("fd00:1::/64", "fd00:1::7fff:ffff:ffff:ffff", "9223372036854775807")]
    [InlineData("fd00:2::/112", "fd00:2::1:0", "65536")]
    public async Task TryUpdateAsync_OffsetsBelow2Pow63_AreKeyedExactlyAsUpstream(string range, string address, string expectedKey)
    {
        await using var api = await Cluster.StartAsync();
        var store = api.OpenStore();
        var cidr = Cidr.Parse(range);
        var snapshot = await store.Pools.GetOrCreateAsync(PoolKey.For(cidr, null), Ct);
        var offset = Ip.Parse(address).OffsetFrom(snapshot.Base);

        Assert.True(await store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(offset, A), Ct));

        Assert.Equal([expectedKey], Json.Allocations(api.Pool(snapshot.Key.Name)).Select(p => p.Key));
    }

    [Theory]
    [InlineData("fd00:3::/64", "fd00:3::8000:0:0:5", "9223372036854775813")]
    [InlineData("fd00:3::/64", "fd00:3::ffff:ffff:ffff:ffff", "18446744073709551615")]
    [InlineData("fd00:4::/48", "fd00:4:0:1::1", "18446744073709551617")]
    [InlineData("fd00:4::/48", "fd00:4:0:ffff:ffff:ffff:ffff:fffe", "1208925819614629174706174")]
    public async Task TryUpdateAsync_OffsetsFrom2Pow63InWideIpv6Pools_RoundTripAll128Bits(string range, string address, string expectedKey)
    {
        await using var api = await Cluster.StartAsync();
        var store = api.OpenStore();
        var key = PoolKey.For(Cidr.Parse(range), null);
        var snapshot = await store.Pools.GetOrCreateAsync(key, Ct);
        var offset = Ip.Parse(address).OffsetFrom(snapshot.Base);
        Assert.Equal(expectedKey, offset.ToString(CultureInfo.InvariantCulture));

        Assert.True(await store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(offset, A), Ct));

        Assert.Equal([expectedKey], Json.Allocations(api.Pool(key.Name)).Select(p => p.Key));
        var reread = (await store.Pools.GetAsync(key, Ct))!;
        Assert.Equal(A, reread.Allocations[offset]);
        Assert.Empty(reread.UnreadableKeys);
    }

    [Fact]
    public async Task ListPoolsAsync_ManyPools_PagesThroughAll()
    {
        await using var api = await Cluster.StartAsync();
        for (var i = 0; i < 520; i++)
        {
            api.Plant("ippools", $$$$"""{"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","metadata":{"name":"10.{{{{i / 256}}}}.{{{{i % 256}}}}.0-24","namespace":"kube-system"},"spec":{"range":"10.{{{{i / 256}}}}.{{{{i % 256}}}}.0/24","allocations":{}}}""");
        }

        api.Plant("ippools", """{"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","metadata":{"name":"10.9.9.0-24","namespace":"default"},"spec":{"range":"10.9.9.0/24","allocations":{}}}""");
        var store = api.OpenStore();

        var pools = await store.ListPoolsAsync(Ct);

        Assert.Equal(520, pools.Count);
        Assert.Equal(2, api.Counters.Get("list", "ippools", 200));
        Assert.Equal(521, (await store.Client.ListPoolsAsync(null, Ct)).Count);
    }
}
