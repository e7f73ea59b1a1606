using System.Net;
using Whereabouts.Controller.Tests.Reconcile;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Controller.Tests.NodeController;

/// <summary><c>run</c>: deleted pods of the node lose their addresses within seconds, also across watch gaps and restarts.</summary>
public sealed class NodeControllerTests : IAsyncLifetime
{
    private const string Pool = "10.5.0.0-24";

    private const int PodDeletedEventId = Whereabouts.Controller.NodeController.NodeController.PodDeletedEventId;

    private const int WatchBrokeEventId = Whereabouts.Controller.Kube.ListWatch<k8s.Models.V1Pod>.WatchBrokeEventId;

    private NodeHarness _node = null!;

    private TestCluster Cluster => _node.Cluster;

    public async ValueTask InitializeAsync()
    {
        _node = await NodeHarness.CreateAsync();
        _node.WhereaboutsNetwork("default", "net1", "10.5.0.0/24");
        Cluster.Pool(Pool, "10.5.0.0/24", new Alloc("7", "c-web", "default/web-1"), new Alloc("8", "c-other", "default/other"));
        Cluster.Reservation("10.5.0.7", "default/web-1");
        Cluster.Reservation("10.5.0.8", "default/other");
        Cluster.Pod("default/other");
    }

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task PodDeleted_AddressReservationAndEvent_WithinSeconds()
    {
        var uid = _node.Pod("default/web-1", "net1");
        await _node.StartAsync();
        await Eventually.TrueAsync(() => _node.State().Contains(uid, StringComparison.Ordinal), "the pod was never recorded");

        Cluster.Terminate("default/web-1");

        // The watch delivers in order: once a pod created after the termination is recorded, the termination was seen.
        var sentinel = _node.Pod("default/sentinel", "net1");
        await Eventually.TrueAsync(() => _node.State().Contains(sentinel, StringComparison.Ordinal), "the pod made after the termination was never recorded");
        Assert.Equal(0, _node.Logged(PodDeletedEventId));
        Assert.True(Cluster.Allocations(Pool).ContainsKey("7"), "released while the pod was still terminating");

        Assert.True(Cluster.Store.FinishPodDeletion("default", "web-1"));
        // The pool entry goes first and the reservation after it, so the release is over only when both are gone.
        await Eventually.TrueAsync(() => !Cluster.Allocations(Pool).ContainsKey("7") && !Cluster.HasReservation("10.5.0.7"), "not released", TimeSpan.FromSeconds(5));

        Assert.Equal(["8"], Cluster.Allocations(Pool).Keys);
        Assert.False(Cluster.HasReservation("10.5.0.7"));
        Assert.True(Cluster.HasReservation("10.5.0.8"));
        await Eventually.TrueAsync(() => _node.EventsOf("default/web-1").Count == 1, "no event");
        Assert.Equal(
            "Normal IPAddressGarbageCollected: released 10.5.0.7 (interface net1) from network default/net1, IPPool kube-system/10.5.0.0-24",
            _node.EventsOf("default/web-1")[0]);
        await Eventually.TrueAsync(() => !_node.State().Contains(uid, StringComparison.Ordinal), "still in the state file");
        Assert.Equal(0, await _node.StopAsync());
    }

    [Fact]
    public async Task PodDeleted_NodeSliceNetwork_ReleasedFromThisNodesSlicePool()
    {
        Cluster.Store.CreateNode(NodeHarness.Node);
        Cluster.Nad("default", "slicenet", """{"cniVersion":"0.3.1","name":"slicenet","type":"macvlan","ipam":{"type":"whereabouts","range":"10.6.0.0/24","node_slice_size":"/26"}}""");
        Cluster.Store.Create("nodeslicepools", System.Text.Json.Nodes.JsonNode.Parse("""
            {"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"NodeSlicePool","metadata":{"name":"slicenet","namespace":"kube-system"},
             "spec":{"range":"10.6.0.0/24","sliceSize":"/26"},
             "status":{"allocations":[{"nodeName":"other","sliceRange":"10.6.0.0/26"},{"nodeName":"node-1","sliceRange":"10.6.0.64/26"}]}}
            """)!.AsObject());
        Cluster.Pool("node-1-10.6.0.64-26", "10.6.0.64/26", new Alloc("1", "c-sliced", "default/sliced"));
        Cluster.Reservation("10.6.0.65", "default/sliced");
        var uid = _node.Pod("default/sliced", "slicenet");
        await _node.StartAsync();
        await Eventually.TrueAsync(() => _node.State().Contains(uid, StringComparison.Ordinal), "the pod was never recorded");

        Cluster.RemovePod("default/sliced");

        await Eventually.TrueAsync(() => Cluster.Allocations("node-1-10.6.0.64-26").Count == 0 && !Cluster.HasReservation("10.6.0.65"), "not released", TimeSpan.FromSeconds(5));
        Assert.Equal(0, await _node.StopAsync());
    }

