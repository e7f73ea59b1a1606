using Whereabouts.Core.Net;
using static Whereabouts.Core.Tests.Support.Addr;

namespace Whereabouts.Core.Tests.Net;

public sealed class CidrTests
{
    // Upstream §9.5 H10 (NetworkIP), H11 and H12 (SubnetBroadcastIP).
    [Theory]
    [InlineData("192.168.0.0/32", "192.168.0.0", "192.168.0.0")]
    [InlineData("192.168.0.0/31", "192.168.0.0", "192.168.0.1")]
    [InlineData("192.168.0.0/30", "192.168.0.0", "192.168.0.3")]
    [InlineData("192.168.0.0/23", "192.168.0.0", "192.168.1.255")]
    [InlineData("2000::/128", "2000::", "2000::")]
    [InlineData("2000::/127", "2000::", "2000::1")]
    [InlineData("2000::/126", "2000::", "2000::3")]
    [InlineData("2000::/64", "2000::", "2000::ffff:ffff:ffff:ffff")]
    [InlineData("192.168.21.100/30", "192.168.21.100", "192.168.21.103")]
    [InlineData("192.168.2.200/27", "192.168.2.192", "192.168.2.223")]
    [InlineData("10.1.2.3/0", "0.0.0.0", "255.255.255.255")]
    [InlineData("2001:db8::1/0", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8:1234::/48", "2001:db8:1234::", "2001:db8:1234:ffff:ffff:ffff:ffff:ffff")]
    public void NetworkAndLast_Prefix_AreTheEnds(string text, string network, string last)
    {
        var cidr = Cidr(text);

        Assert.Equal(Ip(network), cidr.Network);
        Assert.Equal(Ip(last), cidr.Last);
        Assert.Equal(new IpInterval(Ip(network).Value, Ip(last).Value), cidr.ToInterval());
    }

    [Fact]
    public void Parse_HostBitsSet_KeepsThemInAddressAndDropsThemInNetwork()
    {
        var cidr = Cidr("192.168.10.1/24");

        Assert.Equal(Ip("192.168.10.1"), cidr.Address);
        Assert.Equal(Ip("192.168.10.0"), cidr.Network);
        Assert.Equal(new Cidr(Ip("192.168.10.0"), 24), cidr.Masked);
        Assert.Equal(8, cidr.HostBits);
        Assert.Equal((UInt128)255, cidr.HostMask);
    }

    [Theory]
    [InlineData("192.168.1.0/24", "192.168.1.0", true)]
    [InlineData("192.168.1.0/24", "192.168.1.255", true)]
    [InlineData("192.168.1.0/24", "192.168.2.0", false)]
    [InlineData("192.168.1.0/24", "192.168.0.255", false)]
    [InlineData("192.168.1.0/24", "::ffff:192.168.1.1", false)]
    [InlineData("::/0", "192.168.1.1", false)]
    [InlineData("0.0.0.0/0", "::1", false)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::", false)]
    public void Contains_Address_ChecksFamilyAndBounds(string cidr, string ip, bool expected)
    {
        Assert.Equal(expected, Cidr(cidr).Contains(Ip(ip)));
    }

    [Theory]
    [InlineData("00192.00168.1.0/24", "192.168.1.0", 24)]
    [InlineData("192.168.1.0/024", "192.168.1.0", 24)]
    [InlineData("2001:db8:480:603d:0304:0403:000:0000/64", "2001:db8:480:603d:304:403::", 64)]
    [InlineData("::/128", "::", 128)]
    [InlineData("1.2.3.4/32", "1.2.3.4", 32)]
    public void TryParse_LenientForms_Parse(string text, string address, int prefix)
    {
        Assert.True(Core.Net.Cidr.TryParse(text, out var cidr));
        Assert.Equal(new Cidr(Ip(address), prefix), cidr);
    }

    [Theory]
    [InlineData("")]
    [InlineData("192.168.1.0")]
    [InlineData("192.168.1.0/")]
    [InlineData("/24")]
    [InlineData("192.168.1.0/33")]
    [InlineData("192.168.0.1/123")]
    [InlineData("2001::/129")]
    [InlineData("192.168.1.0/-1")]
    [InlineData("192.168.1.0/+8")]
    [InlineData("192.168.1.0/ 8")]
    [InlineData("192.168.1.0/8 ")]
    [InlineData("192.168.1.0/24/24")]
    [InlineData("192.168.1.0/99999999999")]
    [InlineData("fe80::1%eth0/64")]
    [InlineData("100::2::1/64")]
    public void TryParse_Garbage_Fails(string text)
    {
        Assert.False(Core.Net.Cidr.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Core.Net.Cidr.Parse(text));
    }

    [Theory]
    [InlineData("10.0.0.0/8", 16777216)]
    [InlineData("10.0.0.0/32", 1)]
    [InlineData("2001:db8::/64", 18446744073709551616.0)]
    public void IntervalCount_Prefix_IsTwoToTheHostBits(string text, double expected)
    {
        Assert.Equal((UInt128)expected, Cidr(text).ToInterval().Count);
    }

    [Fact]
    public void IntervalCount_WholeIpv6Space_Saturates()
    {
        Assert.Equal(UInt128.MaxValue, Cidr("::/0").ToInterval().Count);
    }
}
