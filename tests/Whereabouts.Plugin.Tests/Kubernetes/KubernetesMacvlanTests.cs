using System.Text.Json.Nodes;
using Whereabouts.Plugin.Tests.Support;

namespace Whereabouts.Plugin.Tests.Kubernetes;

/// <summary>
/// The standard macvlan plugin delegating to the published whereabouts binary, which keeps its pools in the API test
/// server, in network namespaces this test creates over a veth master.
/// </summary>
public abstract class KubernetesMacvlanTests(ClusterMode mode)
{
    [Fact]
    public async Task MacvlanPods_GetAddressesFromApiServerPools_CanPing_AndDelReleases()
    {
        Root.Require();
        Root.RequireReferencePlugins();
        await using var cluster = await KubeCluster.StartAsync(mode);
        await using var netns = await Netns.CreateAsync(3);
        var config = cluster.Macvlan(netns.Master);
        var macvlan = Path.Combine(Repo.ReferencePlugins, "macvlan");
        var path = $"{Repo.BinDirectory}:{Repo.ReferencePlugins}";
        CniCall Call(string command, int i) =>
            new(command, $"pod{i}", "net1", Netns.PathOf(netns.Namespaces[i])) { Args = CniCall.PodArgs($"pod{i}"), Path = path };

        var addresses = new List<string>();
        for (var i = 0; i < netns.Namespaces.Count; i++)
        {
            // NODENAME reaches whereabouts through macvlan, which passes its environment on to the IPAM plugin.
            var add = await KubeCluster.RunAsync(Call("ADD", i), config, $"node-{i}", macvlan);
            Assert.True(add.ExitCode == 0, add.ToString());
            var result = JsonNode.Parse(add.Stdout)!;
            Assert.Equal(netns.Namespaces[i], Path.GetFileName(result["interfaces"]![0]!["sandbox"]!.GetValue<string>()));
            addresses.Add(CniCall.Addresses(add.Stdout).Single());
            Assert.Contains($"inet {addresses[^1]}", await netns.ExecAsync(netns.Namespaces[i], "ip", "-4", "addr", "show", "net1"), StringComparison.Ordinal);
        }

        Assert.Equal(["192.168.20.2/24", "192.168.20.3/24", "192.168.20.4/24"], addresses);
        Assert.Equal(["default/pod0", "default/pod1", "default/pod2"], cluster.Allocations().Select(static a => a.PodRef).Order());
        cluster.AssertConsistent();
        await netns.ExecAsync(netns.Namespaces[0], "ping", "-c", "1", "-W", "2", "192.168.20.4");
        await netns.ExecAsync(netns.Namespaces[2], "ping", "-c", "1", "-W", "2", "192.168.20.3");

        for (var i = 0; i < netns.Namespaces.Count; i++)
        {
            var del = await KubeCluster.RunAsync(Call("DEL", i), config, $"node-{i}", macvlan);
            Assert.True(del.ExitCode == 0, del.ToString());
        }

        Assert.Empty(cluster.Allocations());
        Assert.Empty(cluster.Reservations());
        var link = await Run.ProcessAsync("ip", ["netns", "exec", netns.Namespaces[0], "ip", "link", "show", "net1"],
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.NotEqual(0, link.ExitCode);
    }
}

/// <summary><see cref="KubernetesMacvlanTests"/>, the plugin serving each call itself.</summary>
public sealed class KubernetesMacvlanDirectTests() : KubernetesMacvlanTests(ClusterMode.Direct);

/// <summary><see cref="KubernetesMacvlanTests"/>, the plugin asking a node agent.</summary>
public sealed class KubernetesMacvlanAgentTests() : KubernetesMacvlanTests(ClusterMode.Agent);