    [Fact]
    public async Task PodDeleted_StatefulSetRecreatedUnderTheSameName_KeepsTheAddress()
    {
        var uid = _node.Pod("default/web-1", "net1", uid: "uid-old");
        await _node.StartAsync();
        await Eventually.TrueAsync(() => _node.State().Contains(uid, StringComparison.Ordinal), "the pod was never recorded");

        // The first look-up fails, so the new incarnation surely exists when the retry asks.
        Cluster.Faults.FailNext(1, 503, "get", "pods");
        Cluster.RemovePod("default/web-1");
        _node.Pod("default/web-1", "net1", uid: "uid-new");
        await Eventually.TrueAsync(() => !_node.State().Contains("uid-old", StringComparison.Ordinal), "the deletion was never processed");

        Assert.Equal(("c-web", "default/web-1", "net1"), Cluster.Allocations(Pool)["7"]);
        Assert.True(Cluster.HasReservation("10.5.0.7"));
        Assert.Empty(_node.EventsOf("default/web-1"));
        Assert.Contains("uid-new", _node.State(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PodDeleted_NetworkNotWhereabouts_Ignored()
    {
        Cluster.Nad("default", "plain", """{"cniVersion":"0.3.1","name":"plain","type":"macvlan","ipam":{"type":"host-local","subnet":"10.9.0.0/24"}}""");
        Cluster.Nad("default", "conflist", """{"cniVersion":"0.4.0","name":"conflist","plugins":[{"type":"bridge","ipam":{"type":"static"}},{"type":"tuning"}]}""");
        var uid = _node.Pod("default/web-1", "plain, conflist");
        await _node.StartAsync();
        await Eventually.TrueAsync(() => _node.State().Contains(uid, StringComparison.Ordinal), "the pod was never recorded");

        Cluster.RemovePod("default/web-1");
        await Eventually.TrueAsync(() => !_node.State().Contains(uid, StringComparison.Ordinal), "the deletion was never processed");

        Assert.Equal(2, Cluster.Allocations(Pool).Count);
        Assert.Equal(0, Cluster.Server.Counters.Get("patch", "ippools") + Cluster.Server.Counters.Get("get", "ippools"));
        Assert.Empty(_node.EventsOf("default/web-1"));
    }

    [Fact]
    public async Task PodDeleted_NetworkAttachmentDefinitionMissing_WarningEvent()
    {
        var uid = _node.Pod("default/web-1", "net1, gone-net");
        await _node.StartAsync();
        await Eventually.TrueAsync(() => _node.State().Contains(uid, StringComparison.Ordinal), "the pod was never recorded");

        Cluster.RemovePod("default/web-1");
        await Eventually.TrueAsync(() => _node.EventsOf("default/web-1").Count == 2, "no events");

        Assert.Equal(["8"], Cluster.Allocations(Pool).Keys);
        Assert.Contains(
            "Warning IPAddressGarbageCollectionFailed: addresses of pod default/web-1 not released (left to the reconcile pass): NetworkAttachmentDefinition default/gone-net does not exist",
            _node.EventsOf("default/web-1"));
    }

    [Fact]
    public async Task PodDeleted_NamedNetworkFromTheFlatFileAndJsonAnnotation_ItsPoolAndReservation()
    {
        File.WriteAllText(
            Path.Join(_node.ConfDir, "whereabouts.d", "whereabouts.conf"),
            """{"datastore":"kubernetes","network_name":"blue","kubernetes":{"kubeconfig":"/etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig"}}""");
        _node.WhereaboutsNetwork("apps", "tenant-net", "10.6.0.0/24");
        Cluster.Pool("blue-10.6.0.0-24", "10.6.0.0/24", new Alloc("3", "c-db", "default/db-0", "eth1"));
        Cluster.Reservation("blue-10.6.0.3", "default/db-0", "eth1");
        var uid = _node.Pod("default/db-0", """[{"name":"tenant-net","namespace":"apps","interface":"eth1"}]""");
        await _node.StartAsync();
        await Eventually.TrueAsync(() => _node.State().Contains(uid, StringComparison.Ordinal), "the pod was never recorded");

        Cluster.RemovePod("default/db-0");
        await Eventually.TrueAsync(() => Cluster.Allocations("blue-10.6.0.0-24").Count == 0, "not released");

        await Eventually.TrueAsync(() => !Cluster.HasReservation("blue-10.6.0.3"), "reservation kept");
    }

    [Fact]
    public async Task WatchConnectionDropped_DeletionDuringTheGap_ReleasedAfterReconnecting()
    {
        _node.Pod("default/web-1", "net1");
        await _node.StartAsync();
        await Eventually.TrueAsync(() => _node.State().Contains("web-1", StringComparison.Ordinal), "the pod was never recorded");

        Cluster.Faults.Pause(OutageMode.Refuse);
        Cluster.RemovePod("default/web-1");
        await Eventually.TrueAsync(() => _node.Logged(WatchBrokeEventId) > 0, "the controller never noticed the outage");
        Cluster.Faults.Resume();

        await Eventually.TrueAsync(() => !Cluster.Allocations(Pool).ContainsKey("7"), "not released after the gap");
        Assert.Equal(0, Cluster.Server.Counters.Get("list", "pods", 200) - 1);
    }

    [Fact]
    public async Task WatchExpired_410_RelistsAndReleasesWhatWentMissing()
    {
        _node.Pod("default/web-1", "net1");
        await _node.StartAsync();
        await Eventually.TrueAsync(() => _node.State().Contains("web-1", StringComparison.Ordinal), "the pod was never recorded");

        Cluster.Faults.Pause(OutageMode.Refuse);
        Cluster.RemovePod("default/web-1");
        Cluster.Store.Compact();
        Cluster.Faults.Resume();

        await Eventually.TrueAsync(() => !Cluster.Allocations(Pool).ContainsKey("7"), "not released after the relist");
        Assert.True(Cluster.Server.Counters.Get("list", "pods", 200) >= 2, "no relist");
        Assert.Equal(["8"], Cluster.Allocations(Pool).Keys);
    }

    [Fact]
    public async Task Restart_PodDeletedWhileDown_ReleasedOnStart()
    {
        var uid = _node.Pod("default/web-1", "net1");
        await _node.StartAsync();
        await Eventually.TrueAsync(() => _node.State().Contains(uid, StringComparison.Ordinal), "the pod was never recorded");
        Assert.Equal(0, await _node.StopAsync());

        Cluster.RemovePod("default/web-1");
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.True(Cluster.Allocations(Pool).ContainsKey("7"));

        await _node.StartAsync();

        await Eventually.TrueAsync(() => !Cluster.Allocations(Pool).ContainsKey("7") && !Cluster.HasReservation("10.5.0.7"), "not released on start");
        Assert.False(Cluster.HasReservation("10.5.0.7"));
        await Eventually.TrueAsync(() => _node.EventsOf("default/web-1").Count == 1, "no event");
        Assert.Contains("Normal IPAddressGarbageCollected: released 10.5.0.7", _node.EventsOf("default/web-1")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_WatchingThenLongOutage_OkThenUnavailableThenOkAgain()
    {
        await _node.StartAsync();
        Assert.Equal((HttpStatusCode.OK, "ok\n"), await _node.GetAsync("healthz"));
        Assert.Equal(HttpStatusCode.NotFound, (await _node.GetAsync("nothing")).Status);

        Cluster.Faults.Pause(OutageMode.Refuse);
        await Eventually.TrueAsync(async () => (await _node.GetAsync("healthz")).Status == HttpStatusCode.ServiceUnavailable, "still healthy", TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("ok", (await _node.GetAsync("healthz")).Body, StringComparison.Ordinal);

        Cluster.Faults.Resume();
        await Eventually.TrueAsync(async () => (await _node.GetAsync("healthz")).Status == HttpStatusCode.OK, "never healthy again");
    }

    [Fact]
    public async Task Start_KubeconfigOfThePluginKeptFresh()
    {
        await _node.StartAsync();
        var kubeconfig = Path.Join(_node.ConfDir, "whereabouts.d", "whereabouts.kubeconfig");
        await Eventually.TrueAsync(() => File.Exists(kubeconfig), "no kubeconfig");

        File.WriteAllText(Path.Join(_node.ServiceAccountDir, "token"), "rotated-token");

        await Eventually.TrueAsync(() => File.ReadAllText(kubeconfig).Contains("rotated-token", StringComparison.Ordinal), "not refreshed");
    }
}
