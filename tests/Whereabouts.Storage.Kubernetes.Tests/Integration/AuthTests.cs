using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Tests.Support;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Storage.Kubernetes.Tests.Integration;

public sealed class AuthTests
{
    private const string LimitedToken = "limited-token";
    private static readonly PoolKey Key = PoolKey.For(Cidr.Parse("10.0.0.0/24"), null);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WrongToken_401Twice_IsAccessDeniedNamingTheKubeconfig()
    {
        await using var cluster = await Cluster.StartAsync();
        var kubeconfig = cluster.WriteKubeconfig("wrong.kubeconfig", token: "not-a-token");

        var ex = await Assert.ThrowsAsync<StoreAccessDeniedException>(
            () => cluster.OpenStore(kubeconfigPath: kubeconfig).Pools.GetAsync(Key, Ct));

        Assert.Contains(kubeconfig, ex.Message, StringComparison.Ordinal);
        Assert.Contains("401 Unauthorized", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, cluster.Counters.Get("get", "ippools", 401));
    }

    [Fact]
    public async Task TokenRotatedOnDiskAfterOpen_RetryWithTheNewTokenSucceeds()
    {
        await using var cluster = await Cluster.StartAsync();
        var kubeconfig = cluster.WriteKubeconfig("rotating.kubeconfig", token: "expired-token");
        var store = cluster.OpenStore(kubeconfigPath: kubeconfig);
        cluster.WriteKubeconfig("rotating.kubeconfig");

        var snapshot = await store.Pools.GetOrCreateAsync(Key, Ct);

        Assert.NotNull(snapshot);
        Assert.Equal(1, cluster.Counters.Get("get", "ippools", 401));
        Assert.Equal(0, cluster.Counters.Get("create", "ippools", 401));
    }

    [Fact]
    public async Task Forbidden_NamesVerbResourceGroupNamespaceAndKubeconfig()
    {
        await using var cluster = await Cluster.StartAsync(LimitedServer());
        var kubeconfig = cluster.WriteKubeconfig("limited.kubeconfig", token: LimitedToken);
        var store = cluster.OpenStore(kubeconfigPath: kubeconfig);
        var snapshot = await store.Pools.GetOrCreateAsync(Key, Ct);

        var ex = await Assert.ThrowsAsync<StoreAccessDeniedException>(
            () => store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(1, new PoolAllocation("c", "ns/p", "net1")), Ct));

        Assert.Contains(kubeconfig, ex.Message, StringComparison.Ordinal);
        Assert.Contains("may not patch ippools.whereabouts.cni.cncf.io in namespace kube-system", ex.Message, StringComparison.Ordinal);
        Assert.Contains("system:serviceaccount:kube-system:whereabouts", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, cluster.Counters.Get("patch", "ippools", 403));
    }

    [Fact]
    public async Task Forbidden_DuringAllocation_FailsAtOnceWithoutSpendingTheDeadline()
    {
        await using var cluster = await Cluster.StartAsync(LimitedServer());
        var store = cluster.OpenStore(kubeconfigPath: cluster.WriteKubeconfig("limited.kubeconfig", token: LimitedToken));
        var service = Services.Ipam(store, addTimeout: TimeSpan.FromSeconds(30));
        var started = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAsync<StoreAccessDeniedException>(
            () => service.AllocateAsync(Services.Request(Services.Config("10.0.0.0/24"), "c1", "ns/p1"), Ct));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task ServerCertificateNotSignedByTheKubeconfigCa_IsAccessDeniedNamingTheKubeconfig()
    {
        await using var cluster = await Cluster.StartAsync();
        await using var stranger = await Cluster.StartAsync();
        var text = await File.ReadAllTextAsync(cluster.KubeconfigPath, Ct);
        var foreignCa = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(stranger.Server.CaCertificatePem!));
        var ownCa = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(cluster.Server.CaCertificatePem!));
        var kubeconfig = Path.Combine(cluster.Directory, "foreign-ca.kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, text.Replace(ownCa, foreignCa, StringComparison.Ordinal), Ct);

        var ex = await Assert.ThrowsAsync<StoreAccessDeniedException>(
            () => cluster.OpenStore(kubeconfigPath: kubeconfig).CheckReachableAsync(Ct));

        Assert.Contains(kubeconfig, ex.Message, StringComparison.Ordinal);
        Assert.Contains("TLS handshake", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, cluster.Counters.Total);
    }

    private static KubeApiServerOptions LimitedServer() => new()
    {
        Users = new Dictionary<string, KubeApiUser>
        {
            [LimitedToken] = new("system:serviceaccount:kube-system:whereabouts", [KubeApiAccessRule.For("whereabouts.cni.cncf.io", "ippools", "get", "list", "create")]),
        },
    };
}
