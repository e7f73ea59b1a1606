using Whereabouts.Core.Net;
using Whereabouts.Ipam.Errors;
using Whereabouts.Storage.Kubernetes.Tests.Support;

namespace Whereabouts.Storage.Kubernetes.Tests.Integration;

/// <summary>
/// Node-slice mode over the API test server: a NodeSlicePool and a slice IPPool exactly as upstream's node-slice
/// controller and plugin leave them are read, and allocation goes on in the node's slice pool.
/// </summary>
public sealed class NodeSliceTests
{
    private const string UpstreamNodeSlicePool = """
        {"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"NodeSlicePool",
         "metadata":{"name":"slicenet","namespace":"kube-system",
           "ownerReferences":[{"apiVersion":"k8s.cni.cncf.io/v1","kind":"NetworkAttachmentDefinition","name":"slicenet","uid":"2a6c5f0e-0000-4000-8000-000000000001","controller":true}]},
         "spec":{"range":"10.2.0.0/16","sliceSize":"/24"},
         "status":{"allocations":[
           {"nodeName":"worker-1","sliceRange":"10.2.0.0/24"},
           {"nodeName":"worker-2","sliceRange":"10.2.1.0/24"},
           {"nodeName":"","sliceRange":"10.2.2.0/24"}]}}
        """;

    private const string UpstreamSlicePool = """
        {"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"IPPool",
         "metadata":{"name":"slicenet-worker-2-10.2.1.0-24","namespace":"kube-system"},
         "spec":{"range":"10.2.1.0/24","allocations":{
           "1":{"id":"4e2b1c0a9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a392817060504","podref":"apps/old-1","ifname":"net1"},
           "2":{"id":"0a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223242526272829","podref":"apps/old-2","ifname":"net1"}}}}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Core.Config.IpamConfig SliceConfig => Services.Config("10.2.0.0/16", networkName: "slicenet") with { NodeSlicePrefix = 24 };

    [Fact]
    public async Task AllocateAsync_UpstreamSliceObjects_ExtendsTheNodesSlicePoolAndKeepsItsEntries()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Plant("nodeslicepools", UpstreamNodeSlicePool);
        cluster.Plant("ippools", UpstreamSlicePool);
        var before = Json.Allocations(cluster.Pool("slicenet-worker-2-10.2.1.0-24")).DeepClone();
        var service = Services.Ipam(cluster.OpenStore(nodeName: "worker-2"));

        var addresses = await service.AllocateAsync(Services.Request(SliceConfig, "c-new", "apps/new-pod"), Ct);

        Assert.Equal("10.2.1.3/16", addresses[0].ToString());
        var after = Json.Allocations(cluster.Pool("slicenet-worker-2-10.2.1.0-24"));
        Assert.Equal(before["1"]!.ToJsonString(), after["1"]!.ToJsonString());
        Assert.Equal(before["2"]!.ToJsonString(), after["2"]!.ToJsonString());
        Assert.Equal("""{"id":"c-new","ifname":"net1","podref":"apps/new-pod"}""", after["3"]!.ToJsonString());
        Assert.NotNull(cluster.Reservation("slicenet-10.2.1.3"));
        Assert.Null(cluster.Pool("slicenet-10.2.0.0-16"));
    }

    [Fact]
    public async Task AllocateThenRelease_NodeWithoutAPool_CreatesUpstreamsSlicePoolAndEmptiesIt()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Plant("nodeslicepools", UpstreamNodeSlicePool);
        var service = Services.Ipam(cluster.OpenStore(nodeName: "worker-1"));

        var addresses = await service.AllocateAsync(Services.Request(SliceConfig, "c1", "apps/p1"), Ct);
        Assert.Equal(Ip.Parse("10.2.0.1"), addresses[0].Address);
        Assert.Equal("10.2.0.0/24", (string)cluster.Pool("slicenet-worker-1-10.2.0.0-24")!["spec"]!["range"]!);

        Assert.Equal(1, await service.ReleaseAsync(SliceConfig, "c1", "net1", Ct));
        Assert.Empty(Json.Allocations(cluster.Pool("slicenet-worker-1-10.2.0.0-24")));
        Assert.Empty(cluster.Reservations());
    }

    [Fact]
    public async Task AllocateAsync_NodeWithoutASlice_TryAgainLaterNamingTheNodeAndThePool()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Plant("nodeslicepools", UpstreamNodeSlicePool);
        var service = Services.Ipam(cluster.OpenStore(nodeName: "worker-9"));

        var error = await Assert.ThrowsAsync<NodeSliceUnavailableException>(() => service.AllocateAsync(Services.Request(SliceConfig, "c1", "apps/p1"), Ct));

        Assert.Equal("node worker-9 has no slice in NodeSlicePool kube-system/slicenet: the controller has not assigned one yet; try again later", error.Message);
        Assert.Empty(cluster.Server.Store.List("ippools", Cluster.Namespace));
    }

    /// <summary>The node agent's store finds the node's slice in its watched cache: no NodeSlicePool request per ADD.</summary>
    [Fact]
    public async Task AllocateAsync_SharedStore_SliceFromTheCacheWithoutARequest()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Plant("nodeslicepools", UpstreamNodeSlicePool);
        var service = Services.Ipam(await cluster.StartSharedStoreAsync(nodeName: "worker-1"));
        cluster.Counters.Reset();

        var first = await service.AllocateAsync(Services.Request(SliceConfig, "c1", "apps/p1"), Ct);
        var second = await service.AllocateAsync(Services.Request(SliceConfig, "c2", "apps/p2"), Ct);

        Assert.Equal(Ip.Parse("10.2.0.1"), first[0].Address);
        Assert.Equal(Ip.Parse("10.2.0.2"), second[0].Address);
        Assert.Equal(0, cluster.Counters.Get("get", "nodeslicepools"));
    }

    /// <summary>A table that does not name the node yet is read once more from the server: the slice may have been assigned a moment ago.</summary>
    [Fact]
    public async Task AllocateAsync_SharedStoreNodeNotInTheCachedTable_ReadsTheServer()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Plant("nodeslicepools", UpstreamNodeSlicePool);
        var service = Services.Ipam(await cluster.StartSharedStoreAsync(nodeName: "worker-9"));
        cluster.Counters.Reset();

        await Assert.ThrowsAsync<NodeSliceUnavailableException>(() => service.AllocateAsync(Services.Request(SliceConfig, "c1", "apps/p1"), Ct));

        Assert.Equal(1, cluster.Counters.Get("get", "nodeslicepools"));
    }
}
