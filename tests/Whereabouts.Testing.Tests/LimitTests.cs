using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using Whereabouts.Testing.KubeApi;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

public sealed class LimitTests
{
    [Fact]
    public async Task Create_BodyOver3MiB_Is413()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pool = IpPool.Create("x");
        pool.Metadata.Annotations = new Dictionary<string, string> { ["big"] = new string('x', (3 * 1024 * 1024) + 1) };

        var (code, body) = await Api.FailureAsync(() => cluster.Client.CreatePoolAsync(pool));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Request entity too large: limit is 3145728","reason":"RequestEntityTooLarge","code":413}""",
            Api.Compact(body));
    }

    [Fact]
    public async Task Create_ObjectOverEtcdLimit_Is500AndStoresNothing()
    {
        await using var cluster = await TestCluster.StartAsync();
        var revision = cluster.Store.ResourceVersion;

        var pool = PoolOfSize(1_650_000);
        Assert.InRange(SizeOf(pool), 1_572_865, 3 * 1024 * 1024);

        var (code, body) = await Api.FailureAsync(() => cluster.Client.CreatePoolAsync(pool));

        Assert.Equal(HttpStatusCode.InternalServerError, code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"etcdserver: request is too large","code":500}""",
            Api.Compact(body));
        Assert.Null(cluster.Store.Get("ippools", Api.Namespace, "big"));
        Assert.Equal(revision, cluster.Store.ResourceVersion);
    }

    [Fact]
    public async Task Patch_GrowingObjectOverEtcdLimit_Is500AndKeepsTheOldObject()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pool = await cluster.Client.CreatePoolAsync(PoolOfSize(1_000_000));
        var extra = new JsonObject();
        for (var i = 0; i < 8000; i++)
        {
            extra[$"x{i}"] = new JsonObject { ["id"] = new string('c', 64), ["podref"] = "namespace/pod" };
        }

        var patch = new JsonObject { ["spec"] = new JsonObject { ["allocations"] = extra } }.ToJsonString();
        var (code, body) = await Api.FailureAsync(() => cluster.Client.PatchPoolAsync("big", patch, V1Patch.PatchType.MergePatch));

        Assert.Equal(HttpStatusCode.InternalServerError, code);
        Assert.Equal("etcdserver: request is too large", (string?)body["message"]);
        Assert.Equal(pool.Metadata.ResourceVersion, (string?)cluster.Store.Get("ippools", Api.Namespace, "big")!["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task Create_ObjectJustUnderEtcdLimit_IsStored()
    {
        await using var cluster = await TestCluster.StartAsync();

        var pool = PoolOfSize(1_450_000);

        var created = await cluster.Client.CreatePoolAsync(pool);

        Assert.NotNull(created.Metadata.Uid);
        Assert.InRange(SizeOf(created), 1_400_000, 1_572_864);
    }

    [Fact]
    public async Task Limits_FollowTheOptions()
    {
        await using var cluster = await TestCluster.StartAsync(new KubeApiServerOptions { MaxRequestBodyBytes = 1000, MaxObjectBytes = 500 });

        var (tooLarge, body) = await Api.FailureAsync(() => cluster.Client.CreatePoolAsync(PoolOfSize(2000)));
        var (tooBig, _) = await Api.FailureAsync(() => cluster.Client.CreatePoolAsync(PoolOfSize(600)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge);
        Assert.Equal("Request entity too large: limit is 1000", (string?)body["message"]);
        Assert.Equal(HttpStatusCode.InternalServerError, tooBig);
    }

    private static int SizeOf(IpPool pool) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(pool, TestJsonContext.Default.IpPool).Length;

    /// <summary>A pool whose JSON is about <paramref name="bytes"/> long.</summary>
    private static IpPool PoolOfSize(int bytes)
    {
        var pool = IpPool.Create("big");
        var entry = 107;
        for (var i = 0; i < bytes / entry; i++)
        {
            pool.Spec.Allocations[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new IpAllocation { Id = new string('c', 64), PodRef = "namespace/pod" };
        }

        return pool;
    }
}
