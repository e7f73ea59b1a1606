using System.Diagnostics;
using System.Text.Json.Nodes;
using Whereabouts.Plugin.Tests.Support;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Plugin.Tests.Kubernetes;

/// <summary>
/// The published binary invoked directly with the Kubernetes datastore, against the API test server over HTTPS: every
/// verb, and the objects it leaves behind compared with what upstream whereabouts writes.
/// </summary>
public abstract class KubernetesDirectInvocationTests(ClusterMode mode) : IAsyncLifetime
{
    private KubeCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await KubeCluster.StartAsync(mode);

    public static TheoryData<string?, string, string> NetworkNames => new()
    {
        { null, "192.168.20.0-24", "192.168.20.2" },
        { "blue", "blue-192.168.20.0-24", "blue-192.168.20.2" },
    };

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public async Task AddThenDel_ObjectsNamedAndShapedAsUpstreams_DelRemovesEntryAndReservation(string? networkName, string poolName, string reservationName)
    {
        var config = _cluster.Direct(edit: networkName is null ? null : ipam => ipam["network_name"] = networkName);

        var add = await KubeCluster.PodAsync("ADD", "c1", "pod-1", config, "node-a");

        Assert.True(add.ExitCode == 0, add.ToString());
        var ip = JsonNode.Parse(add.Stdout)!["ips"]![0]!;
        Assert.Equal("192.168.20.2/24", ip["address"]!.GetValue<string>());
        Assert.Equal("192.168.20.1", ip["gateway"]!.GetValue<string>());

        var pool = _cluster.Pool(poolName)!;
        Assert.Equal("whereabouts.cni.cncf.io/v1alpha1", pool["apiVersion"]!.GetValue<string>());
        Assert.Equal("IPPool", pool["kind"]!.GetValue<string>());
        AssertJson("""{"range":"192.168.20.0/24","allocations":{"2":{"id":"c1","podref":"default/pod-1","ifname":"net1"}}}""", pool["spec"]);
        var reservation = _cluster.Reservation(reservationName)!;
        Assert.Equal("OverlappingRangeIPReservation", reservation["kind"]!.GetValue<string>());
        AssertJson("""{"containerid":"c1","podref":"default/pod-1","ifname":"net1"}""", reservation["spec"]);
        Assert.Single(_cluster.Server.Store.List("ippools", KubeCluster.Namespace));

        var del = await KubeCluster.PodAsync("DEL", "c1", "pod-1", config, "node-a");

        Assert.True(del.ExitCode == 0, del.ToString());
        Assert.Equal(string.Empty, del.Stdout);
        AssertJson("""{"range":"192.168.20.0/24","allocations":{}}""", _cluster.Pool(poolName)!["spec"]);
        Assert.Empty(_cluster.Reservations());
    }

    [Fact]
    public async Task Add_SamePodAndInterfaceNewSandbox_SameAddress_StaleDelKeepsIt()
    {
        var config = _cluster.Direct();
        var first = await KubeCluster.PodAsync("ADD", "old-sandbox", "sts-0", config);
        var second = await KubeCluster.PodAsync("ADD", "new-sandbox", "sts-0", config);

        Assert.Equal(CniCall.Addresses(first.Stdout), CniCall.Addresses(second.Stdout));
        Assert.Equal("new-sandbox", Assert.Single(_cluster.Allocations()).ContainerId);

        var staleDel = await KubeCluster.PodAsync("DEL", "old-sandbox", "sts-0", config);

        Assert.Equal(0, staleDel.ExitCode);
        Assert.Single(_cluster.Allocations());
        _cluster.AssertConsistent();
    }

    [Fact]
    public async Task Check_AfterAddMatchesPrevResult_WrongAddressOrAfterDelFails()
    {
        var config = _cluster.Direct();
        var add = await KubeCluster.PodAsync("ADD", "c1", "p1", config);
        var withPrev = JsonNode.Parse(config)!.AsObject();
        withPrev["prevResult"] = JsonNode.Parse(add.Stdout);

        var check = await KubeCluster.PodAsync("CHECK", "c1", "p1", withPrev.ToJsonString());
        Assert.True(check.ExitCode == 0, check.ToString());

        var wrongPrev = JsonNode.Parse(withPrev.ToJsonString())!.AsObject();
        wrongPrev["prevResult"]!["ips"]![0]!["address"] = "192.168.20.77/24";
        var mismatch = await KubeCluster.PodAsync("CHECK", "c1", "p1", wrongPrev.ToJsonString());
        Assert.NotEqual(0, mismatch.ExitCode);
        Assert.Contains("192.168.20.77", mismatch.Stdout, StringComparison.Ordinal);

        await KubeCluster.PodAsync("DEL", "c1", "p1", config);
        var afterDel = await KubeCluster.PodAsync("CHECK", "c1", "p1", withPrev.ToJsonString());
        Assert.Equal(999, CniCall.ErrorCode(afterDel.Stdout));
    }

