using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Whereabouts.Testing.KubeApi;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

public sealed class LoadTests
{
    [Fact]
    public async Task Server_HandlesAThousandConcurrentClients()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CreatePoolAsync(IpPool.Create("x"));
        const int Clients = 1000;
        var clients = Enumerable.Range(0, Clients).Select(_ => cluster.Server.CreateHttpClient()).ToList();
        try
        {
            var codes = await Task.WhenAll(clients.Select(async http => (await http.SendAsync(HttpMethod.Get, Api.PoolPath("x"))).Code));

            Assert.All(codes, code => Assert.Equal(HttpStatusCode.OK, code));
            Assert.Equal(Clients, cluster.Server.Counters.Get("get", "ippools", 200));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task CompareAndSwapPatches_UnderLatency_NeverLoseAWrite()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CreatePoolAsync(IpPool.Create("x"));
        cluster.Server.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(3));
        const int Writers = 50;

        async Task<int> AllocateAsync(int writer)
        {
            using var http = cluster.Server.CreateHttpClient();
            var conflicts = 0;
            while (true)
            {
                var (_, current, _) = await http.SendAsync(HttpMethod.Get, Api.PoolPath("x"));
                var rv = (string)JsonNode.Parse(current)!["metadata"]!["resourceVersion"]!;
                var key = writer.ToString(CultureInfo.InvariantCulture);
                var (code, _, _) = await http.SendAsync(HttpMethod.Patch, Api.PoolPath("x"),
                    $$$"""[{"op":"test","path":"/metadata/resourceVersion","value":"{{{rv}}}"},{"op":"test","path":"/spec/allocations/{{{key}}}","value":null},{"op":"add","path":"/spec/allocations/{{{key}}}","value":{"id":"c{{{key}}}","podref":"ns/p{{{key}}}"}}]""",
                    "application/json-patch+json");
                if (code == HttpStatusCode.OK)
                {
                    return conflicts;
                }

                Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
                conflicts++;
            }
        }

        var conflicts = await Task.WhenAll(Enumerable.Range(0, Writers).Select(AllocateAsync));

        var allocations = cluster.Store.Get("ippools", Api.Namespace, "x")!["spec"]!["allocations"]!.AsObject();
        Assert.Equal(Writers, allocations.Count);
        Assert.Equal(conflicts.Sum(), cluster.Server.Counters.Get("patch", "ippools", 422));
        Assert.Equal(Writers, cluster.Server.Counters.Get("patch", "ippools", 200));
    }

    [Fact]
    public async Task ManyWatchers_AllSeeEveryEventInOrder()
    {
        await using var cluster = await TestCluster.StartAsync(new KubeApiServerOptions());
        var start = cluster.Store.ResourceVersion;
        var watches = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => WatchConnection.OpenAsync(cluster.Http(), Api.PoolPath() + $"?watch=1&resourceVersion={start}")));
        try
        {
            for (var i = 0; i < 20; i++)
            {
                await cluster.Client.CreatePoolAsync(IpPool.Create($"p{i:00}"));
            }

            foreach (var watch in watches)
            {
                var names = new List<string>();
                for (var i = 0; i < 20; i++)
                {
                    names.Add((await watch.NextEventAsync()).Name());
                }

                Assert.Equal(Enumerable.Range(0, 20).Select(i => $"p{i:00}"), names);
            }
        }
        finally
        {
            foreach (var watch in watches)
            {
                await watch.DisposeAsync();
            }
        }
    }
}
