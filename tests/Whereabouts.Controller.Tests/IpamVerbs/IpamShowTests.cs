using Whereabouts.Controller.Cli;
using Whereabouts.Controller.Tests.Reconcile;

namespace Whereabouts.Controller.Tests.IpamVerbs;

/// <summary><c>ipam show</c> against the API test server: windows from the NetworkAttachmentDefinitions, text and JSON.</summary>
public sealed class IpamShowTests : IAsyncLifetime
{
    // The package documentation's example network: 192.168.20.0/24, gateway .1, window .2-.100 (99 addresses).
    private const string SeedNetwork = """
        {"cniVersion":"0.3.0","name":"ipvlan-conf-1","type":"ipvlan","master":"eth0","mode":"bridge",
         "ipam":{"type":"whereabouts","range":"192.168.20.0/24","gateway":"192.168.20.1","range_start":"192.168.20.2","range_end":"192.168.20.100"}}
        """;

    private const string BlueNetwork = """
        {"cniVersion":"1.0.0","name":"blue","plugins":[{"type":"macvlan",
         "ipam":{"type":"whereabouts","range":"10.1.0.0/24","network_name":"blue","exclude":["10.1.0.0/28","10.1.0.200"]}}]}
        """;

    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        _cluster.Nad("default", "ipvlan-conf-1", SeedNetwork);
        _cluster.Nad("tenant", "blue", BlueNetwork);
        foreach (var pod in new[] { "default/web-1", "default/web-2", "default/web-3", "tenant/db-0" })
        {
            _cluster.Pod(pod);
        }

