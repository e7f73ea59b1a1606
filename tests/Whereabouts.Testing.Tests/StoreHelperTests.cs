using System.Text.Json.Nodes;
using Whereabouts.Testing.KubeApi;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

public sealed class StoreHelperTests
{
    [Fact]
    public async Task Create_WithoutValidation_PlantsObjectsTheApiWouldRefuse()
    {
        await using var cluster = await TestCluster.StartAsync();

        var planted = cluster.Store.Create("ippools", JsonNode.Parse("""{"metadata":{"name":"Bad_Name","namespace":"kube-system"},"spec":{"allocations":{"1":{"podref":"x"}}}}""")!.AsObject());
        var listed = await cluster.Client.ListPoolsAsync();

        Assert.Equal("Bad_Name", (string?)planted["metadata"]!["name"]);
        Assert.Equal("IPPool", (string?)planted["kind"]);
        Assert.Equal(["Bad_Name"], listed.Items.Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task Create_WithValidation_ThrowsLikeTheApi()
    {
        await using var cluster = await TestCluster.StartAsync();

        var error = Assert.Throws<KubeStatusException>(() => cluster.Store.Create("ippools",
            JsonNode.Parse("""{"metadata":{"name":"x","namespace":"kube-system"},"spec":{}}""")!.AsObject(), validate: true));

        Assert.Equal(422, error.Code);
        Assert.Equal("Invalid", error.Reason);
    }

    [Fact]
    public async Task Update_ChangesTheObjectAndReachesWatchers()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CreatePoolAsync(IpPool.Create("x"));
        await using var watch = await WatchConnection.OpenAsync(cluster.Http(), Api.PoolPath() + $"?watch=1&resourceVersion={cluster.Store.ResourceVersion}");

        var updated = cluster.Store.Update("ippools.whereabouts.cni.cncf.io", Api.Namespace, "x", pool => pool["spec"]!["range"] = "10.7.0.0/24");

        var modified = await watch.NextEventAsync();
        Assert.Equal("MODIFIED x", modified.Describe());
        Assert.Equal((string?)updated["metadata"]!["resourceVersion"], modified.ResourceVersion());
        Assert.Equal(2, (long)updated["metadata"]!["generation"]!);
    }

    [Fact]
    public async Task Delete_RemovesAtOnceAndReportsWhetherItExisted()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Store.CreatePod(new TestPod("p1"));

        Assert.True(cluster.Store.Delete("pods", "default", "p1"));
        Assert.False(cluster.Store.Delete("pods", "default", "p1"));
        Assert.Null(cluster.Store.Get("pods", "default", "p1"));
    }

    [Fact]
    public async Task List_AcrossNamespaces_IsInKeyOrder()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Store.CreatePod(new TestPod("b", "kube-system"));
        cluster.Store.CreatePod(new TestPod("a", "kube-system"));
        cluster.Store.CreatePod(new TestPod("z", "default"));

        var names = cluster.Store.List("pods").Select(p => $"{p["metadata"]!["namespace"]}/{p["metadata"]!["name"]}");

        Assert.Equal(["default/z", "kube-system/a", "kube-system/b"], names);
    }

    [Fact]
    public async Task CreateNode_AndNamespace_AreClusterScoped()
    {
        await using var cluster = await TestCluster.StartAsync();

        cluster.Store.CreateNode("worker-1", new Dictionary<string, string> { ["zone"] = "a" });
        cluster.Store.CreateNamespace("team-b");

        Assert.Equal("a", (string?)cluster.Store.Get("nodes", null, "worker-1")!["metadata"]!["labels"]!["zone"]);
        Assert.NotNull(cluster.Store.Get("namespaces", null, "team-b"));
    }

    [Fact]
    public async Task UnknownResource_IsAnArgumentError()
    {
        await using var cluster = await TestCluster.StartAsync();

        Assert.Throws<ArgumentException>(() => cluster.Store.List("widgets"));
    }
}
