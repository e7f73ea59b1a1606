using System.Diagnostics;

namespace Whereabouts.Controller.Tests.InstallCni;

/// <summary>The built <c>whereabouts-controller</c> executable (the JIT apphost next to these tests), as a pod runs it.</summary>
public sealed class ExecutableTests : IDisposable
{
    private static readonly string Executable = Path.Join(AppContext.BaseDirectory, "whereabouts-controller");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public async Task Executable_InstallCni_WritesTheFilesAndExitsZero()
    {
        var run = await RunAsync(_node.Args("--log-level=verbose"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("whereabouts.kubeconfig: written", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(FakeNode.FirstToken, KubeconfigAssert.Load(_node.Kubeconfig).Token);
        Assert.True(File.Exists(_node.InstalledPlugin));
        Assert.Contains($"{_node.InstalledPlugin} runs on this node: VERSION answered, CNI versions 0.4.0, 1.0.0", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Executable_WatchThenSigterm_FollowsRotationAndExitsZero()
    {
        using var process = Start(_node.Args("--watch"));
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            Assert.True(await _node.KubeconfigContainsAsync(FakeNode.FirstToken, Patience));
            _node.Project("rotated-by-the-kubelet", FakeNode.FirstCa);
            Assert.True(await _node.KubeconfigContainsAsync("rotated-by-the-kubelet", TimeSpan.FromSeconds(5)));

            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

            Assert.Equal(0, process.ExitCode);
            Assert.Equal("", await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task Executable_NotInCluster_ExitsThreeWithOneLine()
    {
        File.Delete(Path.Join(_node.ServiceAccountDir, "token"));

        var run = await RunAsync(_node.Args());

        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith("whereabouts-controller install-cni: no service-account token at ", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Empty(_node.HostFiles());
    }

    [Theory]
    [InlineData(new[] { "install-cni", "--bogus" }, "Unrecognized command or argument '--bogus'")]
    [InlineData(new[] { "install-cni", "--log-level", "loud" }, "--log-level: 'loud' is not one of debug, verbose, error, panic")]
    [InlineData(new[] { "install-cni", "--cni-bin-dir" }, "Required argument missing for option: '--cni-bin-dir'")]
    [InlineData(new string[0], "Required command was not provided")]
    public async Task Executable_BadCommandLine_ExitsTwoWithOneLine(string[] args, string message)
    {
        var run = await RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task Executable_Help_ListsInstallCniAndExitsZero()
    {
        var run = await RunAsync(["install-cni", "--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--cni-bin-dir", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("--watch", run.Stdout, StringComparison.Ordinal);
        Assert.Equal("", run.Stderr);
    }

    private async Task<CliRun> RunAsync(string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Patience, TestContext.Current.CancellationToken);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        return new CliRun(process.ExitCode, await stdout, await stderr);
    }

    private Process Start(string[] args)
    {
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Only what the pod gets: no namespace, node or API server variables from the machine running the tests.
        foreach (var name in new[] { "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "KUBERNETES_SERVICE_PROTOCOL", "NODENAME", "WHEREABOUTS_NAMESPACE" })
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in _node.Environment)
        {
            info.Environment[name] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"cannot start {Executable}");
    }
}
