using System.Diagnostics;
using Whereabouts.Plugin.Tests.Support;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Plugin.Tests.Kubernetes;

/// <summary>
/// Credentials the API server refuses fail the ADD at once, well inside the 90 s deadline, with a message that names
/// the kubeconfig and, for a denied permission, the verb and resource to grant; nothing is left behind.
/// </summary>
public abstract class KubernetesAuthTests(ClusterMode mode)
{
    private const string LimitedToken = "no-patch-token";
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Add_WrongToken_FailsAtOnceNamingTheKubeconfig()
    {
        await using var cluster = await KubeCluster.StartAsync(mode);
        var kubeconfig = cluster.WriteKubeconfig("stale.kubeconfig", token: "not-the-token");

        await AssertRefusedAtOnceAsync(cluster, kubeconfig, "401 Unauthorized");

        Assert.Empty(cluster.Server.Store.List("ippools", KubeCluster.Namespace));
    }

    [Fact]
    public async Task Add_MayNotPatchPools_FailsAtOnceNamingVerbAndResource_ReservationWithdrawn()
    {
        var whereabouts = new KubeApiUser("system:serviceaccount:kube-system:whereabouts",
        [
            KubeApiAccessRule.For("whereabouts.cni.cncf.io", "ippools", "get", "list", "create"),
            KubeApiAccessRule.For("whereabouts.cni.cncf.io", "overlappingrangeipreservations", "get", "list", "create", "delete"),
        ]);
        await using var cluster = await KubeCluster.StartAsync(mode, new KubeApiServerOptions
        {
            Users = new Dictionary<string, KubeApiUser> { [LimitedToken] = whereabouts },
        });
        var kubeconfig = cluster.WriteKubeconfig("limited.kubeconfig", token: LimitedToken);

        await AssertRefusedAtOnceAsync(cluster, kubeconfig, "403 Forbidden", "verb \"patch\" on resource \"ippools\"");

        Assert.Empty(cluster.Allocations());
        Assert.Equal(1, cluster.Counters.Get("create", "overlappingrangeipreservations", 201));
        Assert.Equal(1, cluster.Counters.Get("delete", "overlappingrangeipreservations", 200));
    }

    /// <summary>
    /// An ADD with <paramref name="kubeconfig"/> fails at once (999), its message naming the kubeconfig and
    /// <paramref name="mentions"/>, and leaves no reservation. In agent mode the agent runs with that kubeconfig (it
    /// uses its own credentials, not the plugin's) and answers the same.
    /// </summary>
    private async Task AssertRefusedAtOnceAsync(KubeCluster cluster, string kubeconfig, params string[] mentions)
    {
        if (mode == ClusterMode.Agent)
        {
            await cluster.StartAgentAsync(kubeconfig);
        }

        var started = Stopwatch.StartNew();

        var add = await KubeCluster.PodAsync("ADD", "c1", "p1", cluster.Direct(kubeconfig: kubeconfig));

        Assert.True(started.Elapsed < AtOnce, $"ADD took {started.Elapsed}");
        Assert.Equal(999, CniCall.ErrorCode(add.Stdout));
        var message = KubeCluster.ErrorText(add.Stdout);
        Assert.Contains(kubeconfig, message, StringComparison.Ordinal);
        Assert.All(mentions, m => Assert.Contains(m, message, StringComparison.Ordinal));
        Assert.Empty(cluster.Reservations());
        Assert.False(cluster.Agent?.HasExited ?? false, "the agent exited: " + cluster.AgentLog);
    }
}

/// <summary><see cref="KubernetesAuthTests"/>, the plugin serving each call itself.</summary>
public sealed class KubernetesAuthDirectTests() : KubernetesAuthTests(ClusterMode.Direct);

/// <summary><see cref="KubernetesAuthTests"/>, the plugin asking a node agent.</summary>
public sealed class KubernetesAuthAgentTests() : KubernetesAuthTests(ClusterMode.Agent);
