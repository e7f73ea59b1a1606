using System.Text.Json.Nodes;
using Whereabouts.Plugin.Tests.Support;

namespace Whereabouts.Plugin.Tests.EndToEnd;

/// <summary>The published binary invoked directly, as a runtime would, with the file datastore.</summary>
public sealed class DirectInvocationTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _data;

    public DirectInvocationTests()
    {
        _data = _dir.Sub("state");
    }

    public static TheoryData<string> Versions => new(["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"]);

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task AddThenDel_EveryVersion_ResultInThatVersionAndAddressReleased(string version)
    {
        var config = NetConf.Direct(_data, version);
        var add = await new CniCall("ADD", "c1") { Args = CniCall.PodArgs("pod-1") }.RunAsync(Repo.Plugin, config);

        Assert.Equal(0, add.ExitCode);
        var result = JsonNode.Parse(add.Stdout)!;
        Assert.Equal(version, result["cniVersion"]!.GetValue<string>());
        if (version is "0.1.0" or "0.2.0")
        {
            Assert.Equal("192.168.20.2/24", result["ip4"]!["ip"]!.GetValue<string>());
            Assert.Equal("192.168.20.1", result["ip4"]!["gateway"]!.GetValue<string>());
        }
        else
        {
            var ip = result["ips"]![0]!;
            Assert.Equal("192.168.20.2/24", ip["address"]!.GetValue<string>());
            Assert.Equal("192.168.20.1", ip["gateway"]!.GetValue<string>());
            Assert.Equal(version is "0.3.0" or "0.3.1" or "0.4.0", ip["version"] is not null);
            Assert.Null(ip["interface"]);
            Assert.Null(result["interfaces"]);
        }

        Assert.Single(FileState.Allocations(_data));
        var del = await new CniCall("DEL", "c1") { Args = CniCall.PodArgs("pod-1") }.RunAsync(Repo.Plugin, config);
        Assert.Equal(0, del.ExitCode);
        Assert.Equal(string.Empty, del.Stdout);
        Assert.Empty(FileState.Allocations(_data));
        Assert.Empty(FileState.Reservations(_data));
    }

    [Fact]
    public async Task Add_SamePodAndInterfaceAgain_ReturnsSameAddressWithNewContainer()
    {
        var config = NetConf.Direct(_data);
        var first = await new CniCall("ADD", "old-sandbox") { Args = CniCall.PodArgs("sts-0") }.RunAsync(Repo.Plugin, config);
        var second = await new CniCall("ADD", "new-sandbox") { Args = CniCall.PodArgs("sts-0") }.RunAsync(Repo.Plugin, config);

        Assert.Equal(CniCall.Addresses(first.Stdout), CniCall.Addresses(second.Stdout));
        var allocation = Assert.Single(FileState.Allocations(_data));
        Assert.Equal("new-sandbox", allocation.ContainerId);

        // The old sandbox's late DEL must not free the address the new sandbox now holds.
        var staleDel = await new CniCall("DEL", "old-sandbox") { Args = CniCall.PodArgs("sts-0") }.RunAsync(Repo.Plugin, config);
        Assert.Equal(0, staleDel.ExitCode);
        Assert.Single(FileState.Allocations(_data));
    }

    [Fact]
    public async Task Add_StdoutIsAFileSharedWithTheCaller_ResultLandsBetweenTheCallersWrites()
    {
        var output = _dir.Sub("out.txt");
        var config = _dir.Sub("net.json");
        await File.WriteAllTextAsync(config, NetConf.Direct(_data), TestContext.Current.CancellationToken);
        var env = new CniCall("ADD", "c1") { Args = CniCall.PodArgs("p1") }.Environment();

        // The shell opens the file once and shares the descriptor, as a runtime capturing output to a file would.
        var script = $"{{ echo before; '{Repo.Plugin}' < '{config}'; echo; echo after; }} > '{output}'";
        var result = await Run.ProcessAsync("sh", ["-c", script], env, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = File.ReadAllLines(output);
        Assert.Equal("before", lines[0]);
        Assert.Contains("192.168.20.2/24", lines[1], StringComparison.Ordinal);
        Assert.Equal("after", lines[^1]);
    }

    [Fact]
    public async Task Del_NothingHeld_Succeeds()
    {
        var result = await new CniCall("DEL", "never-added") { NetNs = "" }.RunAsync(Repo.Plugin, NetConf.Direct(_data));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Check_AfterAddMatchesPrevResult_AfterDelFails()
    {
        var add = await new CniCall("ADD", "c1") { Args = CniCall.PodArgs("p") }.RunAsync(Repo.Plugin, NetConf.Direct(_data, "1.0.0"));
        var withPrev = JsonNode.Parse(NetConf.Direct(_data, "1.0.0"))!.AsObject();
        withPrev["prevResult"] = JsonNode.Parse(add.Stdout);

        var check = await new CniCall("CHECK", "c1") { Args = CniCall.PodArgs("p") }.RunAsync(Repo.Plugin, withPrev.ToJsonString());
        Assert.Equal(0, check.ExitCode);

        var wrongPrev = JsonNode.Parse(withPrev.ToJsonString())!.AsObject();
        wrongPrev["prevResult"]!["ips"]![0]!["address"] = "192.168.20.77/24";
        var mismatch = await new CniCall("CHECK", "c1") { Args = CniCall.PodArgs("p") }.RunAsync(Repo.Plugin, wrongPrev.ToJsonString());
        Assert.NotEqual(0, mismatch.ExitCode);
        Assert.Contains("192.168.20.77", mismatch.Stdout, StringComparison.Ordinal);

        await new CniCall("DEL", "c1") { Args = CniCall.PodArgs("p") }.RunAsync(Repo.Plugin, withPrev.ToJsonString());
        var afterDel = await new CniCall("CHECK", "c1") { Args = CniCall.PodArgs("p") }.RunAsync(Repo.Plugin, withPrev.ToJsonString());
        Assert.Equal(999, CniCall.ErrorCode(afterDel.Stdout));
    }

    [Fact]
    public async Task Gc_ReleasesAttachmentsAbsentFromBothLists()
    {
        var config = NetConf.Direct(_data, "1.1.0");
        foreach (var c in new[] { "c1", "c2", "c3" })
        {
            Assert.Equal(0, (await new CniCall("ADD", c) { Args = CniCall.PodArgs("pod-" + c) }.RunAsync(Repo.Plugin, config)).ExitCode);
        }

        var gcConfig = JsonNode.Parse(config)!.AsObject();
        gcConfig["cni.dev/valid-attachments"] = new JsonArray(new JsonObject { ["containerID"] = "c1", ["ifname"] = "net1" });
        gcConfig["cni.dev/attachments"] = new JsonArray(new JsonObject { ["containerID"] = "c3", ["ifname"] = "net1" });
        var gc = await new CniCall("GC", IfName: "", NetNs: "") { Args = null }.RunAsync(Repo.Plugin, gcConfig.ToJsonString());

        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.Equal(["c1", "c3"], FileState.Allocations(_data).Select(static a => a.ContainerId).Order());
        Assert.Equal(2, FileState.Reservations(_data).Count);
    }

    [Fact]
    public async Task Status_ReportsWhetherTheDatastoreCanBeReached()
    {
        var ok = await new CniCall("STATUS", IfName: "", NetNs: "") { Args = null }.RunAsync(Repo.Plugin, NetConf.Direct(_data, "1.1.0"));
        Assert.True(ok.ExitCode == 0, ok.ToString());

        var blocker = _dir.Sub("not-a-directory");
        await File.WriteAllTextAsync(blocker, "x", TestContext.Current.CancellationToken);
        var broken = await new CniCall("STATUS", IfName: "", NetNs: "") { Args = null }
            .RunAsync(Repo.Plugin, NetConf.Direct(Path.Combine(blocker, "state"), "1.1.0"));
        Assert.Equal(50, CniCall.ErrorCode(broken.Stdout));
    }

    [Fact]
    public async Task Version_AnswersEverySupportedVersion()
    {
        var result = await new CniCall("VERSION", IfName: "", NetNs: "") { Args = null, Path = null }.RunAsync(Repo.Plugin, "{\"cniVersion\":\"1.1.0\"}");

        Assert.Equal(0, result.ExitCode);
        var versions = JsonNode.Parse(result.Stdout)!["supportedVersions"]!.AsArray().Select(static v => v!.GetValue<string>());
        Assert.Equal(["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"], versions);
    }

    [Fact]
    public async Task Add_RequestedAddress_IsReservedAndRefusedToAnotherPod()
    {
        var config = NetConf.Direct(_data);
        var mine = await new CniCall("ADD", "c1") { Args = CniCall.PodArgs("p1") + ";IP=192.168.20.50/24" }.RunAsync(Repo.Plugin, config);
        Assert.Equal(["192.168.20.50/24"], CniCall.Addresses(mine.Stdout));
        Assert.Equal("50", Assert.Single(FileState.Allocations(_data)).Offset);

        var before = FileState.Fingerprint(_data);
        var theirs = await new CniCall("ADD", "c2") { Args = CniCall.PodArgs("p2") + ";IP=192.168.20.50" }.RunAsync(Repo.Plugin, config);
        Assert.Equal(999, CniCall.ErrorCode(theirs.Stdout));
        Assert.Contains("default/p1", theirs.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, FileState.Fingerprint(_data));
    }

    [Fact]
    public async Task Add_RangeExhausted_FailsNamingTheRangeAndChangesNothing()
    {
        var config = NetConf.Direct(_data, edit: ipam => ipam["range_end"] = "192.168.20.4");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0, (await new CniCall("ADD", $"c{i}") { Args = CniCall.PodArgs($"p{i}") }.RunAsync(Repo.Plugin, config)).ExitCode);
        }

        var before = FileState.Fingerprint(_data);
        var full = await new CniCall("ADD", "c9") { Args = CniCall.PodArgs("p9") }.RunAsync(Repo.Plugin, config);

        Assert.Equal(999, CniCall.ErrorCode(full.Stdout));
        Assert.Contains("192.168.20.0/24", full.Stdout, StringComparison.Ordinal);
        Assert.Contains("192.168.20.2-192.168.20.4", full.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, FileState.Fingerprint(_data));
    }

    [Fact]
    public async Task Add_LaterRangeFails_EarlierRangesRolledBack()
    {
        var config = NetConf.Direct(_data, edit: ipam =>
        {
            ipam.Remove("range_start");
            ipam.Remove("range_end");
            ipam["ipRanges"] = new JsonArray(new JsonObject { ["range"] = "10.10.0.0/30", ["exclude"] = new JsonArray("10.10.0.1", "10.10.0.2") });
        });

        var result = await new CniCall("ADD", "c1") { Args = CniCall.PodArgs("p1") }.RunAsync(Repo.Plugin, config);

        Assert.Equal(999, CniCall.ErrorCode(result.Stdout));
        Assert.Empty(FileState.Allocations(_data));
        Assert.Empty(FileState.Reservations(_data));
    }

    [Fact]
    public async Task Add_DualStack_OneAddressPerRangeWithFamilyGateway()
    {
        var config = NetConf.Direct(_data, edit: ipam =>
        {
            ipam["ipRanges"] = new JsonArray(new JsonObject { ["range"] = "fd00:10::/64" });
            ipam["routes"] = new JsonArray(new JsonObject { ["dst"] = "0.0.0.0/0" });
            ipam["dns"] = new JsonObject { ["nameservers"] = new JsonArray("192.168.20.53") };
        });

        var add = await new CniCall("ADD", "c1") { Args = CniCall.PodArgs("p1") }.RunAsync(Repo.Plugin, config);

        var result = JsonNode.Parse(add.Stdout)!;
        Assert.Equal(["192.168.20.2/24", "fd00:10::1/64"], CniCall.Addresses(add.Stdout));
        Assert.Equal("192.168.20.1", result["ips"]![0]!["gateway"]!.GetValue<string>());
        Assert.Null(result["ips"]![1]!["gateway"]);
        Assert.Equal("0.0.0.0/0", result["routes"]![0]!["dst"]!.GetValue<string>());
        Assert.Equal("192.168.20.53", result["dns"]!["nameservers"]![0]!.GetValue<string>());
    }

    public void Dispose() => _dir.Dispose();
}
