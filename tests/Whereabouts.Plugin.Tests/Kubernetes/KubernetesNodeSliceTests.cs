using System.Text.Json.Nodes;
using Whereabouts.Plugin.Tests.Support;

namespace Whereabouts.Plugin.Tests.Kubernetes;

/// <summary>
/// The published plugin in node-slice mode (<c>node_slice_size</c>, NODENAME set per node) against the API test server,
/// with the NodeSlicePool as upstream's controller writes it: each node allocates only in its own slice pool, results
/// carry the range's prefix, and a node without a slice is told to try again later.
/// </summary>
public sealed class KubernetesNodeSliceTests
{
    private const int Nodes = 3;
    private const int PodsPerNode = 8;

    private static void PlantNodeSlicePool(KubeCluster cluster, params string[] nodes)
    {
        var allocations = new JsonArray();
        for (var i = 0; i < 4; i++)
        {
            allocations.Add(new JsonObject { ["nodeName"] = i < nodes.Length ? nodes[i] : string.Empty, ["sliceRange"] = $"10.60.0.{i * 64}/26" });
        }

        cluster.Server.Store.Create("nodeslicepools", new JsonObject
        {
            ["apiVersion"] = "whereabouts.cni.cncf.io/v1alpha1",
            ["kind"] = "NodeSlicePool",
            ["metadata"] = new JsonObject { ["name"] = "slicenet", ["namespace"] = KubeCluster.Namespace },
            ["spec"] = new JsonObject { ["range"] = "10.60.0.0/24", ["sliceSize"] = "/26" },
            ["status"] = new JsonObject { ["allocations"] = allocations },
        });
    }

    private static string SliceConfig(KubeCluster cluster) => cluster.Direct(edit: ipam =>
    {
        KubeCluster.WithRange("10.60.0.0/24")(ipam);
        ipam["network_name"] = "slicenet";
        ipam["node_slice_size"] = "/26";
        ipam["exclude"] = new JsonArray("10.60.0.65");
    });

    [Fact]
    public async Task ConcurrentAddsOnThreeNodes_EachNodeInItsOwnSlicePool_RangePrefix_DelLeavesNothing()
    {
        await using var cluster = await KubeCluster.StartAsync(ClusterMode.Direct);
        cluster.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(5));
        PlantNodeSlicePool(cluster, "node-0", "node-1", "node-2");
        var config = SliceConfig(cluster);

        var adds = await PerNode.RunAsync(Nodes * PodsPerNode, Nodes, 4, (i, node) => KubeCluster.PodAsync("ADD", $"c{i}", $"pod-{i}", config, node));

        for (var i = 0; i < adds.Length; i++)
        {
            Assert.True(adds[i].ExitCode == 0, adds[i].ToString());
            var address = CniCall.Addresses(adds[i].Stdout).Single();
            Assert.EndsWith("/24", address, StringComparison.Ordinal);
            var last = int.Parse(address.Split('/')[0].Split('.')[3], System.Globalization.CultureInfo.InvariantCulture);
            var slice = i % Nodes;
            Assert.InRange(last, (slice * 64) + 1, (slice * 64) + 62);
            Assert.NotEqual(65, last);
        }

        var allocations = cluster.Allocations();
        Assert.Equal(Nodes * PodsPerNode, allocations.Count);
        Assert.Equal(
            ["slicenet-node-0-10.60.0.0-26", "slicenet-node-1-10.60.0.64-26", "slicenet-node-2-10.60.0.128-26"],
            allocations.Select(static a => a.Pool).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(allocations.Count, allocations.Select(static a => a.Address).Distinct().Count());
        var reservations = cluster.Reservations().ToDictionary(static r => r.Name);
        Assert.Equal(allocations.Count, reservations.Count);
        Assert.All(allocations, a => Assert.Equal(a.PodRef, reservations["slicenet-" + a.Address].PodRef));

        var dels = await PerNode.RunAsync(Nodes * PodsPerNode, Nodes, 4, (i, node) => KubeCluster.PodAsync("DEL", $"c{i}", $"pod-{i}", config, node));

        Assert.All(dels, static d => Assert.True(d.ExitCode == 0, d.ToString()));
        Assert.Empty(cluster.Allocations());
        Assert.Empty(cluster.Reservations());
    }

