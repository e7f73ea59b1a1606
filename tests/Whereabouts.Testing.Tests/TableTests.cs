using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Whereabouts.Testing.KubeApi;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

/// <summary>Server-side printing, which kubectl get asks for: the CRDs' printer columns.</summary>
public sealed class TableTests
{
    private const string KubectlAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    public static TheoryData<TimeSpan, string> Ages => new()
    {
        { TimeSpan.FromSeconds(5), "5s" },
        { TimeSpan.FromSeconds(119), "119s" },
        { TimeSpan.FromSeconds(150), "2m30s" },
        { TimeSpan.FromMinutes(5), "5m" },
        { TimeSpan.FromMinutes(42), "42m" },
        { TimeSpan.FromMinutes(185), "3h5m" },
        { TimeSpan.FromHours(30), "30h" },
        { TimeSpan.FromHours(75), "3d3h" },
        { TimeSpan.FromDays(100), "100d" },
        { TimeSpan.FromDays(800), "2y70d" },
    };

    [Theory]
    [MemberData(nameof(Ages))]
    public async Task List_AsTable_HasPrinterColumnsAndHumanAges(TimeSpan age, string expected)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var cluster = await TestCluster.StartAsync(new KubeApiServerOptions { TimeProvider = time });
        await cluster.Client.CreatePoolAsync(IpPool.Create("10.0.0.0-24"));
        time.Advance(age);

        var table = await GetTableAsync(cluster, Api.PoolPath());

        Assert.Equal("Table", (string?)table["kind"]);
        Assert.Equal(["Name", "Range", "Age"], table["columnDefinitions"]!.AsArray().Select(c => (string)c!["name"]!));
        Assert.Equal($"""["10.0.0.0-24","10.0.0.0/24","{expected}"]""", table["rows"]![0]!["cells"]!.ToJsonString());
        Assert.Equal("PartialObjectMetadata", (string?)table["rows"]![0]!["object"]!["kind"]);
    }

    [Fact]
    public async Task Reservations_AsTable_ShowPodRefAndIfName()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Store.Create("overlappingrangeipreservations",
            JsonNode.Parse("""{"metadata":{"name":"10.0.0.5","namespace":"kube-system"},"spec":{"podref":"default/p","containerid":"c"}}""")!.AsObject());

        var table = await GetTableAsync(cluster, "apis/whereabouts.cni.cncf.io/v1alpha1/namespaces/kube-system/overlappingrangeipreservations/10.0.0.5");

        Assert.Equal(["Name", "PodRef", "IfName", "Age"], table["columnDefinitions"]!.AsArray().Select(c => (string)c!["name"]!));
        Assert.Equal("10.0.0.5", (string?)table["rows"]![0]!["cells"]![0]);
        Assert.Equal("default/p", (string?)table["rows"]![0]!["cells"]![1]);
        Assert.Null(table["rows"]![0]!["cells"]![2]);
    }

    [Fact]
    public async Task CrdWithoutColumns_ShowsCreatedAt()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = cluster.Store.Create("network-attachment-definitions",
            JsonNode.Parse("""{"metadata":{"name":"macvlan","namespace":"default"},"spec":{"config":"{}"}}""")!.AsObject());

        var table = await GetTableAsync(cluster, "apis/k8s.cni.cncf.io/v1/namespaces/default/network-attachment-definitions");

        Assert.Equal(["Name", "Created At"], table["columnDefinitions"]!.AsArray().Select(c => (string)c!["name"]!));
        Assert.Equal((string?)created["metadata"]!["creationTimestamp"], (string?)table["rows"]![0]!["cells"]![1]);
    }

    [Fact]
    public async Task Watch_AsTable_SendsColumnsOnlyWithTheFirstEvent()
    {
        await using var cluster = await TestCluster.StartAsync();
        var http = cluster.Http();
        http.DefaultRequestHeaders.Accept.ParseAdd(KubectlAccept);
        await using var watch = await WatchConnection.OpenAsync(http, Api.PoolPath() + "?watch=1");

        await cluster.Client.CreatePoolAsync(IpPool.Create("a"));
        await cluster.Client.CreatePoolAsync(IpPool.Create("b", "10.1.0.0/24"));

        var first = await watch.NextEventAsync();
        var second = await watch.NextEventAsync();
        Assert.Equal("Table", (string?)first["object"]!["kind"]);
        Assert.Equal(3, first["object"]!["columnDefinitions"]!.AsArray().Count);
        Assert.Null(second["object"]!["columnDefinitions"]);
        Assert.Equal("10.1.0.0/24", (string?)second["object"]!["rows"]![0]!["cells"]![1]);
    }

    [Fact]
    public async Task PlainJsonAccept_GetsTheList()
    {
        await using var cluster = await TestCluster.StartAsync();

        var list = await cluster.Client.ListPoolsAsync();

        Assert.Equal("IPPoolList", list.Kind);
    }

    private static async Task<JsonObject> GetTableAsync(TestCluster cluster, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(KubectlAccept);
        using var response = await cluster.Http().SendAsync(request, Api.Token);
        Assert.Equal(new MediaTypeHeaderValue("application/json"), response.Content.Headers.ContentType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Api.Token))!.AsObject();
    }
}
