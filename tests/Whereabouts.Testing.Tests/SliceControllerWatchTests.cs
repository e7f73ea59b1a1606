using System.Globalization;
using System.Text.Json.Nodes;
using Whereabouts.Testing.KubeApi;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

/// <summary>
/// The watches of the node-slice controller, as kube-apiserver serves them: NetworkAttachmentDefinitions of every
/// namespace, Nodes (cluster-scoped) and NodeSlicePools of one namespace, each from a list's resourceVersion, with
/// bookmarks of the watched kind, and 410 once the version is compacted away.
/// </summary>
public sealed class SliceControllerWatchTests
{
    private const string NadPath = "apis/k8s.cni.cncf.io/v1/network-attachment-definitions";
    private const string SlicePoolPath = "apis/whereabouts.cni.cncf.io/v1alpha1/namespaces/kube-system/nodeslicepools";

    private static readonly KubeApiServerOptions QuickBookmarks = new() { BookmarkInterval = TimeSpan.FromMilliseconds(100) };

    private static JsonObject Nad(string @namespace, string name, string config = "{}") => new()
    {
        ["apiVersion"] = "k8s.cni.cncf.io/v1",
        ["kind"] = "NetworkAttachmentDefinition",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
        ["spec"] = new JsonObject { ["config"] = config },
    };

    private static JsonObject SlicePool(string name, string @namespace = "kube-system") => new()
    {
        ["apiVersion"] = "whereabouts.cni.cncf.io/v1alpha1",
        ["kind"] = "NodeSlicePool",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
        ["spec"] = new JsonObject { ["range"] = "10.0.0.0/24", ["sliceSize"] = "/26" },
    };

    private static async Task<string> ListVersionAsync(HttpClient http, string path)
    {
        var list = JsonNode.Parse(await http.GetStringAsync(path + "?limit=1", Api.Token))!;
        return (string)list["metadata"]!["resourceVersion"]!;
    }

    private static Task<JsonObject> NextChangeAsync(WatchConnection watch) => watch.NextMatchingAsync(static e => e.Type() != "BOOKMARK");

    [Fact]
    public async Task Watch_NadsOfEveryNamespace_FromAListsVersion_StreamsEveryNamespaceWithNadBookmarks()
    {
        await using var cluster = await TestCluster.StartAsync(QuickBookmarks);
        cluster.Store.Create("network-attachment-definitions", Nad("default", "before"));
        var http = cluster.Http();
        var version = await ListVersionAsync(http, NadPath);
        await using var watch = await WatchConnection.OpenAsync(http, NadPath + $"?watch=true&allowWatchBookmarks=true&resourceVersion={version}");

        cluster.Store.Create("network-attachment-definitions", Nad("kube-system", "a"));
        cluster.Store.Create("network-attachment-definitions", Nad("default", "b"));
        cluster.Store.Update("network-attachment-definitions", "kube-system", "a", static n => n["spec"]!["config"] = """{"changed":true}""");
        Assert.True(cluster.Store.Delete("network-attachment-definitions", "default", "b"));

        var changes = new[] { await NextChangeAsync(watch), await NextChangeAsync(watch), await NextChangeAsync(watch), await NextChangeAsync(watch) };
        Assert.Equal(["ADDED a", "ADDED b", "MODIFIED a", "DELETED b"], changes.Select(static e => e.Describe()));
        Assert.Equal(["kube-system", "default", "kube-system", "default"], changes.Select(static e => (string)e["object"]!["metadata"]!["namespace"]!));
        Assert.Equal("""{"changed":true}""", (string?)changes[2]["object"]!["spec"]!["config"]);

        var bookmark = await watch.NextMatchingAsync(static e => e.Type() == "BOOKMARK");
        Assert.Equal(("NetworkAttachmentDefinition", "k8s.cni.cncf.io/v1"), ((string?)bookmark["object"]!["kind"], (string?)bookmark["object"]!["apiVersion"]));
        Assert.Equal(cluster.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture), bookmark.ResourceVersion());
    }

    [Fact]
    public async Task Watch_NodesFromAListsVersion_AddedAndDeletedWithNodeBookmarks()
    {
        await using var cluster = await TestCluster.StartAsync(QuickBookmarks);
        cluster.Store.CreateNode("before");
        var http = cluster.Http();
        var version = await ListVersionAsync(http, "api/v1/nodes");
        await using var watch = await WatchConnection.OpenAsync(http, $"api/v1/nodes?watch=true&allowWatchBookmarks=true&resourceVersion={version}");

        cluster.Store.CreateNode("joined");
        Assert.True(cluster.Store.Delete("nodes", null, "before"));

        Assert.Equal(["ADDED joined", "DELETED before"], [(await NextChangeAsync(watch)).Describe(), (await NextChangeAsync(watch)).Describe()]);
        var bookmark = await watch.NextMatchingAsync(static e => e.Type() == "BOOKMARK");
        Assert.Equal(("Node", "v1"), ((string?)bookmark["object"]!["kind"], (string?)bookmark["object"]!["apiVersion"]));
    }

    [Fact]
    public async Task Watch_NodeSlicePoolsOfOneNamespace_ModifiedAndDeletedWithTheirBookmarks()
    {
        await using var cluster = await TestCluster.StartAsync(QuickBookmarks);
        var http = cluster.Http();
        var version = await ListVersionAsync(http, SlicePoolPath);
        await using var watch = await WatchConnection.OpenAsync(http, SlicePoolPath + $"?watch=true&allowWatchBookmarks=true&resourceVersion={version}");

        cluster.Store.Create("nodeslicepools", SlicePool("net"));
        cluster.Store.Create("nodeslicepools", SlicePool("elsewhere", "default"));
        cluster.Store.Update("nodeslicepools", "kube-system", "net", static p => p["status"] = JsonNode.Parse("""{"allocations":[{"nodeName":"a","sliceRange":"10.0.0.0/26"}]}"""));
        Assert.True(cluster.Store.Delete("nodeslicepools", "kube-system", "net"));

        Assert.Equal(
            ["ADDED net", "MODIFIED net", "DELETED net"],
            [(await NextChangeAsync(watch)).Describe(), (await NextChangeAsync(watch)).Describe(), (await NextChangeAsync(watch)).Describe()]);
        var bookmark = await watch.NextMatchingAsync(static e => e.Type() == "BOOKMARK");
        Assert.Equal(("NodeSlicePool", "whereabouts.cni.cncf.io/v1alpha1"), ((string?)bookmark["object"]!["kind"], (string?)bookmark["object"]!["apiVersion"]));
    }

    [Theory]
    [InlineData("api/v1/nodes")]
    [InlineData(NadPath)]
    [InlineData(SlicePoolPath)]
    public async Task Watch_VersionCompactedAway_ErrorEventWith410(string path)
    {
        await using var cluster = await TestCluster.StartAsync();
        var http = cluster.Http();
        var version = await ListVersionAsync(http, path);
        cluster.Store.CreateNode("n1");
        cluster.Store.Create("network-attachment-definitions", Nad("default", "d1"));
        cluster.Store.Create("nodeslicepools", SlicePool("p1"));
        cluster.Store.Compact();

        await using var watch = await WatchConnection.OpenAsync(http, path + $"?watch=true&allowWatchBookmarks=true&resourceVersion={version}");

        var error = await watch.NextEventAsync();
        Assert.Equal("ERROR", error.Type());
        Assert.Equal(410, (int)error["object"]!["code"]!);
        Assert.Equal("Expired", (string?)error["object"]!["reason"]);
    }
}