    [Fact]
    public async Task Add_NodeWithoutASlice_Error11NamingTheNodeAndTheNodeSlicePool_NothingWritten()
    {
        await using var cluster = await KubeCluster.StartAsync(ClusterMode.Direct);
        PlantNodeSlicePool(cluster, "node-0");

        var add = await KubeCluster.PodAsync("ADD", "c1", "pod-1", SliceConfig(cluster), "node-7");

        Assert.Equal(11, CniCall.ErrorCode(add.Stdout));
        Assert.Contains("node node-7 has no slice in NodeSlicePool kube-system/slicenet", KubeCluster.ErrorText(add.Stdout), StringComparison.Ordinal);
        Assert.Empty(cluster.Server.Store.List("ippools", KubeCluster.Namespace));
        Assert.Empty(cluster.Reservations());

        var del = await KubeCluster.PodAsync("DEL", "c1", "pod-1", SliceConfig(cluster), "node-7");
        Assert.True(del.ExitCode == 0, del.ToString());
    }

    /// <summary>
    /// Through the node agent, as a cluster runs it: the Node and the NetworkAttachmentDefinition exist, the agent's own
    /// slice controller (it holds the Lease, being the only replica) writes the NodeSlicePool, and the agent allocates
    /// in its node's slice, from its watched cache; every DEL leaves nothing.
    /// </summary>
    [Fact]
    public async Task ThroughTheAgent_SliceFromTheAgentsController_ConcurrentAddsInTheNodesSlice_DelLeavesNothing()
    {
        await using var cluster = await KubeCluster.StartAsync(ClusterMode.Agent);
        cluster.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(5));
        var config = SliceConfig(cluster);
        cluster.Server.Store.CreateNode("node-x");
        cluster.Server.Store.CreateNode("node-a");
        cluster.Server.Store.Create("network-attachment-definitions", new JsonObject
        {
            ["apiVersion"] = "k8s.cni.cncf.io/v1",
            ["kind"] = "NetworkAttachmentDefinition",
            ["metadata"] = new JsonObject { ["name"] = "slicenet", ["namespace"] = "default" },
            ["spec"] = new JsonObject { ["config"] = config },
        });
        var slice = await SliceOfAsync(cluster, "node-a");

        var adds = await PerNode.RunAsync(PodsPerNode * 2, 1, 8, (i, _) => KubeCluster.PodAsync("ADD", $"c{i}", $"pod-{i}", config, "node-a"));

        Assert.All(adds, a => Assert.True(a.ExitCode == 0, a + cluster.AgentLog));
        Assert.DoesNotContain(adds, static a => a.Stderr.Contains("serving the call directly", StringComparison.Ordinal));
        var addresses = adds.Select(static a => System.Net.IPAddress.Parse(CniCall.Addresses(a.Stdout).Single().Split('/')[0])).ToList();
        Assert.All(adds, static a => Assert.EndsWith("/24", CniCall.Addresses(a.Stdout).Single(), StringComparison.Ordinal));
        Assert.All(addresses, a => Assert.True(InSlice(a, slice), $"{a} is outside node-a's slice {slice}"));
        Assert.Equal(addresses.Count, addresses.Distinct().Count());
        var allocations = cluster.Allocations();
        Assert.Equal([$"slicenet-node-a-{slice.Replace('/', '-')}"], allocations.Select(static a => a.Pool).Distinct());
        Assert.Equal(allocations.Count, cluster.Reservations().Count);

        var dels = await PerNode.RunAsync(PodsPerNode * 2, 1, 8, (i, _) => KubeCluster.PodAsync("DEL", $"c{i}", $"pod-{i}", config, "node-a"));

        Assert.All(dels, d => Assert.True(d.ExitCode == 0, d + cluster.AgentLog));
        Assert.Empty(cluster.Allocations());
        Assert.Empty(cluster.Reservations());
    }

    /// <summary>The slice the NodeSlicePool gives <paramref name="node"/>, once the controller has written it.</summary>
    private static async Task<string> SliceOfAsync(KubeCluster cluster, string node)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var assigned = cluster.Server.Store.Get("nodeslicepools", KubeCluster.Namespace, "slicenet")?["status"]?["allocations"]?.AsArray()
                .FirstOrDefault(a => (string?)a?["nodeName"] == node);
            if (assigned is not null)
            {
                return (string)assigned["sliceRange"]!;
            }

            Assert.True(DateTime.UtcNow < deadline, "the agent's slice controller gave node-a no slice within 30 s: " + cluster.AgentLog);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private static bool InSlice(System.Net.IPAddress address, string slice)
    {
        var network = System.Net.IPNetwork.Parse(slice);
        return network.Contains(address) && !address.Equals(network.BaseAddress);
    }
}
