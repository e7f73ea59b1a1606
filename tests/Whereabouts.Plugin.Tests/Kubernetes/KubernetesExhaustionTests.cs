using Whereabouts.Plugin.Tests.Support;

namespace Whereabouts.Plugin.Tests.Kubernetes;

/// <summary>
/// As many usable addresses as pods, and a few pods more, all at once (Spiderpool's "IPs == pods" case, where upstream
/// whereabouts failed): exactly as many succeed as there are addresses, the rest are told the range is full, and no
/// pool entry or reservation is left behind by the losers.
/// </summary>
public abstract class KubernetesExhaustionTests(ClusterMode mode)
{
    private const int Addresses = 20;
    private const int Extra = 6;

    [Fact]
    public async Task MorePodsThanAddresses_ExactlyAsManySucceed_OthersFail999NamingTheRange_NothingLeaks()
    {
        await using var cluster = await KubeCluster.StartAsync(mode);
        cluster.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(5));
        var config = cluster.Direct(edit: KubeCluster.WithRange("10.50.0.0/24", "10.50.0.10", "10.50.0.29"));

        var adds = await PerNode.RunAsync(Addresses + Extra, 5, 10, (i, node) => KubeCluster.PodAsync("ADD", $"c{i}", $"pod-{i}", config, node));

        var won = adds.Select((r, i) => (Result: r, Pod: i)).Where(static p => p.Result.ExitCode == 0).ToList();
        var lost = adds.Select((r, i) => (Result: r, Pod: i)).Where(static p => p.Result.ExitCode != 0).ToList();
        Assert.Equal(Addresses, won.Count);
        Assert.All(lost, l =>
        {
            Assert.Equal(999, CniCall.ErrorCode(l.Result.Stdout));
            Assert.Contains("10.50.0.0/24 (usable 10.50.0.10-10.50.0.29", KubeCluster.ErrorText(l.Result.Stdout), StringComparison.Ordinal);
        });
        Assert.Equal(
            Enumerable.Range(10, Addresses).Select(static n => $"10.50.0.{n}/24").Order(StringComparer.Ordinal),
            won.Select(static w => CniCall.Addresses(w.Result.Stdout).Single()).Order(StringComparer.Ordinal));
        Assert.Equal(Addresses, cluster.Allocations().Count);
        Assert.Equal(Addresses, cluster.Reservations().Count);
        cluster.AssertConsistent();
        cluster.ReportCounters($"{Addresses + Extra} ADDs for {Addresses} addresses");

        // The runtime's DEL for each failed ADD finds nothing to release.
        foreach (var (_, pod) in lost)
        {
            var del = await KubeCluster.PodAsync("DEL", $"c{pod}", $"pod-{pod}", config);
            Assert.True(del.ExitCode == 0, del.ToString());
        }

        Assert.Equal(Addresses, cluster.Allocations().Count);

        // A freed address goes to the next pod that asks.
        var freed = CniCall.Addresses(won[0].Result.Stdout).Single();
        await KubeCluster.PodAsync("DEL", $"c{won[0].Pod}", $"pod-{won[0].Pod}", config);
        var retry = await KubeCluster.PodAsync("ADD", $"c{lost[0].Pod}", $"pod-{lost[0].Pod}", config);
        Assert.Equal([freed], CniCall.Addresses(retry.Stdout));
        cluster.AssertConsistent();
    }
}

/// <summary><see cref="KubernetesExhaustionTests"/>, the plugin serving each call itself.</summary>
public sealed class KubernetesExhaustionDirectTests() : KubernetesExhaustionTests(ClusterMode.Direct);

/// <summary><see cref="KubernetesExhaustionTests"/>, the plugin asking a node agent.</summary>
public sealed class KubernetesExhaustionAgentTests() : KubernetesExhaustionTests(ClusterMode.Agent);
