using System.Text.Json.Nodes;

namespace Whereabouts.Controller.Tests.Reconcile;

/// <summary>The release rules of one pass against the API test server, with the chart's permissions.</summary>
public sealed class ReconcilePassTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await TestCluster.StartAsync();

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task RunAsync_PodStates_ReleasesOnlyGoneAndFinishedPods()
    {
        _cluster.Store.CreateNode("node-down");
        _cluster.Store.Update("nodes", null, "node-down", node => node["status"] = JsonNode.Parse("""{"conditions":[{"type":"Ready","status":"False"}]}"""));
        _cluster.Pod("default/succeeded", phase: "Succeeded");
        _cluster.Pod("default/failed", phase: "Failed");
        _cluster.Pod("default/pending", phase: "Pending");
        _cluster.Pod("default/running");
        _cluster.Pod("default/unknown", phase: "Unknown");
        _cluster.Pod("default/on-notready-node", node: "node-down");
        _cluster.Pod("default/terminating");
        _cluster.Terminate("default/terminating");
        _cluster.Pod("default/no-status-annotation");
        _cluster.Pod("default/status-without-ip", annotations: new Dictionary<string, string>
        {
            ["k8s.v1.cni.cncf.io/network-status"] = """[{"name":"cbr0","ips":["10.244.0.5"],"default":true}]""",
        });
        _cluster.Pod("default/garbage-status", annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/network-status"] = "{not json" });
        _cluster.Pool(
            "10.0.0.0-24",
            "10.0.0.0/24",
            new Alloc("1", "c-gone", "default/gone"),
            new Alloc("2", "c-succeeded", "default/succeeded"),
            new Alloc("3", "c-failed", "default/failed"),
            new Alloc("4", "c-pending", "default/pending"),
            new Alloc("5", "c-running", "default/running"),
            new Alloc("6", "c-unknown", "default/unknown"),
            new Alloc("7", "c-notready", "default/on-notready-node"),
            new Alloc("8", "c-terminating", "default/terminating"),
            new Alloc("9", "c-no-annotation", "default/no-status-annotation"),
            new Alloc("10", "c-no-ip", "default/status-without-ip"),
            new Alloc("11", "c-garbage", "default/garbage-status"),
            new Alloc("12", "c-anonymous", ""));

        var (summary, report) = await _cluster.ReconcileAsync();

        Assert.Equal([4, 5, 6, 7, 8, 9, 10, 11, 12], _cluster.Allocations("10.0.0.0-24").Keys.Select(int.Parse).Order());
        Assert.Equal(
            ["kube-system/10.0.0.0-24 10.0.0.1 default/gone pod-gone", "kube-system/10.0.0.0-24 10.0.0.2 default/succeeded pod-succeeded", "kube-system/10.0.0.0-24 10.0.0.3 default/failed pod-failed"],
            report.Allocations);
        Assert.Equal((1, 12, 3, 9, 0), (summary.Pools, summary.Allocations, summary.Released, summary.KeptTotal, summary.Errors));
        Assert.Equal(1, summary.Kept["no-podref"]);
        Assert.Equal(1, summary.Kept["terminating"]);
        Assert.Equal(1, summary.Kept["pending"]);
        Assert.Equal(5, summary.Kept["running"]);
        Assert.Equal(1, summary.Kept["unknown-phase"]);
        Assert.Equal(
            "reconcile: pools=1 allocations=12 released=3 kept=9 (no-podref=1 pending=1 running=5 terminating=1 unknown-phase=1) vanished=0 reservations-released=0 reservations-kept=0 errors=0",
            summary.ToString());
    }

    [Fact]
    public async Task RunAsync_StatefulSetPodRecreated_KeepsTheAddressForTheNewIncarnation()
    {
        // The old incarnation's entry (old container id); the new pod, same name, new uid, not yet ADDed.
        _cluster.Pool("10.0.0.0-24", "10.0.0.0/24", new Alloc("5", "old-container", "apps/db-0"));
        _cluster.Pod("apps/db-0", phase: "Pending", uid: "uid-new");

        var (summary, _) = await _cluster.ReconcileAsync();

        Assert.Equal(("old-container", "apps/db-0", "net1"), _cluster.Allocations("10.0.0.0-24")["5"]);
        Assert.Equal(0, summary.Released);
    }

    [Fact]
    public async Task RunAsync_ReAddChangesTheEntryBeforeTheWrite_KeepsIt()
    {
        _cluster.Pool("10.0.0.0-24", "10.0.0.0/24", new Alloc("5", "old-container", "apps/db-0"), new Alloc("6", "c-orphan", "apps/orphan"));

        var (summary, report) = await ChangeAfterSnapshotAsync(() =>
        {
            // The StatefulSet re-created db-0 after the pod list, and its ADD re-used the entry (podRef + ifName).
            _cluster.Pod("apps/db-0", uid: "uid-new");
            _cluster.Store.Update("ippools", TestCluster.Namespace, "10.0.0.0-24", pool => pool["spec"]!["allocations"]!["5"]!["id"] = "new-container");
        });

        Assert.Equal(["5"], _cluster.Allocations("10.0.0.0-24").Keys);
        Assert.Equal(("new-container", "apps/db-0", "net1"), _cluster.Allocations("10.0.0.0-24")["5"]);
        Assert.Equal(["kube-system/10.0.0.0-24 10.0.0.6 apps/orphan pod-gone"], report.Allocations);
        Assert.Equal((1, 1), (summary.Released, summary.Kept["changed"]));
    }

    [Fact]
    public async Task RunAsync_AllocationMadeAfterTheSnapshot_NeverReleased()
    {
        _cluster.Pool("10.0.0.0-24", "10.0.0.0/24", new Alloc("6", "c-orphan", "apps/orphan"));

        var (summary, _) = await ChangeAfterSnapshotAsync(() =>
        {
            // A pod created after the pod list, ADDed after the pool list: it is in neither snapshot.
            _cluster.Pod("apps/late");
            _cluster.Store.Update("ippools", TestCluster.Namespace, "10.0.0.0-24",
                pool => pool["spec"]!["allocations"]!["7"] = new JsonObject { ["id"] = "c-late", ["podref"] = "apps/late", ["ifname"] = "net1" });
        });

        Assert.Equal(["7"], _cluster.Allocations("10.0.0.0-24").Keys);
        Assert.Equal(1, summary.Released);
    }

    [Fact]
    public async Task RunAsync_EntryReleasedByAnotherWriterMeanwhile_CountedAsVanished()
    {
        _cluster.Pool("10.0.0.0-24", "10.0.0.0/24", new Alloc("6", "c-orphan", "apps/orphan"), new Alloc("7", "c-other", "apps/other"));

        var (summary, _) = await ChangeAfterSnapshotAsync(() =>
            _cluster.Store.Update("ippools", TestCluster.Namespace, "10.0.0.0-24", pool => pool["spec"]!["allocations"]!.AsObject().Remove("6")));

        Assert.Empty(_cluster.Allocations("10.0.0.0-24"));
        Assert.Equal((1, 1, 0), (summary.Released, summary.Vanished, summary.Errors));
    }

    [Fact]
    public async Task RunAsync_PoolsInSeveralNamespaces_AllScannedUnlessOneIsGiven()
    {
        _cluster.Pool("10.0.0.0-24", "10.0.0.0/24", new Alloc("1", "c1", "default/gone-a"), new Alloc("2", "c2", "default/alive"));
        _cluster.PoolIn("tenant", "10.0.0.0-24", "10.0.0.0/24", new Alloc("1", "c3", "tenant/gone-b"));
        _cluster.Pod("default/alive");

        var (scoped, _) = await _cluster.ReconcileAsync(TestCluster.Fast(@namespace: "tenant"));

        Assert.Equal((1, 1), (scoped.Pools, scoped.Released));
        Assert.Equal(["1", "2"], _cluster.Allocations("10.0.0.0-24").Keys.Order());
        Assert.Empty(_cluster.Allocations("10.0.0.0-24", "tenant"));

        var (all, _) = await _cluster.ReconcileAsync();

        Assert.Equal((2, 1), (all.Pools, all.Released));
        Assert.Equal(["2"], _cluster.Allocations("10.0.0.0-24").Keys);
    }

    [Fact]
    public async Task RunAsync_UpstreamFormatObjects_ReadAndReleased()
    {
        // v0.9.4 omits an empty ifname; v0.5 reservations carry containerid and no ifname; offsets beyond 2^63.
        _cluster.Pool("fd00---32", "fd00::/32",
            new Alloc("1208925819614629174706176", "c-gone", "default/gone", IfName: null),
            new Alloc("2", "c-alive", "default/alive", IfName: null));
        _cluster.Pod("default/alive");
        _cluster.Reservation("fd00-0-1--0", "default/gone", ifName: null, containerId: "c-gone");
        _cluster.Reservation("fd00--2", "default/alive", ifName: null, containerId: "c-alive");

        var (summary, report) = await _cluster.ReconcileAsync();

        Assert.Equal(["2"], _cluster.Allocations("fd00---32").Keys);
        Assert.Equal(["kube-system/fd00---32 fd00:0:1:: default/gone pod-gone"], report.Allocations);
        Assert.Equal(["kube-system/fd00-0-1--0"], report.Reservations);
        Assert.True(_cluster.HasReservation("fd00--2"));
        Assert.Equal((1, 1, 0), (summary.Released, summary.ReservationsReleased, summary.Errors));
    }

    [Fact]
    public async Task RunAsync_UnreadablePool_LeftAloneAndCounted()
    {
        _cluster.Pool("broken", "not-a-cidr", new Alloc("1", "c1", "default/gone"));
        _cluster.Pool("10.0.0.0-24", "10.0.0.0/24", new Alloc("1", "c1", "default/gone"), new Alloc("x1", "c2", "default/gone-too"));

        var (summary, _) = await _cluster.ReconcileAsync();

        Assert.Single(_cluster.Allocations("broken"));
        Assert.Equal(["x1"], _cluster.Allocations("10.0.0.0-24").Keys);
        Assert.Equal((1, 1, 1), (summary.Released, summary.Kept["unreadable-pool"], summary.Kept["unreadable-key"]));
        Assert.Equal(1, summary.Errors);
    }

    [Fact]
    public async Task RunAsync_DryRun_ReportsAndChangesNothing()
    {
        _cluster.Pool("net1-10.0.0.0-24", "10.0.0.0/24", new Alloc("5", "c-gone", "default/gone"), new Alloc("6", "c-alive", "default/alive"));
        _cluster.Pod("default/alive");
        _cluster.Reservation("net1-10.0.0.5", "default/gone");
        _cluster.Reservation("net1-10.0.0.6", "default/alive");
        _cluster.Reservation("10.9.9.9", "default/long-gone");
        var before = _cluster.Writes;

        var (summary, report) = await _cluster.ReconcileAsync(TestCluster.Fast(dryRun: true));

        Assert.Equal(before, _cluster.Writes);
        Assert.Equal(2, _cluster.Allocations("net1-10.0.0.0-24").Count);
        Assert.Equal(3, _cluster.Store.List("overlappingrangeipreservations", TestCluster.Namespace).Count);
        Assert.Equal(["kube-system/net1-10.0.0.0-24 10.0.0.5 default/gone pod-gone"], report.Allocations);
        Assert.Equal(["kube-system/10.9.9.9", "kube-system/net1-10.0.0.5"], report.Reservations.Order());
        Assert.Equal((1, 2), (summary.Released, summary.ReservationsReleased));
        Assert.StartsWith("reconcile (dry run): pools=1 allocations=2 would-release=1 ", summary.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs a pass whose pool writes are held back by the server, and calls <paramref name="change"/> once the pass has
    /// taken its snapshot (listed the pods), so that the change lands between snapshot and write.
    /// </summary>
    private async Task<(Whereabouts.Controller.Reconcile.ReconcileSummary Summary, RecordingReport Report)> ChangeAfterSnapshotAsync(Action change)
    {
        _cluster.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(800));
        var pass = _cluster.ReconcileAsync();
        while (_cluster.Server.Counters.Get("list", "pods") == 0)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        change();
        var result = await pass;
        _cluster.Faults.SetWriteLatency(TimeSpan.Zero);
        return result;
    }
}
