using System.Text;
using Whereabouts.Controller.Tests.NodeController;

namespace Whereabouts.Controller.Tests.InstallCni;

/// <summary><c>install-cni --watch</c> in this process, polling every 100 ms, stopped by cancelling as SIGTERM does.</summary>
public sealed class InstallCniWatchTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly FakeNode _node = new();
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

    public void Dispose()
    {
        _stop.Dispose();
        _node.Dispose();
    }

    [Fact]
    public async Task Watch_TokenFileRewrittenInPlace_KubeconfigFollows()
    {
        var watch = StartWatch();
        Assert.True(await _node.KubeconfigContainsAsync(FakeNode.FirstToken, Patience));

        _node.OverwriteToken("second-token");

        Assert.True(await _node.KubeconfigContainsAsync("token: \"second-token\"", Patience));
        Assert.Equal(0, (await StopAsync(watch)).ExitCode);
    }

    [Fact]
    public async Task Watch_KubeletSwapsDataLink_KubeconfigFollowsTokenAndCa()
    {
        var watch = StartWatch();
        Assert.True(await _node.KubeconfigContainsAsync(FakeNode.FirstToken, Patience));

        _node.Project("rotated-token", FakeNode.FirstCa);
        Assert.True(await _node.KubeconfigContainsAsync("token: \"rotated-token\"", Patience));

        const string newCa = "-----BEGIN CERTIFICATE-----\nMIIBsecond\n-----END CERTIFICATE-----\n";
        _node.Project("rotated-token", newCa);
        Assert.True(await _node.KubeconfigContainsAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(newCa)), Patience));

        var parsed = KubeconfigAssert.Load(_node.Kubeconfig);
        Assert.Equal("rotated-token", parsed.Token);
        Assert.Equal(newCa, parsed.CaText);
        Assert.Equal(AtomicMode, File.GetUnixFileMode(_node.Kubeconfig));
        Assert.Equal(0, (await StopAsync(watch)).ExitCode);
    }

    [Fact]
    public async Task Watch_TokenGoneForAWhile_KeepsLastKubeconfigAndRecovers()
    {
        var watch = StartWatch();
        Assert.True(await _node.KubeconfigContainsAsync(FakeNode.FirstToken, Patience));
        var before = File.ReadAllText(_node.Kubeconfig);

        File.Delete(Path.Join(_node.ServiceAccountDir, "..data", "token"));
        await Eventually.TrueAsync(() => _node.Logged(RefreshFailed) >= 1, "no tick found the token gone", Patience);
        Assert.Equal(before, File.ReadAllText(_node.Kubeconfig));

        _node.OverwriteToken("token-after-the-gap");
        Assert.True(await _node.KubeconfigContainsAsync("token-after-the-gap", Patience));
        Assert.Equal(0, (await StopAsync(watch)).ExitCode);
    }

    [Fact]
    public async Task Watch_NothingRotates_NeverRewritesTheKubeconfig()
    {
        var watch = StartWatch();
        Assert.True(await _node.KubeconfigContainsAsync(FakeNode.FirstToken, Patience));
        var past = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(_node.Kubeconfig, past);

        await TwoMoreTicksAsync();

        Assert.Equal(past, File.GetLastWriteTimeUtc(_node.Kubeconfig));
        Assert.Equal(0, (await StopAsync(watch)).ExitCode);
    }

    [Fact]
    public async Task Watch_SkipTlsVerify_IgnoresCaChanges()
    {
        var watch = StartWatch("--skip-tls-verify");
        Assert.True(await _node.KubeconfigContainsAsync(FakeNode.FirstToken, Patience));
        var before = File.ReadAllText(_node.Kubeconfig);

        _node.Project(FakeNode.FirstToken, "another CA");
        await TwoMoreTicksAsync();

        Assert.Equal(before, File.ReadAllText(_node.Kubeconfig));
        Assert.Equal(0, (await StopAsync(watch)).ExitCode);
    }

    /// <summary>
    /// Waits for two more ticks that found the kubeconfig up to date: the second began after the first ended, so after
    /// whatever the test changed before calling this.
    /// </summary>
    private async Task TwoMoreTicksAsync()
    {
        var seen = _node.Logged(UpToDate);
        await Eventually.TrueAsync(() => _node.Logged(UpToDate) >= seen + 2, "the refresher stopped ticking", Patience);
    }

    private const int UpToDate = Whereabouts.Controller.InstallCni.KubeconfigRefresher.UpToDateEventId;
    private const int RefreshFailed = Whereabouts.Controller.InstallCni.KubeconfigRefresher.RefreshFailedEventId;

    private const UnixFileMode AtomicMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private Task<CliRun> StartWatch(params string[] extra) =>
        Task.Run(() => _node.RunAsync(_node.Args(["--watch", .. extra]), Interval, _stop.Token), TestContext.Current.CancellationToken);

    private async Task<CliRun> StopAsync(Task<CliRun> watch)
    {
        await _stop.CancelAsync();
        return await watch.WaitAsync(Patience, TestContext.Current.CancellationToken);
    }
}
