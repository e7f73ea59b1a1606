using Whereabouts.Core.Net;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Tests.Support;

namespace Whereabouts.Storage.Kubernetes.Tests.Integration;

/// <summary>Objects exactly as upstream v0.9.4 and v0.5.x write them are read and extended, as a migration needs.</summary>
public sealed class MigrationTests
{
    private const string UpstreamPool = """
        {"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"IPPool",
         "metadata":{"name":"192.168.1.0-24","namespace":"kube-system"},
         "spec":{"range":"192.168.1.0/24","allocations":{
           "1":{"id":"4e2b1c0a9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a392817060504","podref":"dummyNS/dummyPOD"},
           "2":{"id":"0a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223242526272829","podref":"legacy/old-pod","ifname":"eth0"}}}}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AllocateAsync_UpstreamPoolAndReservations_ExtendsThemAndLeavesTheirEntriesAsTheyWere()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Plant("ippools", UpstreamPool);
        cluster.Plant("overlappingrangeipreservations", """{"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"OverlappingRangeIPReservation","metadata":{"name":"192.168.1.1","namespace":"kube-system"},"spec":{"podref":"dummyNS/dummyPOD"}}""");
        cluster.Plant("overlappingrangeipreservations", """{"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"OverlappingRangeIPReservation","metadata":{"name":"192.168.1.2","namespace":"kube-system"},"spec":{"podref":"legacy/old-pod","ifname":"eth0"}}""");
        cluster.Plant("overlappingrangeipreservations", """{"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"OverlappingRangeIPReservation","metadata":{"name":"192.168.1.3","namespace":"kube-system"},"spec":{"containerid":"v05container","podref":"legacy/v05-pod"}}""");
        var before = Json.Allocations(cluster.Pool("192.168.1.0-24")).DeepClone();
        var service = Services.Ipam(cluster.OpenStore());

        var addresses = await service.AllocateAsync(Services.Request(Services.Config("192.168.1.0/24"), "c-new", "apps/new-pod"), Ct);

        Assert.Equal(Ip.Parse("192.168.1.4"), addresses[0].Address);
        var after = Json.Allocations(cluster.Pool("192.168.1.0-24"));
        Assert.Equal(before["1"]!.ToJsonString(), after["1"]!.ToJsonString());
        Assert.Equal(before["2"]!.ToJsonString(), after["2"]!.ToJsonString());
        Assert.Equal("""{"id":"c-new","ifname":"net1","podref":"apps/new-pod"}""", after["4"]!.ToJsonString());
        Assert.Equal("v05container", (string)cluster.Reservation("192.168.1.3")!["spec"]!["containerid"]!);
    }

    [Fact]
    public async Task GetAsync_UpstreamPool_ReadsEntriesWithAndWithoutIfName()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Plant("ippools", UpstreamPool);

        var snapshot = (await cluster.OpenStore().Pools.GetAsync(PoolKey.For(Cidr.Parse("192.168.1.0/24"), null), Ct))!;

        Assert.Equal(("dummyNS/dummyPOD", string.Empty), (snapshot.Allocations[1].PodRef, snapshot.Allocations[1].IfName));
        Assert.Equal(("legacy/old-pod", "eth0"), (snapshot.Allocations[2].PodRef, snapshot.Allocations[2].IfName));
    }

    [Fact]
    public async Task ReleaseAsync_UpstreamAllocationWithIfName_RemovesItAndItsUpstreamReservation()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Plant("ippools", UpstreamPool);
        cluster.Plant("overlappingrangeipreservations", """{"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"OverlappingRangeIPReservation","metadata":{"name":"192.168.1.2","namespace":"kube-system"},"spec":{"podref":"legacy/old-pod","ifname":"eth0"}}""");
        var service = Services.Ipam(cluster.OpenStore());

        var released = await service.ReleaseAsync(
            Services.Config("192.168.1.0/24"), "0a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223242526272829", "eth0", Ct);

        Assert.Equal(1, released);
        Assert.Equal(["1"], Json.Allocations(cluster.Pool("192.168.1.0-24")).Select(p => p.Key));
        Assert.Null(cluster.Reservation("192.168.1.2"));
    }
}
