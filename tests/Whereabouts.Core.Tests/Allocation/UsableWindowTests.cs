using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using static Whereabouts.Core.Tests.Support.Addr;

namespace Whereabouts.Core.Tests.Allocation;

/// <summary>Upstream §9.5 H13–H17 and H20–H33 (FirstUsableIP, LastUsableIP, GetIPRange).</summary>
public sealed class UsableWindowTests
{
    [Theory]
    [InlineData("192.168.0.0/32")] // H13, H33
    [InlineData("192.168.0.0/31")]
    [InlineData("192.168.21.100/31")]
    [InlineData("2000::/128")]
    [InlineData("2000::/127")]
    public void Full_TooSmallPrefix_Throws(string subnet)
    {
        Assert.False(UsableWindow.HasUsableAddresses(Cidr(subnet))); // H17
        var ex = Assert.Throws<ArgumentException>(() => UsableWindow.Full(Cidr(subnet)));
        Assert.Contains("has no usable addresses", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("192.168.0.0/30", "192.168.0.1", "192.168.0.2")] // H14, H15
    [InlineData("192.168.0.0/23", "192.168.0.1", "192.168.1.254")]
    [InlineData("2000::/126", "2000::1", "2000::2")] // H14, H16
    [InlineData("2000::/64", "2000::1", "2000::ffff:ffff:ffff:fffe")]
    [InlineData("192.168.21.100/30", "192.168.21.101", "192.168.21.102")] // H20
    [InlineData("192.168.2.200/27", "192.168.2.193", "192.168.2.222")] // H22
    [InlineData("192.168.2.0/24", "192.168.2.1", "192.168.2.254")] // H23

    // H27: the IPv6 all-ones address is not handed out either (host-local would give 2001::fff).
    [InlineData("2001::0/116", "2001::1", "2001::ffe")]
    [InlineData("fd:db8:abcd:0012::0/96", "fd:db8:abcd:12::1", "fd:db8:abcd:12::ffff:fffe")] // H28
    [InlineData("2001:db8:abcd:0012::0/96", "2001:db8:abcd:12::1", "2001:db8:abcd:12::ffff:fffe")]
    [InlineData("2001:db8:abcd:12::/64", "2001:db8:abcd:12::1", "2001:db8:abcd:12:ffff:ffff:ffff:fffe")] // H29
    [InlineData("0.0.0.0/0", "0.0.0.1", "255.255.255.254")]
    [InlineData("::/0", "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")]
    public void Full_UsablePrefix_SkipsNetworkAndAllOnes(string subnet, string first, string last)
    {
        Assert.True(UsableWindow.HasUsableAddresses(Cidr(subnet))); // H17
        Assert.Equal(new IpInterval(Ip(first).Value, Ip(last).Value), UsableWindow.Full(Cidr(subnet)));
    }

    [Theory]
    [InlineData("192.168.2.200/24", "192.168.2.23", null, "192.168.2.23", "192.168.2.254")] // H21
    [InlineData("192.168.2.0/24", null, "192.168.2.100", "192.168.2.1", "192.168.2.100")] // H23
    [InlineData("192.168.2.0/24", "192.168.2.50", "192.168.2.100", "192.168.2.50", "192.168.2.100")]
    [InlineData("192.168.2.0/24", "192.168.1.150", "192.168.3.100", "192.168.2.1", "192.168.2.254")] // H24
    [InlineData("192.168.2.0/24", "192.168.2.100", "192.168.2.50", "192.168.2.100", "192.168.2.254")] // H25
    [InlineData("192.168.2.0/24", "192.168.2.50", "192.168.2.50", "192.168.2.50", "192.168.2.50")] // H26

    // The network and all-ones addresses as bounds lie outside the window: ignored.
    [InlineData("192.168.2.0/24", "192.168.2.0", "192.168.2.255", "192.168.2.1", "192.168.2.254")]
    [InlineData("192.168.2.0/24", "192.168.2.254", "192.168.2.254", "192.168.2.254", "192.168.2.254")]

    // A bound of the other family is ignored.
    [InlineData("192.168.2.0/24", "::ffff:192.168.2.10", "2001::1", "192.168.2.1", "192.168.2.254")]
    [InlineData("2001:db8:abcd:12::/64", null, "2001:db8:abcd:12::100", "2001:db8:abcd:12::1", "2001:db8:abcd:12::100")] // H29
    [InlineData("2001:db8:abcd:12::/64", "2001:db8:abcd:12::50", "2001:db8:abcd:12::100", "2001:db8:abcd:12::50", "2001:db8:abcd:12::100")]
    [InlineData("2001:db8:abcd:12::/64", "2000:db8:abcd:12::50", "2003:db8:abcd:12::100", "2001:db8:abcd:12::1", "2001:db8:abcd:12:ffff:ffff:ffff:fffe")] // H30
    [InlineData("2001:db8:abcd:12::/64", "2001:db8:abcd:12::100", "2001:db8:abcd:12::50", "2001:db8:abcd:12::100", "2001:db8:abcd:12:ffff:ffff:ffff:fffe")] // H31
    [InlineData("2001:db8:abcd:12::/64", "2001:db8:abcd:12::100", "2001:db8:abcd:12::100", "2001:db8:abcd:12::100", "2001:db8:abcd:12::100")] // H32
    [InlineData("2001:db8:480:603d::/64", "2001:db8:480:603d:304:403::", "2001:db8:480:603d:304:403:0:4", "2001:db8:480:603d:304:403::", "2001:db8:480:603d:304:403:0:4")]
    public void Compute_Bounds_AppliedOnlyInsideTheWindow(string subnet, string? start, string? end, string first, string last)
    {
        var window = UsableWindow.Compute(Cidr(subnet), start is null ? null : Ip(start), end is null ? null : Ip(end));

        Assert.Equal(new IpInterval(Ip(first).Value, Ip(last).Value), window);
    }

    [Theory]
    [InlineData(IpFamily.V4, 30)]
    [InlineData(IpFamily.V6, 126)]
    public void MaxUsablePrefix_Family_LeavesTwoHostBits(IpFamily family, int expected)
    {
        Assert.Equal(expected, UsableWindow.MaxUsablePrefix(family));
    }
}