    [Fact]
    public async Task Gc_ReleasesStaleAllocationsOfPodsOnThisNodeOrGone_NeverOfLivePodsElsewhere()
    {
        var config = _cluster.Direct("1.1.0");
        (string Pod, string? Node)[] pods = [("a1", "node-a"), ("a2", "node-a"), ("a3", "node-a"), ("b1", "node-b"), ("gone", null)];
        foreach (var (pod, node) in pods)
        {
            if (node is not null)
            {
                _cluster.Server.Store.CreatePod(new TestPod(pod) { NodeName = node });
            }

            var add = await KubeCluster.PodAsync("ADD", "c-" + pod, pod, config, node ?? "node-a");
            Assert.True(add.ExitCode == 0, add.ToString());
        }

        // The runtime on node-a still knows a1; a2 and a3 are its leftovers. b1 runs on node-b and is not node-a's to
        // collect; the pod of "gone" no longer exists, so nobody can use its address any more.
        var gcConfig = JsonNode.Parse(config)!.AsObject();
        gcConfig["cni.dev/valid-attachments"] = new JsonArray(new JsonObject { ["containerID"] = "c-a1", ["ifname"] = "net1" });
        var gc = await KubeCluster.RunAsync(new CniCall("GC", IfName: "", NetNs: "") { Args = null }, gcConfig.ToJsonString(), "node-a");

        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.Equal(["c-a1", "c-b1"], _cluster.Allocations().Select(static a => a.ContainerId).Order());
        _cluster.AssertConsistent();
    }

    [Fact]
    public async Task Gc_OnAnotherNode_ReleasesOnlyAllocationsOfPodsThatAreGone()
    {
        var config = _cluster.Direct("1.1.0");
        _cluster.Server.Store.CreatePod(new TestPod("here") { NodeName = "node-a" });
        foreach (var pod in new[] { "here", "gone" })
        {
            var add = await KubeCluster.PodAsync("ADD", "c-" + pod, pod, config, "node-a");
            Assert.True(add.ExitCode == 0, add.ToString());
        }

        if (_cluster.Agent is not null)
        {
            // The agent serves its own node: the GC on node-z is node-z's agent's.
            await _cluster.StartAgentAsync(node: "node-z");
        }

        var gc = await KubeCluster.RunAsync(new CniCall("GC", IfName: "", NetNs: "") { Args = null }, config, "node-z");

        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.Equal(["c-here"], _cluster.Allocations().Select(static a => a.ContainerId));
        _cluster.AssertConsistent();
    }

    [Fact]
    public async Task Status_ServerReachable_Succeeds_ServerDown_PluginNotAvailable()
    {
        var config = _cluster.Direct("1.1.0");
        var status = new CniCall("STATUS", IfName: "", NetNs: "") { Args = null };

        var ok = await KubeCluster.RunAsync(status, config);
        Assert.True(ok.ExitCode == 0, ok.ToString());

        _cluster.Faults.Pause(OutageMode.Refuse);
        var started = Stopwatch.StartNew();
        var down = await KubeCluster.RunAsync(status, config);
        Assert.Equal(50, CniCall.ErrorCode(down.Stdout));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"STATUS took {started.Elapsed}");

        _cluster.Faults.Resume();
        var back = await KubeCluster.RunAsync(status, config);
        Assert.True(back.ExitCode == 0, back.ToString());
    }

    [Fact]
    public async Task Add_NoPodName_InvalidEnvironmentWithoutAnyRequest()
    {
        var add = await KubeCluster.RunAsync(new CniCall("ADD", "c1"), _cluster.Direct());

        Assert.Equal(4, CniCall.ErrorCode(add.Stdout));
        Assert.Contains("K8S_POD_NAME", KubeCluster.ErrorText(add.Stdout), StringComparison.Ordinal);
        Assert.Equal(0, _cluster.Counters.Total);
    }

    /// <summary>In agent mode the agent is gone (killed), so the plugin falls back to the kubeconfig, which is not there yet.</summary>
    [Fact]
    public async Task Add_KubeconfigNotWrittenYet_TryAgainLaterAtOnce()
    {
        if (_cluster.Agent is { } agent)
        {
            await agent.KillAsync();
            _cluster.Counters.Reset();
        }

        var missing = Path.Combine(Path.GetDirectoryName(_cluster.KubeconfigPath)!, "not-yet.kubeconfig");

        var add = await KubeCluster.PodAsync("ADD", "c1", "p1", _cluster.Direct(kubeconfig: missing));

        Assert.Equal(11, CniCall.ErrorCode(add.Stdout));
        Assert.Contains(missing, KubeCluster.ErrorText(add.Stdout), StringComparison.Ordinal);
        // A watch of the killed agent is counted when the server notices its connection closed, which can be after the kill.
        Assert.Equal(0, _cluster.Counters.Snapshot().Where(static c => c.Verb != "watch").Sum(static c => c.Count));
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\nactual   {actual?.ToJsonString()}");
}

/// <summary><see cref="KubernetesDirectInvocationTests"/>, the plugin serving each call itself.</summary>
public sealed class KubernetesDirectInvocationDirectTests() : KubernetesDirectInvocationTests(ClusterMode.Direct);

/// <summary><see cref="KubernetesDirectInvocationTests"/>, the plugin asking a node agent.</summary>
public sealed class KubernetesDirectInvocationAgentTests() : KubernetesDirectInvocationTests(ClusterMode.Agent);
