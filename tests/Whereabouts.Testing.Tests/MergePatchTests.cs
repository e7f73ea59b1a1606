using System.Net;
using k8s;
using k8s.Models;
using Whereabouts.Testing.KubeApi;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

public sealed class MergePatchTests
{
    [Fact]
    public async Task MergePatch_NullRemovesAndObjectsMerge()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pool = IpPool.Create("x");
        pool.Spec.Allocations["1"] = new IpAllocation { Id = "a", PodRef = "ns/a" };
        pool.Spec.Allocations["2"] = new IpAllocation { Id = "b", PodRef = "ns/b" };
        await cluster.Client.CreatePoolAsync(pool);

        await cluster.Client.PatchPoolAsync("x", """{"spec":{"allocations":{"1":null,"3":{"id":"c","podref":"ns/c"}}}}""", V1Patch.PatchType.MergePatch);

        Assert.Equal("""{"2":{"id":"b","podref":"ns/b"},"3":{"id":"c","podref":"ns/c"}}""",
            cluster.Store.Get("ippools", Api.Namespace, "x")!["spec"]!["allocations"]!.ToJsonString());
    }

    [Fact]
    public async Task MergePatch_StaleResourceVersion_Is409()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pool = await cluster.Client.CreatePoolAsync(IpPool.Create("x"));
        await cluster.Client.PatchPoolAsync("x", """{"spec":{"range":"10.1.0.0/24"}}""", V1Patch.PatchType.MergePatch);

        var (code, body) = await Api.FailureAsync(() => cluster.Client.PatchPoolAsync("x",
            $$$"""{"metadata":{"resourceVersion":"{{{pool.Metadata.ResourceVersion}}}"},"spec":{"range":"10.2.0.0/24"}}""", V1Patch.PatchType.MergePatch));

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Conflict", (string?)body["reason"]);
        Assert.Equal("10.1.0.0/24", (string?)cluster.Store.Get("ippools", Api.Namespace, "x")!["spec"]!["range"]);
    }

    [Fact]
    public async Task MergePatch_RemovingResourceVersionOfCustomResource_Is422()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CreatePoolAsync(IpPool.Create("x"));

        var (code, body) = await Api.FailureAsync(() => cluster.Client.PatchPoolAsync("x", """{"metadata":{"resourceVersion":null}}""", V1Patch.PatchType.MergePatch));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("ippools.whereabouts.cni.cncf.io \"x\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update", (string?)body["message"]);
    }

    [Fact]
    public async Task MergePatch_NotAnObject_Is400()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CreatePoolAsync(IpPool.Create("x"));

        var (code, body) = await Api.FailureAsync(() => cluster.Client.PatchPoolAsync("x", "[1]", V1Patch.PatchType.MergePatch));

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("Invalid JSON Patch", (string?)body["message"]);
    }

    [Fact]
    public async Task StrategicMergePatch_OnPod_MergesAsMergePatch()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Store.CreatePod(new TestPod("p1") { Labels = new Dictionary<string, string> { ["a"] = "1" } });

        var patched = await cluster.Client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("""{"metadata":{"labels":{"b":"2"}}}""", V1Patch.PatchType.StrategicMergePatch), "p1", "default", cancellationToken: Api.Token);

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, patched.Metadata.Labels);
    }

    [Fact]
    public async Task ServerSideApply_IsUnsupported415()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CreatePoolAsync(IpPool.Create("x"));

        var (code, _, _) = await cluster.Http().SendAsync(HttpMethod.Patch, Api.PoolPath("x"), "spec: {}", "application/apply-patch+yaml");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, code);
    }
}
