using Whereabouts.Controller.Cli;
using Whereabouts.Controller.InstallCni;
using Whereabouts.Core.Config;

namespace Whereabouts.Controller.Tests.Cli;

/// <summary>The flags the Helm chart passes (deploy/helm/whereabouts/templates), after the kubelet expands $(VAR).</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Run_DaemonSetArguments_BindToRunOptions()
    {
        var harness = new VerbHarness();

        var run = await harness.InvokeAsync(
            "run", "--node=worker-1", "--namespace=kube-system", "--metrics-port=9464", "--cni-conf-dir=/host/etc/cni/net.d", "--log-level=verbose");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            new RunOptions("worker-1", "kube-system", null, 9464, "127.0.0.1", null, "/host/etc/cni/net.d", "/etc/cni/net.d",
                "/var/run/secrets/kubernetes.io/serviceaccount", LogLevelSetting.Verbose),
            harness.Run);
    }

    [Fact]
    public async Task Run_ScheduleAndEveryFlag_BindToRunOptions()
    {
        var harness = new VerbHarness();

        await harness.InvokeAsync(
            "run", "--node", "worker-2", "--namespace", "whereabouts", "--kubeconfig", "/etc/kube.conf", "--metrics-port", "9500",
            "--metrics-bind-address", "fd00::5", "--reconcile-schedule=*/10 * * * *", "--cni-conf-dir", "/c", "--host-cni-conf-dir", "/h", "--service-account-dir", "/sa",
            "--log-level", "DEBUG");

        Assert.Equal(
            new RunOptions("worker-2", "whereabouts", "/etc/kube.conf", 9500, "fd00::5", "*/10 * * * *", "/c", "/h", "/sa", LogLevelSetting.Debug),
            harness.Run);
    }

    /// <summary>How the benchmarks and end-to-end tests start one agent per simulated node.</summary>
    [Fact]
    public async Task Run_AgentArguments_BindToRunOptions()
    {
        var harness = new VerbHarness();

        var run = await harness.InvokeAsync(
            "run", "--node", "node-3", "--kubeconfig", "/k", "--agent-socket", "/run/whereabouts/agent.sock", "--metrics-port", "0");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            new RunOptions("node-3", null, "/k", 0, "127.0.0.1", null, null, "/etc/cni/net.d", "/var/run/secrets/kubernetes.io/serviceaccount",
                LogLevelSetting.Error, "/run/whereabouts/agent.sock"),
            harness.Run);
    }

    [Fact]
    public async Task InstallCni_AgentSocket_Bound()
    {
        var harness = new VerbHarness().With("NODENAME", "worker-1");

        await harness.InvokeAsync("install-cni", "--agent-socket=/run/whereabouts/agent.sock");

        Assert.Equal("/run/whereabouts/agent.sock", harness.InstallCni!.AgentSocket);
    }

    [Fact]
    public async Task Run_NoNodeFlag_TakesNodenameAndNamespaceFromEnvironment()
    {
        var harness = new VerbHarness().With("NODENAME", "worker-3").With("WHEREABOUTS_NAMESPACE", "from-env");

        await harness.InvokeAsync("run");

        Assert.Equal("worker-3", harness.Run!.Node);
        Assert.Equal("from-env", harness.Run.Namespace);
        Assert.Equal(9464, harness.Run.MetricsPort);
        Assert.Equal("127.0.0.1", harness.Run.MetricsBindAddress);
        Assert.Equal(LogLevelSetting.Error, harness.Run.LogLevel);
        Assert.Null(harness.Run.CniConfDir);
    }

    [Fact]
    public async Task Run_NodeIpSet_MetricsListenOnItUnlessTheFlagSaysOtherwise()
    {
        var harness = new VerbHarness().With("NODENAME", "worker-3").With("NODE_IP", "10.0.0.7");

        await harness.InvokeAsync("run");
        Assert.Equal("10.0.0.7", harness.Run!.MetricsBindAddress);

        await harness.InvokeAsync("run", "--metrics-bind-address", "0.0.0.0", "--metrics-port", "0");
        Assert.Equal(("0.0.0.0", 0), (harness.Run!.MetricsBindAddress, harness.Run.MetricsPort));
    }

    [Fact]
    public async Task Run_NoNodeAnywhere_ExitsTwoWithOneLine()
    {
        var harness = new VerbHarness();

        var run = await harness.InvokeAsync("run");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--node is required", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Null(harness.Run);
    }

    [Theory]
    [InlineData("--metrics-bind-address=node-1", "--metrics-bind-address: 'node-1' is not an IP address")]
    [InlineData("--metrics-port=65536", "--metrics-port: '65536' is not a port (1-65535, or 0 for none)")]
    [InlineData("--metrics-port=70000", "--metrics-port: '70000' is not a port (1-65535, or 0 for none)")]
    [InlineData("--metrics-port=http", "--metrics-port: 'http' is not a port")]
    [InlineData("--metrics-port=-1", "--metrics-port: '-1' is not a port")]
    [InlineData("--reconcile-schedule=every day", "--reconcile-schedule: 'every day' is not a 5-field cron expression")]
    [InlineData("--reconcile-schedule=0 */5 * * * *", "is not a 5-field cron expression")]
    [InlineData("--namespace=Kube_System", "--namespace: 'Kube_System' is not a namespace name")]
    [InlineData("--namespace=$(WHEREABOUTS_NAMESPACE)", "is not a namespace name")]
    [InlineData("--log-level=trace", "--log-level: 'trace' is not one of debug, verbose, error, panic")]
    [InlineData("--host-cni-conf-dir=etc/cni/net.d", "--host-cni-conf-dir: 'etc/cni/net.d' is not an absolute path")]
    [InlineData("--agent-socket=agent.sock", "--agent-socket: 'agent.sock' is not an absolute path")]
    public async Task Run_BadValue_ExitsTwoWithOneLine(string flag, string message)
    {
        var harness = new VerbHarness();

        var run = await harness.InvokeAsync("run", "--node=worker-1", flag);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Null(harness.Run);
    }

    [Fact]
    public async Task Reconcile_CronJobArguments_BindToReconcileOptions()
    {
        var harness = new VerbHarness();

        var run = await harness.InvokeAsync("reconcile", "--namespace=kube-system", "--log-level=verbose");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(new ReconcileOptions(null, "kube-system", false, LogLevelSetting.Verbose), harness.Reconcile);
    }

    [Fact]
    public async Task Reconcile_DryRunAndKubeconfig_BindToReconcileOptions()
    {
        var harness = new VerbHarness();

        await harness.InvokeAsync("reconcile", "--dry-run", "--kubeconfig", "/root/.kube/config");

        Assert.Equal(new ReconcileOptions("/root/.kube/config", null, true, LogLevelSetting.Error), harness.Reconcile);
    }

    [Theory]
    [InlineData("debug", LogLevelSetting.Debug)]
    [InlineData("Verbose", LogLevelSetting.Verbose)]
    [InlineData("ERROR", LogLevelSetting.Error)]
    [InlineData("panic", LogLevelSetting.Panic)]
    public async Task Reconcile_LogLevel_IsCaseInsensitive(string text, LogLevelSetting expected)
    {
        var harness = new VerbHarness();

        await harness.InvokeAsync("reconcile", "--log-level", text);

        Assert.Equal(expected, harness.Reconcile!.LogLevel);
    }

    [Fact]
    public async Task InstallCni_DaemonSetArguments_BindWithImageDefaults()
    {
        var harness = new VerbHarness().With("NODENAME", "worker-1").With("WHEREABOUTS_NAMESPACE", "kube-system");

        var run = await harness.InvokeAsync("install-cni", "--cni-bin-dir=/host/opt/cni/bin", "--cni-conf-dir=/host/etc/cni/net.d", "--log-level=verbose");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            new InstallCniOptions("/host/opt/cni/bin", "/host/etc/cni/net.d", "/etc/cni/net.d", "/usr/local/bin/whereabouts",
                "/var/run/secrets/kubernetes.io/serviceaccount", "kube-system", "worker-1", SkipTlsVerify: false, Watch: false),
            harness.InstallCni);
    }

    [Fact]
    public async Task Root_Help_ListsTheCommandsAndExitsZero()
    {
        var run = await new VerbHarness().InvokeAsync("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("install-cni", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("reconcile", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("run", run.Stdout, StringComparison.Ordinal);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task Run_CommandThrows_OneLineAndMappedExitCode()
    {
        using var error = new StringWriter();
        var environment = new CliEnvironment(_ => null, TextWriter.Null, error, TimeProvider.System);
        var root = new System.CommandLine.RootCommand
        {
            new RunVerb(environment, (_, _) => throw new NotInClusterException("no token here")),
        };

        var code = await CommandLine.InvokeAsync(root, ["run", "--node=n"], environment, TestContext.Current.CancellationToken);

        Assert.Equal(3, code);
        Assert.Equal("whereabouts-controller run: no token here" + Environment.NewLine, error.ToString());
    }

    [Fact]
    public async Task Run_CommandHitsABug_OneLineThenTheStackTrace()
    {
        using var error = new StringWriter();
        var environment = new CliEnvironment(_ => null, TextWriter.Null, error, TimeProvider.System);
        var root = new System.CommandLine.RootCommand
        {
            new RunVerb(environment, (_, _) => Task.FromException<int>(Thrown())),
        };

        var code = await CommandLine.InvokeAsync(root, ["run", "--node=n"], environment, TestContext.Current.CancellationToken);

        var lines = error.ToString().Split(Environment.NewLine);
        Assert.Equal(1, code);
        Assert.Equal("whereabouts-controller run: InvalidOperationException: a bug", lines[0]);
        Assert.Equal("System.InvalidOperationException: a bug", lines[1]);
        Assert.Contains(lines, static l => l.Contains(nameof(Thrown), StringComparison.Ordinal));
    }

    private static InvalidOperationException Thrown()
    {
        try
        {
            throw new InvalidOperationException("a bug");
        }
        catch (InvalidOperationException ex)
        {
            return ex;
        }
    }
}