        _cluster.Pool(
            "192.168.20.0-24",
            "192.168.20.0/24",
            new Alloc("2", "c1", "default/web-1"),
            new Alloc("3", "c2", "default/web-2"),
            new Alloc("4", "c3", "default/web-3", IfName: "net2"));
        _cluster.Pool("blue-10.1.0.0-24", "10.1.0.0/24", new Alloc("16", "c4", "tenant/db-0"));
        _cluster.Pool("172.16.0.0-30", "172.16.0.0/30", new Alloc("1", "c5", "default/gone"));
    }

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Show_SeedExample_FreeHonoursTheWindowAndTheGateway()
    {
        var run = await IpamCli.RunAsync(null, "ipam", "show", "--kubeconfig", _cluster.KubeconfigPath);

        Assert.Equal((0, ""), (run.ExitCode, run.Stderr));
        Assert.Equal(
            [
                "NAMESPACE    POOL              RANGE            WINDOW                       ALLOCATED  FREE  USAGE",
                "kube-system  172.16.0.0-30     172.16.0.0/30    172.16.0.1-172.16.0.2 *      1          1     50.0%",
                "kube-system  192.168.20.0-24   192.168.20.0/24  192.168.20.2-192.168.20.100  3          96    3.0%",
                "kube-system  blue-10.1.0.0-24  10.1.0.0/24      10.1.0.1-10.1.0.254          1          237   0.4%",
                "* no NetworkAttachmentDefinition uses this pool: the window is the whole range (network and broadcast addresses left out)",
                "kube-system/blue-10.1.0.0-24: window 10.1.0.0/24 (usable 10.1.0.1-10.1.0.254, excluding 10.1.0.0/28, 10.1.0.200) (from NetworkAttachmentDefinition tenant/blue)",
            ],
            IpamCli.Lines(run.Stdout));
    }

    [Fact]
    public async Task Show_Json_HasExactlyTheContractFields()
    {
        var run = await IpamCli.RunAsync(null, "ipam", "show", "--kubeconfig", _cluster.KubeconfigPath, "-o", "json", "--network", "ipvlan-conf-1");

        Assert.Equal(0, run.ExitCode);
        var pools = IpamCli.Json(run)["pools"]!.AsArray();
        var pool = Assert.Single(pools)!;
        Assert.Equal(["name", "namespace", "range", "allocated", "free"], IpamCli.Keys(pool));
        Assert.Equal(("192.168.20.0-24", "kube-system", "192.168.20.0/24", 3, 96),
            ((string?)pool["name"], (string?)pool["namespace"], (string?)pool["range"], (int)pool["allocated"]!, (int)pool["free"]!));
    }

    [Fact]
    public async Task Show_IpsJson_ListsEveryAllocation()
    {
        var run = await IpamCli.RunAsync(null, "ipam", "show", "--kubeconfig", _cluster.KubeconfigPath, "--ips", "--output=json", "--network", "blue");

        var pool = Assert.Single(IpamCli.Json(run)["pools"]!.AsArray())!;
        Assert.Equal(["name", "namespace", "range", "allocated", "free", "allocations"], IpamCli.Keys(pool));
        Assert.Equal(237, (int)pool["free"]!);
        var allocation = Assert.Single(pool["allocations"]!.AsArray())!;
        Assert.Equal(["ip", "podRef", "ifName", "containerId"], IpamCli.Keys(allocation));
        Assert.Equal(("10.1.0.16", "tenant/db-0", "net1", "c4"),
            ((string?)allocation["ip"], (string?)allocation["podRef"], (string?)allocation["ifName"], (string?)allocation["containerId"]));
    }

    [Fact]
    public async Task Show_Ips_ListsAddressPodInterfaceContainer()
    {
        var run = await IpamCli.RunAsync(null, "ipam", "show", "--kubeconfig", _cluster.KubeconfigPath, "--ips", "--network", "default/ipvlan-conf-1");

        Assert.Equal(0, run.ExitCode);
        var lines = IpamCli.Lines(run.Stdout);
        Assert.Equal(
            [
                "IP            POD            INTERFACE  CONTAINER  POOL",
                "192.168.20.2  default/web-1  net1       c1         kube-system/192.168.20.0-24",
                "192.168.20.3  default/web-2  net1       c2         kube-system/192.168.20.0-24",
                "192.168.20.4  default/web-3  net2       c3         kube-system/192.168.20.0-24",
            ],
            lines[^4..]);
    }

    [Fact]
    public async Task Show_Ipv6Range_FreeBeyondTwoToTheFiftyThreeIsAnExactNumber()
    {
        _cluster.Pool("fd00---64", "fd00::/64", new Alloc("1", "c6", "default/web-1"));

        var run = await IpamCli.RunAsync(null, "ipam", "show", "--kubeconfig", _cluster.KubeconfigPath, "-o", "json");

        var pool = IpamCli.Json(run)["pools"]!.AsArray().Single(p => (string?)p!["name"] == "fd00---64")!;
        Assert.Equal("18446744073709551613", pool["free"]!.ToJsonString());
    }

    [Fact]
    public async Task Show_KubeconfigFromTheEnvironmentVariable_IsUsed()
    {
        var environment = new Dictionary<string, string> { ["KUBECONFIG"] = _cluster.KubeconfigPath + ":/nonexistent/second" };

        var run = await IpamCli.RunAsync(environment, "ipam", "show", "-o", "json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(3, IpamCli.Json(run)["pools"]!.AsArray().Count);
    }

    [Fact]
    public async Task Show_KubeconfigInHome_IsUsedWhenNothingElseIsGiven()
    {
        var home = Path.Join(_cluster.Directory, "home");
        Directory.CreateDirectory(Path.Join(home, ".kube"));
        File.Copy(_cluster.KubeconfigPath, Path.Join(home, ".kube", "config"));

        var run = await IpamCli.RunAsync(new Dictionary<string, string> { ["HOME"] = home }, "ipam", "show", "-o", "json", "--namespace", "kube-system");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(3, IpamCli.Json(run)["pools"]!.AsArray().Count);
    }

    [Fact]
    public async Task Show_NoKubeconfigAnywhereOutsideAPod_ExitsNotInCluster()
    {
        var run = await IpamCli.RunAsync(new Dictionary<string, string> { ["HOME"] = _cluster.Directory }, "ipam", "show");

        Assert.Equal(ExitCodes.NotInCluster, run.ExitCode);
        Assert.StartsWith("whereabouts-controller ipam show: ", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_ApiDown_ExitsApiUnavailable()
    {
        using var fault = _cluster.Faults.FailFraction(1, 503, "list", "ippools");

        var run = await IpamCli.RunAsync(null, "ipam", "show", "--kubeconfig", _cluster.KubeconfigPath);

        Assert.Equal(ExitCodes.ApiUnavailable, run.ExitCode);
        Assert.Single(run.StderrLines);
    }

    [Fact]
    public async Task Show_MissingKubeconfigFile_ExitsWithTheIpamFailureCodeNotOne()
    {
        var run = await IpamCli.RunAsync(null, "ipam", "show", "--kubeconfig", Path.Join(_cluster.Directory, "missing"));

        Assert.Equal((ExitCodes.IpamFailure, 7), (run.ExitCode, ExitCodes.IpamFailure));
        Assert.Contains("does not exist", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-o", "yaml")]
    [InlineData("--bogus")]
    public async Task Show_BadFlag_ExitsUsage(params string[] flag)
    {
        var run = await IpamCli.RunAsync(null, ["ipam", "show", "--kubeconfig", _cluster.KubeconfigPath, .. flag]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Single(run.StderrLines);
    }
}
