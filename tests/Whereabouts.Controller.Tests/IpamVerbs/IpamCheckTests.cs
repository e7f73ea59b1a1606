using Whereabouts.Controller.Cli;
using Whereabouts.Controller.Tests.Reconcile;

namespace Whereabouts.Controller.Tests.IpamVerbs;

/// <summary><c>ipam check</c> against the API test server with leaked, live and double-held addresses.</summary>
public sealed class IpamCheckTests : IAsyncLifetime
{
    // Two overlapping ranges of one network_name: the reservation is what keeps them from handing out one address twice.
    private const string RedA = """{"cniVersion":"1.0.0","name":"red-a","type":"macvlan","ipam":{"type":"whereabouts","range":"10.2.0.0/24","network_name":"red","range_end":"10.2.0.50"}}""";
    private const string RedB = """{"cniVersion":"1.0.0","name":"red-b","type":"macvlan","ipam":{"type":"whereabouts","range":"10.2.0.0/25","network_name":"red"}}""";

    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        _cluster.Nad("default", "red-a", RedA);
        _cluster.Nad("default", "red-b", RedB);
        _cluster.Pod("default/live");
        _cluster.Pod("default/other");
    }

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Check_Consistent_ExitsZeroAndSaysSo()
    {
        _cluster.Pool("red-10.2.0.0-24", "10.2.0.0/24", new Alloc("5", "c-live", "default/live"));
        _cluster.Reservation("red-10.2.0.5", "default/live");

        var run = await Check();

        Assert.Equal((0, ""), (run.ExitCode, run.Stderr));
        Assert.Equal(["No problems found (1 pools, 1 allocations, 1 reservations, 2 pods checked)."], IpamCli.Lines(run.Stdout));
        Assert.Empty(IpamCli.Json(await Check("-o", "json"))["problems"]!.AsArray());
    }

    [Fact]
    public async Task Check_LeakedLiveAndDoubleHeld_ReportsEachAndExitsOne()
    {
        _cluster.Pool(
            "red-10.2.0.0-24",
            "10.2.0.0/24",
            new Alloc("5", "c-live", "default/live"),
            new Alloc("6", "c-gone", "default/gone"),
            new Alloc("7", "c-other", "default/other"),
            new Alloc("60", "c-live2", "default/live", IfName: "net2"));
        _cluster.Pool("red-10.2.0.0-25", "10.2.0.0/25", new Alloc("7", "c-dup", "default/live", IfName: "net3"));
        _cluster.Reservation("red-10.2.0.5", "default/live");
        _cluster.Reservation("red-10.2.0.6", "default/gone");
        _cluster.Reservation("red-10.2.0.7", "default/other");
        _cluster.Reservation("red-10.2.0.9", "default/forgotten");
        var before = _cluster.Writes;

        var run = await Check();

        Assert.Equal(ExitCodes.Problems, run.ExitCode);
        Assert.Equal(before, _cluster.Writes);
        Assert.Equal(
            [
                "KIND                            IP         POD                POOL                         DETAIL",
                "allocation-without-reservation  10.2.0.60  default/live       kube-system/red-10.2.0.0-24  no reservation kube-system/red-10.2.0.60: another pool of the network may hand 10.2.0.60 out again",
                "held-twice                      10.2.0.7   default/live       kube-system/red-10.2.0.0-25  10.2.0.7 is allocated in two pools of network red: to default/other (net1) in kube-system/red-10.2.0.0-24 and to default/live (net3) in kube-system/red-10.2.0.0-25",
                "held-twice                      10.2.0.7   default/live       kube-system/red-10.2.0.0-25  10.2.0.7 is allocated to default/live (net3) in kube-system/red-10.2.0.0-25 but reservation kube-system/red-10.2.0.7 is held by default/other (net1)",
                "outside-window                  10.2.0.60  default/live       kube-system/red-10.2.0.0-24  10.2.0.60 is not in the pool's window 10.2.0.0/24 (usable 10.2.0.1-10.2.0.50)",
                "pod-gone                        10.2.0.6   default/gone       kube-system/red-10.2.0.0-24  pod default/gone does not exist; container c-gone still holds the address",
                "reservation-without-allocation  10.2.0.9   default/forgotten  -                            reservation kube-system/red-10.2.0.9 of default/forgotten (net1) has no allocation in any pool",
                "6 problem(s) found (2 pools, 5 allocations, 4 reservations, 2 pods checked).",
            ],
            IpamCli.Lines(run.Stdout));
    }

    [Fact]
    public async Task Check_Json_HasExactlyTheContractFields()
    {
        _cluster.Pool("red-10.2.0.0-24", "10.2.0.0/24", new Alloc("6", "c-gone", "default/gone"));
        _cluster.Reservation("red-10.2.0.6", "default/gone");
        _cluster.Reservation("red-10.2.0.9", "default/forgotten");

        var run = await Check("-o", "json");

        Assert.Equal(ExitCodes.Problems, run.ExitCode);
        var problems = IpamCli.Json(run)["problems"]!.AsArray();
        Assert.All(problems, p => Assert.Equal(["kind", "ip", "podRef", "pool", "detail"], IpamCli.Keys(p)));
        Assert.Equal(
            [
                ("pod-gone", "10.2.0.6", "default/gone", "kube-system/red-10.2.0.0-24"),
                ("reservation-without-allocation", "10.2.0.9", "default/forgotten", null),
            ],
            problems.Select(p => ((string?)p!["kind"], (string?)p["ip"], (string?)p["podRef"], (string?)p["pool"])));
    }

    [Fact]
    public async Task Check_Network_KeepsOnlyThatNetworksPoolsAndReservations()
    {
        _cluster.Pool("red-10.2.0.0-24", "10.2.0.0/24", new Alloc("6", "c-gone", "default/gone"));
        _cluster.Pool("10.9.0.0-24", "10.9.0.0/24", new Alloc("6", "c-gone2", "default/gone2"));
        _cluster.Reservation("red-10.2.0.6", "default/gone");
        _cluster.Reservation("red-10.2.0.9", "default/forgotten");
        _cluster.Reservation("blue-10.2.0.9", "default/forgotten");

        var red = IpamCli.Json(await Check("-o", "json", "--network", "red-a"))["problems"]!.AsArray();
        var all = IpamCli.Json(await Check("-o", "json"))["problems"]!.AsArray();

        Assert.Equal(
            [("pod-gone", "10.2.0.6"), ("reservation-without-allocation", "10.2.0.9")],
            red.Select(p => ((string?)p!["kind"], (string?)p["ip"])));
        Assert.Equal(5, all.Count);
    }

    [Fact]
    public async Task Check_YoungReservationWithoutAllocation_IsAnAddInFlightNotAProblem()
    {
        _cluster.Young();
        _cluster.Reservation("red-10.2.0.9", "default/live");

        var run = await Check();

        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task Check_OverlappingRangesOff_NoReservationIsExpected()
    {
        _cluster.Nad("tenant", "plain", """{"cniVersion":"1.0.0","name":"plain","type":"macvlan","ipam":{"type":"whereabouts","range":"10.3.0.0/24","enable_overlapping_ranges":false}}""");
        _cluster.Pool("10.3.0.0-24", "10.3.0.0/24", new Alloc("1", "c-live", "default/live"));

        var run = await Check();

        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task Check_SucceededPod_IsReportedAsFinished()
    {
        _cluster.Pod("default/job", phase: "Succeeded");
        _cluster.Pool("red-10.2.0.0-24", "10.2.0.0/24", new Alloc("8", "c-job", "default/job"));
        _cluster.Reservation("red-10.2.0.8", "default/job");

        var run = await Check("-o", "json");

        var problem = Assert.Single(IpamCli.Json(run)["problems"]!.AsArray())!;
        Assert.Equal(("pod-finished", "10.2.0.8"), ((string?)problem["kind"], (string?)problem["ip"]));
    }

    [Fact]
    public async Task Check_ListOfPodsFails_ExitsApiUnavailableNotOne()
    {
        using var fault = _cluster.Faults.FailFraction(1, 503, "list", "pods");

        var run = await Check();

        Assert.Equal(ExitCodes.ApiUnavailable, run.ExitCode);
        Assert.Equal("", run.Stdout);
    }

    private Task<Whereabouts.Controller.Tests.InstallCni.CliRun> Check(params string[] extra) =>
        IpamCli.RunAsync(null, ["ipam", "check", "--kubeconfig", _cluster.KubeconfigPath, .. extra]);
}
