using Whereabouts.Controller.Cli;
using Whereabouts.Controller.Tests.InstallCni;
using Whereabouts.Controller.Tests.Reconcile;

namespace Whereabouts.Controller.Tests.IpamVerbs;

/// <summary><c>ipam release</c> against the API test server: leaked, live and double-held addresses.</summary>
public sealed class IpamReleaseTests : IAsyncLifetime
{
    private const string Pool = "red-10.2.0.0-24";

    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        _cluster.Nad("default", "red", """{"cniVersion":"1.0.0","name":"red","type":"macvlan","ipam":{"type":"whereabouts","range":"10.2.0.0/24","network_name":"red"}}""");
        _cluster.Nad("default", "blue", """{"cniVersion":"1.0.0","name":"blue","type":"macvlan","ipam":{"type":"whereabouts","range":"10.2.0.0/24","network_name":"blue"}}""");
        _cluster.Pod("default/live");
        _cluster.Pod("default/done", phase: "Succeeded");
        _cluster.Pool(
            Pool,
            "10.2.0.0/24",
            new Alloc("5", "c-live", "default/live"),
            new Alloc("6", "c-gone", "default/gone"),
            new Alloc("7", "c-done", "default/done"),
            new Alloc("8", "c-blue", "default/gone"));
        _cluster.Pool("blue-10.2.0.0-24", "10.2.0.0/24", new Alloc("8", "c-blue2", "default/gone-too"));
        _cluster.Reservation("red-10.2.0.5", "default/live");
        _cluster.Reservation("red-10.2.0.6", "default/gone");
        _cluster.Reservation("red-10.2.0.7", "default/done");
    }

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Release_LeakedAddress_RemovesEntryAndReservation()
    {
        var run = await Release("--ip", "10.2.0.6");

        Assert.Equal((0, ""), (run.ExitCode, run.Stderr));
        Assert.Equal(
            ["released 10.2.0.6 of pod default/gone interface net1 (container c-gone) from IPPool kube-system/red-10.2.0.0-24; reservation kube-system/red-10.2.0.6 deleted"],
            IpamCli.Lines(run.Stdout));
        Assert.Equal(["5", "7", "8"], _cluster.Allocations(Pool).Keys.Order(StringComparer.Ordinal));
        Assert.False(_cluster.HasReservation("red-10.2.0.6"));
        Assert.True(_cluster.HasReservation("red-10.2.0.5"));
    }

    [Fact]
    public async Task Release_FinishedPod_IsNotLiveAndGoes()
    {
        var run = await Release("--ip", "10.2.0.7", "-o", "json");

        Assert.Equal(0, run.ExitCode);
        var released = Assert.Single(IpamCli.Json(run)["released"]!.AsArray())!;
        Assert.Equal(["ip", "podRef", "ifName", "containerId", "pool", "reservation"], IpamCli.Keys(released));
        Assert.Equal(("10.2.0.7", "default/done", "kube-system/red-10.2.0.7"), ((string?)released["ip"], (string?)released["podRef"], (string?)released["reservation"]));
        Assert.DoesNotContain("7", _cluster.Allocations(Pool).Keys);
    }

    [Fact]
    public async Task Release_LivePod_RefusedNamingThePodAndNothingWritten()
    {
        var before = _cluster.Writes;

        var run = await Release("--ip", "10.2.0.5");

        Assert.Equal(ExitCodes.Problems, run.ExitCode);
        Assert.Equal(
            "whereabouts-controller ipam release: 10.2.0.5 is held by live pod default/live (Running, interface net1, container c-live); pass --force to release it anyway",
            Assert.Single(run.StderrLines));
        Assert.Equal(before, _cluster.Writes);
        Assert.Contains("5", _cluster.Allocations(Pool).Keys);
    }

    [Fact]
    public async Task Release_LivePodWithForce_Released()
    {
        var run = await Release("--ip", "10.2.0.5", "--force");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("5", _cluster.Allocations(Pool).Keys);
        Assert.False(_cluster.HasReservation("red-10.2.0.5"));
    }

    [Fact]
    public async Task Release_HeldByNobody_RefusedWithAClearMessage()
    {
        var run = await Release("--ip", "10.2.0.99");

        Assert.Equal(ExitCodes.Problems, run.ExitCode);
        Assert.StartsWith("whereabouts-controller ipam release: 10.2.0.99 is held by nobody: no IPPool allocates it", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_DoubleHeldAcrossNetworks_AsksForTheNetworkThenReleasesOnlyThatOne()
    {
        var ambiguous = await Release("--ip", "10.2.0.8");

        Assert.Equal(ExitCodes.Problems, ambiguous.ExitCode);
        Assert.Contains("choose one with --network", Assert.Single(ambiguous.StderrLines), StringComparison.Ordinal);
        Assert.Contains("8", _cluster.Allocations(Pool).Keys);

        var run = await Release("--ip", "10.2.0.8", "--network", "blue");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(_cluster.Allocations("blue-10.2.0.0-24"));
        Assert.Contains("8", _cluster.Allocations(Pool).Keys);
        Assert.Contains("no reservation to delete", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_ReservationHeldByAnotherPod_EntryGoesReservationStays()
    {
        _cluster.Store.Delete("overlappingrangeipreservations", TestCluster.Namespace, "red-10.2.0.6");
        _cluster.Reservation("red-10.2.0.6", "default/live");

        var run = await Release("--ip", "10.2.0.6");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("6", _cluster.Allocations(Pool).Keys);
        Assert.True(_cluster.HasReservation("red-10.2.0.6"));
        Assert.Contains("no reservation to delete", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_CredentialsMayNotReadThePools_ExitsAccessDeniedAndWritesNothing()
    {
        var kubeconfig = _cluster.WriteKubeconfig("restricted.kubeconfig", TestCluster.RestrictedToken);

        var run = await IpamCli.RunAsync(null, "ipam", "release", "--kubeconfig", kubeconfig, "--ip", "10.2.0.6");

        Assert.Equal(ExitCodes.AccessDenied, run.ExitCode);
        Assert.Contains("6", _cluster.Allocations(Pool).Keys);
    }

    private Task<CliRun> Release(params string[] args) =>
        IpamCli.RunAsync(null, ["ipam", "release", "--kubeconfig", _cluster.KubeconfigPath, .. args]);
}
