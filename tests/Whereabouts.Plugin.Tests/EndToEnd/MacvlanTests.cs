using System.Text.Json.Nodes;
using Whereabouts.Plugin.Tests.Support;

namespace Whereabouts.Plugin.Tests.EndToEnd;

/// <summary>
/// The standard macvlan plugin delegating to the published whereabouts binary, in network namespaces this test creates
/// over a veth master, exactly as a runtime runs it.
/// </summary>
public sealed class MacvlanTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task MacvlanPods_GetDistinctAddresses_CanPing_AndReleaseOnDel()
    {
        Root.Require();
        Root.RequireReferencePlugins();
        var ct = TestContext.Current.CancellationToken;
        await using var netns = await Netns.CreateAsync(3);
        var data = _dir.Sub("state");
        var config = NetConf.Macvlan(netns.Master, data);
        var path = $"{Repo.BinDirectory}:{Repo.ReferencePlugins}";

        var addresses = new List<string>();
        var results = new List<JsonNode>();
        for (var i = 0; i < netns.Namespaces.Count; i++)
        {
            var ns = netns.Namespaces[i];
            var add = await new CniCall("ADD", $"pod{i}", "net1", Netns.PathOf(ns)) { Args = CniCall.PodArgs($"pod{i}"), Path = path }
                .RunAsync(Path.Combine(Repo.ReferencePlugins, "macvlan"), config);
            Assert.True(add.ExitCode == 0, add.ToString());
            var result = JsonNode.Parse(add.Stdout)!;
            results.Add(result);
            Assert.Equal(ns, Path.GetFileName(result["interfaces"]![0]!["sandbox"]!.GetValue<string>()));
            addresses.Add(CniCall.Addresses(add.Stdout).Single());
            Assert.Contains($"inet {addresses[^1]}", await netns.ExecAsync(ns, "ip", "-4", "addr", "show", "net1"), StringComparison.Ordinal);
        }

        Assert.Equal(["192.168.20.2/24", "192.168.20.3/24", "192.168.20.4/24"], addresses);
        await netns.ExecAsync(netns.Namespaces[0], "ping", "-c", "1", "-W", "2", "192.168.20.3");

        // CHECK gets the cached ADD result as prevResult, as libcni sends it.
        var withPrev = JsonNode.Parse(config)!.AsObject();
        withPrev["prevResult"] = results[0].DeepClone();
        var check = await new CniCall("CHECK", "pod0", "net1", Netns.PathOf(netns.Namespaces[0])) { Args = CniCall.PodArgs("pod0"), Path = path }
            .RunAsync(Path.Combine(Repo.ReferencePlugins, "macvlan"), withPrev.ToJsonString());
        Assert.True(check.ExitCode == 0, check.ToString());

        for (var i = 0; i < netns.Namespaces.Count; i++)
        {
            var del = await new CniCall("DEL", $"pod{i}", "net1", Netns.PathOf(netns.Namespaces[i])) { Args = CniCall.PodArgs($"pod{i}"), Path = path }
                .RunAsync(Path.Combine(Repo.ReferencePlugins, "macvlan"), config);
            Assert.True(del.ExitCode == 0, del.ToString());
        }

        Assert.Empty(FileState.Allocations(data));
        Assert.Empty(FileState.Reservations(data));
        var link = await Run.ProcessAsync("ip", ["netns", "exec", netns.Namespaces[0], "ip", "link", "show", "net1"], cancellationToken: ct);
        Assert.NotEqual(0, link.ExitCode);
    }

    [Fact]
    public async Task MacvlanAdd_WhenIpamFails_ReturnsThePluginErrorAndLeavesNoAllocation()
    {
        Root.Require();
        Root.RequireReferencePlugins();
        var ct = TestContext.Current.CancellationToken;
        await using var netns = await Netns.CreateAsync(1);
        var data = _dir.Sub("state");
        var config = NetConf.Macvlan(netns.Master, data, edit: ipam => ipam["range"] = "192.168.20.0/31");
        var cni = new CniCall("ADD", "pod0", "net1", Netns.PathOf(netns.Namespaces[0])) { Args = CniCall.PodArgs("pod0"), Path = $"{Repo.BinDirectory}:{Repo.ReferencePlugins}" };

        var add = await cni.RunAsync(Path.Combine(Repo.ReferencePlugins, "macvlan"), config);

        Assert.Equal(7, CniCall.ErrorCode(add.Stdout));
        Assert.Empty(FileState.Allocations(data));
        await (cni with { Command = "DEL" }).RunAsync(Path.Combine(Repo.ReferencePlugins, "macvlan"), config);
    }

    public void Dispose() => _dir.Dispose();
}
