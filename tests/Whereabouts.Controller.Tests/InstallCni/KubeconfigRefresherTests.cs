using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Controller.InstallCni;

namespace Whereabouts.Controller.Tests.InstallCni;

/// <summary>The refresher as <c>run --cni-conf-dir</c> uses it: built from the conf dir, next to what install-cni wrote.</summary>
public sealed class KubeconfigRefresherTests : IDisposable
{
    private readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ForCniConfDir_NoTlsChoice_KeepsWhatInstallCniWrote(bool installedWithSkipTlsVerify)
    {
        await _node.RunAsync(installedWithSkipTlsVerify ? _node.Args("--skip-tls-verify") : _node.Args());
        var refresher = Create(skipTlsVerify: null);

        Assert.False(refresher.Refresh());
        Assert.Equal(installedWithSkipTlsVerify, KubeconfigAssert.Load(_node.Kubeconfig).SkipTlsVerify);
    }

    [Fact]
    public void ForCniConfDir_NoFileYet_WritesOneThatVerifiesTls()
    {
        var refresher = Create(skipTlsVerify: null);

        Assert.True(refresher.Refresh());
        Assert.Equal(_node.Kubeconfig, refresher.KubeconfigPath);
        Assert.Equal(FakeNode.FirstCa, KubeconfigAssert.Load(_node.Kubeconfig).CaText);
    }

    [Fact]
    public async Task RunAsync_Cancelled_ReturnsWithoutThrowing()
    {
        var refresher = Create(skipTlsVerify: false);
        using var stop = new CancellationTokenSource();
        var running = refresher.RunAsync(TimeSpan.FromMilliseconds(50), stop.Token);
        _node.OverwriteToken("rotated");
        Assert.True(await _node.KubeconfigContainsAsync("rotated", TimeSpan.FromSeconds(5)));

        await stop.CancelAsync();

        await running.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.True(running.IsCompletedSuccessfully);
    }

    [Fact]
    public void ForCniConfDir_NotInCluster_Throws()
    {
        _node.Environment.Remove("KUBERNETES_SERVICE_HOST");

        Assert.Throws<NotInClusterException>(() => Create(skipTlsVerify: false));
    }

    private KubeconfigRefresher Create(bool? skipTlsVerify) => KubeconfigRefresher.ForCniConfDir(
        _node.ConfDir,
        _node.ServiceAccountDir,
        "kube-system",
        skipTlsVerify,
        name => _node.Environment.GetValueOrDefault(name),
        TimeProvider.System,
        NullLogger.Instance);
}
