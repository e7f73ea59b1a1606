using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Core.Tests.Support;
using static Whereabouts.Core.Tests.Support.Addr;

namespace Whereabouts.Core.Tests.Allocation;

public sealed class AllocationRangeTests
{
    [Fact]
    public void Create_OverlappingExcludesAndGateway_BlockedIsSortedMergedAndClipped()
    {
        var range = Ranges.Of("10.0.0.0/27", exclude: ["10.0.0.8/29", "10.0.0.0/30", "10.0.0.4/31"], gateway: "10.0.0.6");

        Assert.Equal(
            [new IpInterval(Ip("10.0.0.1").Value, Ip("10.0.0.6").Value), new IpInterval(Ip("10.0.0.8").Value, Ip("10.0.0.15").Value)],
            range.Blocked);
        Assert.Equal((UInt128)16, range.FreeCount);
        Assert.Equal(Ip("10.0.0.6"), range.Gateway);
        Assert.Equal(Ip("10.0.0.1"), range.First);
        Assert.Equal(Ip("10.0.0.30"), range.Last);
    }

    [Theory]
    [InlineData("10.0.0.7", true)]
    [InlineData("10.0.0.16", true)]
    [InlineData("10.0.0.30", true)]
    [InlineData("10.0.0.0", false)]
    [InlineData("10.0.0.31", false)]
    [InlineData("10.0.0.6", false)]
    [InlineData("10.0.0.3", false)]
    [InlineData("10.0.0.15", false)]
    [InlineData("10.0.0.32", false)]
    [InlineData("::ffff:10.0.0.7", false)]
    public void Allows_Address_OnlyInsideTheWindowAndNotBlocked(string ip, bool expected)
    {
        var range = Ranges.Of("10.0.0.0/27", exclude: ["10.0.0.8/29", "10.0.0.0/30", "10.0.0.4/31"], gateway: "10.0.0.6");

        Assert.Equal(expected, range.Allows(Ip(ip)));
    }

    [Fact]
    public void Create_GatewayOutsideSubnet_IsNotTheRangesGateway()
    {
        var range = Ranges.Of("10.0.0.0/24", gateway: "10.0.1.1");

        Assert.Null(range.Gateway);
        Assert.Empty(range.Blocked);
        Assert.Equal((UInt128)254, range.FreeCount);
    }

    [Fact]
    public void Create_GatewayOutsideNarrowedWindow_BlocksNothing()
    {
        var range = Ranges.Of("10.0.0.0/24", start: "10.0.0.10", end: "10.0.0.20", gateway: "10.0.0.1");

        Assert.Equal(Ip("10.0.0.1"), range.Gateway);
        Assert.Empty(range.Blocked);
        Assert.Equal((UInt128)11, range.FreeCount);
    }

    [Fact]
    public void Create_ExcludesOfTheOtherFamily_AreIgnored()
    {
        var range = Ranges.Of("10.0.0.0/30", exclude: ["::/0", "::ffff:10.0.0.1"]);

        Assert.Empty(range.Blocked);
        Assert.Equal((UInt128)2, range.FreeCount);
    }

    [Fact]
    public void Create_ExcludeLargerThanRange_BlocksTheWholeWindow()
    {
        var range = Ranges.Of("192.168.0.0/29", exclude: ["192.168.0.0/16"]);

        Assert.Equal(UInt128.Zero, range.FreeCount);
        Assert.Null(Allocator.FindLowestFree(range, Ips()));
    }

    [Theory]
    [InlineData("2001:db8::/64", "18446744073709551614")]
    [InlineData("2001:db8::/48", "1208925819614629174706174")]
    [InlineData("::/0", "340282366920938463463374607431768211454")]
    [InlineData("0.0.0.0/0", "4294967294")]
    public void FreeCount_LargeRanges_IsExact(string subnet, string expected)
    {
        Assert.Equal(UInt128.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Ranges.Of(subnet).FreeCount);
    }

    [Fact]
    public void Describe_RangeWithExcludesAndGateway_ListsThem()
    {
        var range = Ranges.Of("10.0.0.0/27", exclude: ["10.0.0.8/29", "10.0.0.4"], gateway: "10.0.0.6");

        Assert.Equal("10.0.0.0/27 (usable 10.0.0.1-10.0.0.30, excluding 10.0.0.8/29, 10.0.0.4, gateway 10.0.0.6)", range.Describe());
        Assert.Equal(range.Describe(), range.ToString());
    }

    [Fact]
    public void Describe_NarrowedIpv6Range_ShowsTheWindow()
    {
        var range = Ranges.Of("2001::/116", start: "2001::10");

        Assert.Equal("2001::/116 (usable 2001::10-2001::ffe)", range.Describe());
    }
}
