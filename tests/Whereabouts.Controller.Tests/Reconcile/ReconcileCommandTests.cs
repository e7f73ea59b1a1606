using System.Globalization;
using Whereabouts.Controller.Cli;
using Whereabouts.Controller.Tests.InstallCni;

namespace Whereabouts.Controller.Tests.Reconcile;

/// <summary><c>whereabouts-controller reconcile</c> as the CronJob runs it: output, summary and exit codes.</summary>
public sealed class ReconcileCommandTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        _cluster.Pod("default/alive");
        _cluster.Pool("10.0.0.0-24", "10.0.0.0/24", new Alloc("1", "c-gone", "default/gone"), new Alloc("2", "c-alive", "default/alive"));
        _cluster.Reservation("10.0.0.1", "default/gone");
    }

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Reconcile_Completes_PrintsReleasesThenTheSummaryAndExitsZero()
    {
        var run = await RunAsync("reconcile", "--kubeconfig", _cluster.KubeconfigPath);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(
            [
                "released allocation pool=kube-system/10.0.0.0-24 address=10.0.0.1 podref=default/gone ifname=net1 container=c-gone reason=pod-gone",
                "released reservation name=kube-system/10.0.0.1 podref=default/gone",
                "reconcile: pools=1 allocations=2 released=1 kept=1 (running=1) vanished=0 reservations-released=1 reservations-kept=0 errors=0",
            ],
            Lines(run.Stdout));
        Assert.Equal(["2"], _cluster.Allocations("10.0.0.0-24").Keys);
    }

    [Fact]
    public async Task Reconcile_DryRun_PrintsWhatWouldGoAndWritesNothing()
    {
        var before = _cluster.Writes;

        var run = await RunAsync("reconcile", "--kubeconfig", _cluster.KubeconfigPath, "--dry-run");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(before, _cluster.Writes);
        Assert.Equal(
            [
                "would release allocation pool=kube-system/10.0.0.0-24 address=10.0.0.1 podref=default/gone ifname=net1 container=c-gone reason=pod-gone",
                "would release reservation name=kube-system/10.0.0.1 podref=default/gone",
                "reconcile (dry run): pools=1 allocations=2 would-release=1 kept=1 (running=1) vanished=0 reservations-would-release=1 reservations-kept=0 errors=0",
            ],
            Lines(run.Stdout));
    }

    [Fact]
    public async Task Reconcile_WritesFail_ErrorsInTheSummaryButExitsZero()
    {
        using var fault = _cluster.Faults.FailFraction(1, 503, "patch");
        _cluster.Faults.RetryAfterSeconds = 0;

        var run = await RunAsync("reconcile", "--kubeconfig", _cluster.KubeconfigPath);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.EndsWith("errors=1", Lines(run.Stdout)[^1], StringComparison.Ordinal);
        Assert.Equal(2, _cluster.Allocations("10.0.0.0-24").Count);
    }

    [Fact]
    public async Task Reconcile_ListFails_ExitsApiUnavailableWithOneLine()
    {
        using var fault = _cluster.Faults.FailFraction(1, 503, "list", "pods");

        var run = await RunAsync("reconcile", "--kubeconfig", _cluster.KubeconfigPath);

        Assert.Equal((ExitCodes.ApiUnavailable, 4), (run.ExitCode, ExitCodes.ApiUnavailable));
        Assert.StartsWith("whereabouts-controller reconcile: API server 127.0.0.1:", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Theory]
    [InlineData("no-such-token")]
    [InlineData(TestCluster.RestrictedToken)]
    public async Task Reconcile_CredentialsRefusedOrForbidden_ExitsAccessDenied(string token)
    {
        var kubeconfig = _cluster.WriteKubeconfig(token + ".kubeconfig", token);

        var run = await RunAsync("reconcile", "--kubeconfig", kubeconfig);

        Assert.Equal((ExitCodes.AccessDenied, 5), (run.ExitCode, ExitCodes.AccessDenied));
        Assert.Contains(token == TestCluster.RestrictedToken ? "403 Forbidden" : "401 Unauthorized", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Equal(2, _cluster.Allocations("10.0.0.0-24").Count);
    }

    [Fact]
    public async Task Reconcile_NoKubeconfigOutsideAPod_ExitsNotInCluster()
    {
        var run = await RunAsync("reconcile");

        Assert.Equal(ExitCodes.NotInCluster, run.ExitCode);
        Assert.Contains("KUBERNETES_SERVICE_HOST", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_KubeconfigMissing_ExitsOne()
    {
        var run = await RunAsync("reconcile", "--kubeconfig", Path.Join(_cluster.Directory, "missing"));

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("does not exist", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var environment = new CliEnvironment(_ => null, output, error, TimeProvider.System);
        var code = await CommandLine.RunAsync(args, environment, TestContext.Current.CancellationToken);
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
