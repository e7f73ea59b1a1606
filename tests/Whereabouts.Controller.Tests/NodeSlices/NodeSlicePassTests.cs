using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Controller.Kube;
using Whereabouts.Controller.Metrics;
using Whereabouts.Controller.NodeSlices;
using Whereabouts.Controller.Tests.Reconcile;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Controller.Tests.NodeSlices;

/// <summary>The slice controller's pass against the API test server: NodeSlicePools kept in step with NADs and Nodes.</summary>
public sealed class NodeSlicePassTests : IAsyncLifetime
{
    private const string Ns = TestCluster.Namespace;

    private readonly ControllerMetrics _metrics = new();
    private TestCluster _cluster = null!;
    private NodeSlicePass _pass = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        var connection = _cluster.Connect();
        var api = new ClusterApi(connection);
        _pass = new NodeSlicePass(
            api, new WhereaboutsClient(connection), Ns, new NodeSliceEvents(api, "node-x", TimeProvider.System, NullLogger.Instance), _metrics.NodeSlices, NullLogger.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        _metrics.Dispose();
        await _cluster.DisposeAsync();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private void SlicedNad(string @namespace, string name, string range, string size, string? networkName = null)
    {
        var named = networkName is null ? string.Empty : $",\"network_name\":\"{networkName}\"";
        _cluster.Nad(@namespace, name, $$$"""{"cniVersion":"0.3.1","name":"{{{name}}}","type":"macvlan","master":"eth0","ipam":{"type":"whereabouts","range":"{{{range}}}","node_slice_size":"{{{size}}}"{{{named}}}}}""");
    }

    private void ChangeNad(string @namespace, string name, string range, string size) =>
        _cluster.Store.Update("network-attachment-definitions", @namespace, name, nad =>
            nad["spec"]!["config"] = $$$"""{"cniVersion":"0.3.1","name":"{{{name}}}","type":"macvlan","ipam":{"type":"whereabouts","range":"{{{range}}}","node_slice_size":"{{{size}}}"}}""");

    private string Slices(string pool) => string.Join(
        " ",
        _cluster.Store.Get("nodeslicepools", Ns, pool)!["status"]!["allocations"]!.AsArray().Select(static a => $"{a!["sliceRange"]}={a["nodeName"]}"));

    private List<string> Reasons(string @namespace = Ns) =>
        [.. _cluster.Store.List("events", @namespace).Select(static e => (string)e["reason"]!)];

    private string Metric(string name) =>
        string.Join("\n", MetricsText(_metrics).Split('\n').Where(l => l.StartsWith(name, StringComparison.Ordinal)));

    private static string MetricsText(ControllerMetrics metrics)
    {
        using var stream = new MemoryStream();
        metrics.ExportAsync(stream, CancellationToken.None).GetAwaiter().GetResult();
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task Pass_NewNetwork_CreatesTheNodeSlicePoolAsUpstreamWithEveryNodeAssigned()
    {
        SlicedNad(Ns, "slicenet", "10.5.0.0/24", "/26");
        _cluster.Store.CreateNode("node-b");
        _cluster.Store.CreateNode("node-a");

        Assert.Equal(1, await _pass.RunAsync(Token));

        var pool = _cluster.Store.Get("nodeslicepools", Ns, "slicenet")!;
        Assert.Equal("""{"range":"10.5.0.0/24","sliceSize":"/26"}""", pool["spec"]!.ToJsonString());
        Assert.Equal("10.5.0.0/26=node-a 10.5.0.64/26=node-b 10.5.0.128/26= 10.5.0.192/26=", Slices("slicenet"));
        var owner = pool["metadata"]!["ownerReferences"]![0]!;
        Assert.Equal(("NetworkAttachmentDefinition", "slicenet", true), ((string)owner["kind"]!, (string)owner["name"]!, (bool)owner["controller"]!));
        Assert.Equal(0, await _pass.RunAsync(Token));
    }

    [Fact]
    public async Task Pass_NodeAddedAndDeleted_NewNodeGetsAFreeSlice_IdleSliceFreed_BusySliceKeptUntilItsPodsAreGone()
    {
        SlicedNad("apps", "blue", "10.6.0.0/24", "/26", networkName: "bluenet");
        foreach (var node in new[] { "n1", "n2", "n3" })
        {
            _cluster.Store.CreateNode(node);
        }

        await _pass.RunAsync(Token);
        Assert.Equal("10.6.0.0/26=n1 10.6.0.64/26=n2 10.6.0.128/26=n3 10.6.0.192/26=", Slices("bluenet"));
        Assert.Null(_cluster.Store.Get("nodeslicepools", Ns, "bluenet")!["metadata"]!["ownerReferences"]);

        _cluster.Pool("bluenet-n2-10.6.0.64-26", "10.6.0.64/26", new Alloc("1", "c1", "apps/live-pod"));
        _cluster.Pod("apps/live-pod", node: "n2");
        _cluster.Pool("bluenet-n3-10.6.0.128-26", "10.6.0.128/26", new Alloc("1", "c2", "apps/gone-pod"));
        Assert.True(_cluster.Store.Delete("nodes", null, "n2"));
        Assert.True(_cluster.Store.Delete("nodes", null, "n3"));
        _cluster.Store.CreateNode("n4");

        await _pass.RunAsync(Token);
        Assert.Equal("10.6.0.0/26=n1 10.6.0.64/26=n2 10.6.0.128/26=n4 10.6.0.192/26=", Slices("bluenet"));

        _cluster.RemovePod("apps/live-pod");
        await _pass.RunAsync(Token);
        Assert.Equal("10.6.0.0/26=n1 10.6.0.64/26= 10.6.0.128/26=n4 10.6.0.192/26=", Slices("bluenet"));
    }

    [Fact]
    public async Task Pass_SmallerSlicesWithLivePods_BusyNodeNotMoved_EventAndMetric()
    {
        SlicedNad(Ns, "slicenet", "10.7.0.0/24", "/25");
        _cluster.Store.CreateNode("a");
        _cluster.Store.CreateNode("b");
        await _pass.RunAsync(Token);
        _cluster.Pool("b-10.7.0.128-25", "10.7.0.128/25", new Alloc("1", "c1", "default/busy"));
        _cluster.Pod("default/busy", node: "b");

        ChangeNad(Ns, "slicenet", "10.7.0.0/24", "/26");
        await _pass.RunAsync(Token);

        Assert.Equal("10.7.0.0/26=a 10.7.0.64/26= 10.7.0.128/25=b", Slices("slicenet"));
        Assert.Equal("/26", (string)_cluster.Store.Get("nodeslicepools", Ns, "slicenet")!["spec"]!["sliceSize"]!);
        Assert.Contains("NodeSliceNotMoved", Reasons());
        Assert.Contains("whereabouts_node_slices_not_moved{nodeslicepool=\"slicenet\"} 1", Metric("whereabouts_node_slices_not_moved"), StringComparison.Ordinal);

        _cluster.RemovePod("default/busy");
        await _pass.RunAsync(Token);
        Assert.Equal("10.7.0.0/26=a 10.7.0.64/26=b 10.7.0.128/26= 10.7.0.192/26=", Slices("slicenet"));
    }

    [Fact]
    public async Task Pass_MoreNodesThanSlices_ExhaustionEventOnceAndMetric()
    {
        SlicedNad(Ns, "slicenet", "10.8.0.0/24", "/25");
        foreach (var node in new[] { "a", "b", "c" })
        {
            _cluster.Store.CreateNode(node);
        }

        await _pass.RunAsync(Token);
        await _pass.RunAsync(Token);

        Assert.Equal("10.8.0.0/25=a 10.8.0.128/25=b", Slices("slicenet"));
        Assert.Equal(["NodeSlicesExhausted"], Reasons());
        Assert.Contains("no free slice for node(s) c", (string)_cluster.Store.List("events", Ns)[0]["message"]!, StringComparison.Ordinal);
        Assert.Contains("whereabouts_node_slice_nodes_without_slice{nodeslicepool=\"slicenet\"} 1", Metric("whereabouts_node_slice_nodes_without_slice"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pass_DefinitionsDisagreeOnTheRange_ReportedOnTheOddOneAndTheFirstWins()
    {
        _cluster.Store.CreateNamespace("alpha");
        _cluster.Store.CreateNamespace("beta");
        SlicedNad("alpha", "net", "10.9.0.0/24", "/26", networkName: "shared");
        SlicedNad("beta", "net", "10.9.0.0/23", "/26", networkName: "shared");
        _cluster.Store.CreateNode("a");

        await _pass.RunAsync(Token);

        Assert.Equal("10.9.0.0/24", (string)_cluster.Store.Get("nodeslicepools", Ns, "shared")!["spec"]!["range"]!);
        Assert.Equal(["NodeSliceConfigMismatch"], Reasons("beta"));
        Assert.Empty(Reasons("alpha"));
    }

    [Fact]
    public async Task Pass_UpstreamsNodeSlicePool_ReadAndExtendedWithoutMovingAnyone()
    {
        SlicedNad(Ns, "slicenet", "10.2.0.0/16", "/24");
        _cluster.Store.Create("nodeslicepools", JsonNode.Parse("""
            {"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"NodeSlicePool",
             "metadata":{"name":"slicenet","namespace":"kube-system",
               "ownerReferences":[{"apiVersion":"k8s.cni.cncf.io/v1","kind":"NetworkAttachmentDefinition","name":"slicenet","uid":"upstream-uid","controller":true}]},
             "spec":{"range":"10.2.0.0/16","sliceSize":"/24"},
             "status":{"allocations":[{"nodeName":"worker-2","sliceRange":"10.2.0.0/24"},{"nodeName":"worker-1","sliceRange":"10.2.1.0/24"},{"nodeName":"","sliceRange":"10.2.2.0/24"}]}}
            """)!.AsObject());
        foreach (var node in new[] { "worker-1", "worker-2", "worker-3" })
        {
            _cluster.Store.CreateNode(node);
        }

        await _pass.RunAsync(Token);

        var slices = Slices("slicenet").Split(' ');
        Assert.Equal(256, slices.Length);
        Assert.Equal(["10.2.0.0/24=worker-2", "10.2.1.0/24=worker-1", "10.2.2.0/24=worker-3", "10.2.3.0/24="], slices[..4]);
        var owners = _cluster.Store.Get("nodeslicepools", Ns, "slicenet")!["metadata"]!["ownerReferences"]!.AsArray();
        Assert.Equal("upstream-uid", (string)owners[0]!["uid"]!);
        Assert.Equal(2, owners.Count);
        Assert.False((bool)owners[1]!["controller"]!);
    }
}
