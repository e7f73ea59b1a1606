using Whereabouts.Core.Net;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Tests.Support;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Storage.Kubernetes.Tests.Integration;

public sealed class FailureTests
{
    private static readonly PoolKey Key = PoolKey.For(Cidr.Parse("10.0.0.0/24"), null);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAsync_429_IsUnavailableWithTheServersRetryAfter()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Faults.RetryAfterSeconds = 3;
        using var fault = cluster.Faults.FailNext(1, 429, "get", "ippools");

        var ex = await Assert.ThrowsAsync<StoreUnavailableException>(() => cluster.OpenStore().Pools.GetAsync(Key, Ct));

        Assert.Equal(TimeSpan.FromSeconds(3), ex.RetryAfter);
        Assert.Contains("429", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task GetAsync_ServerError_IsUnavailable(int status)
    {
        await using var cluster = await Cluster.StartAsync();
        using var fault = cluster.Faults.FailNext(1, status, "get", "ippools");

        var ex = await Assert.ThrowsAsync<StoreUnavailableException>(() => cluster.OpenStore().Pools.GetAsync(Key, Ct));

        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_ServerHangs_IsUnavailableAfterTheRequestTimeout()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = cluster.OpenStore(requestTimeout: TimeSpan.FromMilliseconds(300));
        cluster.Faults.Pause(OutageMode.Hang);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.Pools.GetOrCreateAsync(Key, Ct));

        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        Assert.Contains("did not answer within 0.3 s", ex.Message, StringComparison.Ordinal);
        cluster.Faults.Resume();
        Assert.NotNull(await store.Pools.GetOrCreateAsync(Key, Ct));
    }

    [Fact]
    public async Task GetAsync_ConnectionsCutOff_IsUnavailable()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Faults.Pause(OutageMode.Refuse);

        var ex = await Assert.ThrowsAsync<StoreUnavailableException>(() => cluster.OpenStore().Pools.GetAsync(Key, Ct));

        Assert.Contains("cannot reach API server", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckReachableAsync_NothingListening_IsUnavailable()
    {
        await using var cluster = await Cluster.StartAsync();
        var text = await File.ReadAllTextAsync(cluster.KubeconfigPath, Ct);
        var closed = Path.Combine(cluster.Directory, "closed.kubeconfig");
        await File.WriteAllTextAsync(closed, text.Replace(cluster.Server.BaseAddress.Authority, "127.0.0.1:1", StringComparison.Ordinal), Ct);

        var ex = await Assert.ThrowsAsync<StoreUnavailableException>(() => cluster.OpenStore(kubeconfigPath: closed).CheckReachableAsync(Ct));

        Assert.Contains("127.0.0.1:1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckReachableAsync_Reachable_ListsAtMostOnePool()
    {
        await using var cluster = await Cluster.StartAsync();

        await cluster.OpenStore().CheckReachableAsync(Ct);

        Assert.Equal(1, cluster.Counters.Get("list", "ippools", 200));
        Assert.Equal(1, cluster.Counters.Total);
    }

    [Fact]
    public async Task CheckReachableAsync_CrdsMissing_IsStoreDataNamingTheResource()
    {
        var empty = Path.Combine(Path.GetTempPath(), "wb-nocrds-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(empty);
        try
        {
            await using var cluster = await Cluster.StartAsync(new KubeApiServerOptions { CrdDirectory = empty });

            var ex = await Assert.ThrowsAsync<StoreDataException>(() => cluster.OpenStore().CheckReachableAsync(Ct));

            Assert.Contains("ippools.whereabouts.cni.cncf.io", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
