using Whereabouts.Core.Naming;
using static Whereabouts.Core.Tests.Support.Addr;

namespace Whereabouts.Core.Tests.Naming;

public sealed class ObjectNamesTests
{
    // Upstream §9.4 (S1–S4) and §5.2: names are persisted state shared with upstream, so they match exactly.
    [Theory]
    [InlineData("10.0.0.0/8", null, null, "10.0.0.0-8")]
    [InlineData("10.0.0.0/8", "test", null, "test-10.0.0.0-8")]
    [InlineData("10.0.0.0/8", null, "testnode", "testnode-10.0.0.0-8")]
    [InlineData("10.0.0.0/8", "testnetwork", "testnode", "testnetwork-testnode-10.0.0.0-8")]
    [InlineData("2001::/116", null, null, "2001---116")]
    [InlineData("2001::1/116", null, null, "2001---116")]
    [InlineData("192.168.10.1/24", "", "", "192.168.10.0-24")]
    [InlineData("fd:db8:abcd:0012::0/96", "net-a", null, "net-a-fd-db8-abcd-12---96")]
    [InlineData("2001:db8:480:603d::/64", null, null, "2001-db8-480-603d---64")]
    [InlineData("2001:db8:1:2:3:4:5:0/127", null, null, "2001-db8-1-2-3-4-5-0-127")]
    public void IpPool_UpstreamCases_MatchUpstream(string range, string? network, string? node, string expected)
    {
        Assert.Equal(expected, ObjectNames.IpPool(Cidr(range), network, node));
    }

    [Theory]
    [InlineData("192.168.22.1", null, "192.168.22.1")]
    [InlineData("2001::2:3:1", null, "2001--2-3-1")]
    [InlineData("2001:db8::", null, "2001-db8--0")]
    [InlineData("10.10.0.1", "mynet", "mynet-10.10.0.1")]
    [InlineData("::ffff:10.10.0.1", "mynet", "mynet-10.10.0.1")]
    [InlineData("2001:0db8:0000:0000:0000:0000:0000:0001", null, "2001-db8--1")]
    [InlineData("fd00:0:0:10:0:0:3:1", null, "fd00--10-0-0-3-1")]
    public void OverlappingReservation_UpstreamCases_MatchUpstream(string ip, string? network, string expected)
    {
        Assert.Equal(expected, ObjectNames.OverlappingReservation(Ip(ip), network));
    }

    // Upstream writes these as "--1", "---116" or "--0": invalid object names the API server rejects (§10). The
    // documented fallback spells the leading zero group, which Go never prints, so no upstream name can collide.
    [Theory]
    [InlineData("::1", "0--1")]
    [InlineData("::", "0--0")]
    [InlineData("::2:3", "0--2-3")]
    [InlineData("::c0a8:101", "0--c0a8-101")]
    public void OverlappingReservation_AddressStartingWithDoubleColon_SpellsTheLeadingGroup(string ip, string expected)
    {
        var name = ObjectNames.OverlappingReservation(Ip(ip));

        Assert.Equal(expected, name);
        Assert.True(Dns1123.IsSubdomain(name));
    }

    [Theory]
    [InlineData("::/0", "0---0")]
    [InlineData("::/64", "0---64")]
    [InlineData("::1/126", "0---126")]
    public void IpPool_RangeStartingWithDoubleColon_SpellsTheLeadingGroup(string range, string expected)
    {
        Assert.Equal(expected, ObjectNames.IpPool(Cidr(range)));
    }

    [Theory]
    [InlineData("2001:db8::")]
    [InlineData("fe80::")]
    [InlineData("1::")]
    [InlineData("::")]
    public void OverlappingReservation_AddressEndingWithDoubleColon_IsValid(string ip)
    {
        var name = ObjectNames.OverlappingReservation(Ip(ip));

        Assert.EndsWith("--0", name, StringComparison.Ordinal);
        Assert.True(Dns1123.IsSubdomain(name));
    }

    [Theory]
    [InlineData("MyNet", "10.0.0.1")]
    [InlineData("my_net", "10.0.0.1")]
    [InlineData("-net", "10.0.0.1")]
    [InlineData("net.", "10.0.0.1")]
    [InlineData("a..b", "10.0.0.1")]
    [InlineData("Net", "::1")]
    [InlineData("__", "2001:db8::")]
    public void OverlappingReservation_InvalidNetworkName_FallsBackToAValidHashedName(string network, string ip)
    {
        var name = ObjectNames.OverlappingReservation(Ip(ip), network);

        Assert.True(Dns1123.IsSubdomain(name), name);
        Assert.Matches("-[0-9a-f]{8}$", name);
        Assert.Equal(name, ObjectNames.OverlappingReservation(Ip(ip), network));
    }

    [Fact]
    public void OverlappingReservation_NamesDifferingOnlyInCase_StayDistinct()
    {
        var upper = ObjectNames.OverlappingReservation(Ip("10.0.0.1"), "MyNet");
        var lower = ObjectNames.OverlappingReservation(Ip("10.0.0.1"), "mynet");
        var mixed = ObjectNames.OverlappingReservation(Ip("10.0.0.1"), "myNet");

        Assert.Equal("mynet-10.0.0.1", lower);
        Assert.StartsWith("mynet-10.0.0.1-", upper, StringComparison.Ordinal);
        Assert.Distinct([upper, lower, mixed]);
    }

    [Fact]
    public void IpPool_VeryLongNetworkName_IsCutTo253Characters()
    {
        var network = new string('n', 300);

        var name = ObjectNames.IpPool(Cidr("10.0.0.0/8"), network);

        Assert.Equal(Dns1123.MaxSubdomainLength, name.Length);
        Assert.True(Dns1123.IsSubdomain(name));
        Assert.NotEqual(name, ObjectNames.IpPool(Cidr("10.0.0.0/9"), network));
    }

    [Fact]
    public void IpPool_PrefixOfOnlyInvalidCharacters_KeepsTheRangeAndAHash()
    {
        var name = ObjectNames.IpPool(Cidr("10.0.0.0/8"), "___", "...");

        Assert.Matches("^10.0.0.0-8-[0-9a-f]{8}$", name);
    }

    [Theory]
    [InlineData("slice-net", "cni-net", "slice-net")]
    [InlineData(null, "cni-net", "cni-net")]
    [InlineData("", "cni-net", "cni-net")]
    public void NodeSlicePool_NetworkName_WinsOverTheCniName(string? network, string cniName, string expected)
    {
        Assert.Equal(expected, ObjectNames.NodeSlicePool(network, cniName));
    }
}
