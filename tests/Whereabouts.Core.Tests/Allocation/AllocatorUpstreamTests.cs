using Whereabouts.Core.Allocation;
using Whereabouts.Core.Tests.Support;
using static Whereabouts.Core.Tests.Support.Addr;

namespace Whereabouts.Core.Tests.Allocation;

/// <summary>
/// Upstream §9.1 (pkg/allocate tests A1–A23), run through the configuration reader so that range, range_start,
/// range_end and exclude are read exactly as a NetworkAttachmentDefinition would give them.
/// </summary>
public sealed class AllocatorUpstreamTests
{
    public static TheoryData<string, string?, string?, string[], string[], string?> Cases => new()
    {
        // range, range_start, range_end, exclude, reserved, expected lowest free (null: exhausted)
        { "192.168.1.1/24", null, null, [], [], "192.168.1.1" }, // A1
        { "caa5::/112", null, null, [], [], "caa5::1" }, // A2
        { "::1/126", null, null, [], [], "::1" }, // A3
        { "fd::1/116", null, null, [], [], "fd::1" }, // A4
        { "100::2:1/126", null, null, [], [], "100::2:1" }, // A5
        { "192.168.0.0/29", null, null, ["192.168.0.0/30"], [], "192.168.0.4" }, // A6
        { "192.168.0.0/29", null, null, ["192.168.0.1"], [], "192.168.0.2" }, // A7
        { "100::2:0/125", null, null, ["100::2:1/126"], [], "100::2:4" }, // A9
        { "100::2:0/125", null, null, ["100::2:1"], [], "100::2:2" }, // A10
        { "2001:db8::/30", null, null, ["2001:db8::0/32"], [], "2001:db9::" }, // A12
        { "192.168.0.0/28", null, null, ["192.168.0.0/30", "192.168.0.6/31", "192.168.0.8/31", "192.168.0.4/30"], [], "192.168.0.10" }, // A13
        { "192.168.0.0/28", null, null, ["192.168.0.0/30", "192.168.0.14/31", "192.168.0.4/30", "192.168.0.6/31", "192.168.0.8/31"], [], "192.168.0.10" }, // A14
        { "192.168.0.0/29", "192.168.0.0", null, ["192.168.0.0/30"], ["192.168.0.4", "192.168.0.5", "192.168.0.6"], null }, // A15
        { "192.168.0.0/29", "192.168.0.0", null, ["192.168.0.4/30"], ["192.168.0.1", "192.168.0.2", "192.168.0.3"], null }, // A16
        { "100::2:0/125", "100::2:1", null, ["100::2:4/126"], ["100::2:1", "100::2:2", "100::2:3"], null }, // A17
        { "192.168.0.0/29", "192.168.0.0", null, [], [], "192.168.0.1" }, // A18: the network address as start is ignored
        { "192.168.0.0/29", "192.168.0.0", "192.168.0.8", [], [], "192.168.0.1" }, // A19: an end outside the subnet is ignored
        { "192.168.0.0/28", "192.168.0.1", "192.168.0.6", ["192.168.0.4/30"], ["192.168.0.1", "192.168.0.2", "192.168.0.3"], null }, // A20

        // A21–A23: upstream returns the whole updated reservation list; the allocator returns the new address.
        { "192.168.0.0/28", "192.168.0.1", "192.168.0.6", [], [], "192.168.0.1" }, // A21
        { "192.168.0.0/28", "192.168.0.1", "192.168.0.6", [], ["192.168.0.1", "192.168.0.2", "192.168.0.3"], "192.168.0.4" }, // A22
        { "192.168.0.0/28", "192.168.0.1", "192.168.0.6", [], ["192.168.0.1", "192.168.0.2", "192.168.0.5"], "192.168.0.3" }, // A23: fills the hole
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FindLowestFree_UpstreamCase_ReturnsLowestFreeAddress(
        string range, string? start, string? end, string[] exclude, string[] reserved, string? expected)
    {
        var allocationRange = Configs.FirstRange(Body(range, start, end, exclude));

        var chosen = Allocator.FindLowestFree(allocationRange, Ips(reserved));

        Assert.Equal(expected is null ? null : Ip(expected), chosen);
    }

    [Theory]
    [InlineData("192.168.0.0/29", "192.168.0.1/123")] // A8
    [InlineData("100::2:0/125", "100::2::1")] // A11
    public void Read_UnparsableExclude_FailsNamingTheEntry(string range, string exclude)
    {
        var error = Configs.SingleError(Configs.ReadIpam(Body(range, null, null, [exclude])));

        Assert.Equal("exclude[0]", error.Key);
        Assert.StartsWith("could not parse exclude range", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindLowestFree_GatewayIsFirstAddress_SkipsIt()
    {
        // Upstream hands out the gateway (A1 with gateway 192.168.1.1 would return .1); it is never handed out here.
        var range = Configs.FirstRange("""
            "range": "192.168.1.0/24", "gateway": "192.168.1.1"
            """);

        Assert.Equal(Ip("192.168.1.2"), Allocator.FindLowestFree(range, Ips()));
    }

    [Fact]
    public void FindLowestFree_GatewayOutsideRange_ChangesNothing()
    {
        var range = Configs.FirstRange("""
            "range": "192.168.1.0/24", "gateway": "192.168.10.1"
            """);

        Assert.Null(range.Gateway);
        Assert.Equal(Ip("192.168.1.1"), Allocator.FindLowestFree(range, Ips()));
    }

    [Fact]
    public void FindLowestFree_UpstreamCmdExcludeCases_MatchUpstreamResults()
    {
        // cmd/whereabouts_test.go: "excludes a range of addresses" and the two IPv6 exclude cases.
        var v4 = Configs.FirstRange("""
            "range": "192.168.1.0/24", "exclude": ["192.168.1.0/28", "192.168.1.16/28"], "gateway": "192.168.10.1"
            """);
        var v6 = Configs.FirstRange("""
            "range": "2001::1/116", "exclude": ["2001::0/128", "2001::1/128", "2001::2/128"], "gateway": "2001::f:1"
            """);
        var v6Half = Configs.FirstRange("""
            "range": "caa5::0/112", "exclude": ["caa5::0/113"]
            """);

        Assert.Equal(Ip("192.168.1.32"), Allocator.FindLowestFree(v4, Ips()));
        Assert.Equal(Ip("2001::3"), Allocator.FindLowestFree(v6, Ips()));
        Assert.Equal(Ip("caa5::8000"), Allocator.FindLowestFree(v6Half, Ips()));
    }

    [Theory]
    [InlineData("2001:db8:480:603d:0304:0403:000:0000-2001:db8:480:603d:0304:0403:0000:0004/64", "2001:db8:480:603d:304:403::")]
    [InlineData("2001:db8:5422:0005::-2001:db8:5422:0005:7fff:ffff:ffff:ffff/64", "2001:db8:5422:5::1")]
    [InlineData("fd00:0:0:10:0:0:3:1-fd00:0:0:10:0:0:3:6/64", "fd00:0:0:10::3:1")]
    [InlineData("192.168.1.11-192.168.1.23/24", "192.168.1.11")]
    public void FindLowestFree_UpstreamCmdDashRanges_StartAtTheirStart(string range, string expected)
    {
        var allocationRange = Configs.FirstRange($$"""
            "range": "{{range}}"
            """);

        Assert.Equal(Ip(expected), Allocator.FindLowestFree(allocationRange, Ips()));
    }

    private static string Body(string range, string? start, string? end, string[] exclude)
    {
        var parts = new List<string> { $"\"range\": \"{range}\"" };
        if (start is not null)
        {
            parts.Add($"\"range_start\": \"{start}\"");
        }

        if (end is not null)
        {
            parts.Add($"\"range_end\": \"{end}\"");
        }

        if (exclude.Length > 0)
        {
            parts.Add($"\"exclude\": [{string.Join(", ", exclude.Select(e => $"\"{e}\""))}]");
        }

        return string.Join(", ", parts);
    }
}
