using System.Net;
using System.Text.Json.Nodes;
using k8s;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

public sealed class CounterTests
{
    [Fact]
    public async Task Counters_CountByVerbResourceAndStatus()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CreatePoolAsync(IpPool.Create("x"));
        await cluster.Client.GetPoolAsync("x");
        await Api.FailureAsync(() => cluster.Client.PatchPoolAsync("x", """[{"op":"test","path":"/spec/range","value":"no"}]"""));
        await Api.FailureAsync(() => cluster.Client.PatchPoolAsync("x", """[{"op":"test","path":"/spec/range","value":"no"}]"""));
        await cluster.Client.ListPoolsAsync();

        var counters = cluster.Server.Counters;
        Assert.Equal(1, counters.Get("create", "ippools", 201));
        Assert.Equal(1, counters.Get("get", "ippools", 200));
        Assert.Equal(2, counters.Get("patch", "ippools", 422));
        Assert.Equal(2, counters.Get("patch", "ippools"));
        Assert.Equal(1, counters.Get("list", "ippools", 200));
        Assert.Equal(5, counters.Total);
    }

    [Fact]
    public async Task DebugEndpoint_ServesCountersAsJsonAndResets()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CreatePoolAsync(IpPool.Create("x"));
        using var anonymous = cluster.Server.CreateHttpClient();
        anonymous.DefaultRequestHeaders.Authorization = null;

        var (code, body, _) = await anonymous.SendAsync(HttpMethod.Get, "debug/counters");
        var (resetCode, _, _) = await anonymous.SendAsync(HttpMethod.Post, "debug/counters/reset");

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("""{"total":1,"counters":[{"verb":"create","resource":"ippools","code":201,"count":1}]}""", body);
        Assert.Equal(HttpStatusCode.OK, resetCode);
        Assert.Equal(0, cluster.Server.Counters.Total);
    }

    [Fact]
    public async Task DebugEndpoints_ControlFaultsForScripts()
    {
        await using var cluster = await TestCluster.StartAsync();
        var http = cluster.Http();

        await http.SendAsync(HttpMethod.Post, "debug/faults?code=503&count=1&verb=list&resource=ippools");
        var (injected, _, _) = await http.SendAsync(HttpMethod.Get, Api.PoolPath());
        var (normal, _, _) = await http.SendAsync(HttpMethod.Get, Api.PoolPath());
        await http.SendAsync(HttpMethod.Post, "debug/pause?mode=hang");
        var paused = cluster.Server.Faults.IsPaused;
        await http.SendAsync(HttpMethod.Post, "debug/resume");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, injected);
        Assert.Equal(HttpStatusCode.OK, normal);
        Assert.True(paused);
        Assert.False(cluster.Server.Faults.IsPaused);
        Assert.Equal(0, cluster.Server.Counters.Get("get", ""));
    }

    [Fact]
    public async Task Counters_AreExactUnderConcurrency()
    {
        await using var cluster = await TestCluster.StartAsync();
        const int Requests = 400;

        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = Api.Token },
            async (_, token) => await cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync<IpPoolList>(
                IpPool.Group, IpPool.Version, Api.Namespace, IpPool.Plural, cancellationToken: token));

        Assert.Equal(Requests, cluster.Server.Counters.Get("list", "ippools", 200));
        Assert.Equal(Requests, JsonNode.Parse((await cluster.Http().SendAsync(HttpMethod.Get, "debug/counters")).Body)!["total"]!.GetValue<long>());
    }
}
