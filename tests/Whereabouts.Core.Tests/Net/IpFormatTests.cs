using Whereabouts.Core.Net;

namespace Whereabouts.Core.Tests.Net;

/// <summary>
/// <c>Ip.ToString()</c> must match Go's <c>net.IP.String()</c> byte for byte: upstream derives persisted object names
/// from that text.
/// </summary>
public sealed class IpFormatTests
{
    [Theory]
    [InlineData("192.168.1.1", "192.168.1.1")]
    [InlineData("00192.00168.01.009", "192.168.1.9")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("::", "::")]
    [InlineData("::1", "::1")]
    [InlineData("1::", "1::")]
    [InlineData("0:0:0:0:0:0:0:1", "::1")]
    [InlineData("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1")]
    [InlineData("ABCD:EF01::", "abcd:ef01::")]

    // The longest run of zero groups is compressed; on a tie, the first.
    [InlineData("2001:0:0:1:0:0:0:1", "2001:0:0:1::1")]
    [InlineData("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]
    [InlineData("fd00:0:0:10:0:0:3:1", "fd00::10:0:0:3:1")]
    [InlineData("1:0:0:2:0:0:0:3", "1:0:0:2::3")]

    // A single zero group is never compressed.
    [InlineData("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1")]
    [InlineData("0:1:0:1:0:1:0:1", "0:1:0:1:0:1:0:1")]
    [InlineData("1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0")]
    [InlineData("1:2:3:4:5:6:0:0", "1:2:3:4:5:6::")]

    // Groups lose their leading zeros.
    [InlineData("2001:db8:480:603d:0304:0403:000:0000", "2001:db8:480:603d:304:403::")]
    [InlineData("2001:db8:5422:0005::", "2001:db8:5422:5::")]
    [InlineData("ff02::00ff", "ff02::ff")]

    // IPv4-mapped addresses print as dotted IPv4; other embedded forms print as hex, as Go does.
    [InlineData("::ffff:192.168.1.1", "192.168.1.1")]
    [InlineData("::ffff:0:0", "0.0.0.0")]
    [InlineData("::ffff:255.255.255.255", "255.255.255.255")]
    [InlineData("::192.168.1.1", "::c0a8:101")]
    [InlineData("::fffe:1.2.3.4", "::fffe:102:304")]
    [InlineData("64:ff9b::1.2.3.4", "64:ff9b::102:304")]
    [InlineData("1::ffff:1.2.3.4", "1::ffff:102:304")]
    public void ToString_Address_MatchesGo(string text, string expected)
    {
        Assert.Equal(expected, Ip.Parse(text).ToString());
    }

    [Fact]
    public void ToString_AllOnes_PrintsEveryGroup()
    {
        Assert.Equal("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Ip.V6(UInt128.MaxValue).ToString());
        Assert.Equal("255.255.255.255", Ip.V4(uint.MaxValue).ToString());
    }

    [Theory]
    [InlineData("192.168.2.0/24", "192.168.2.0/24")]
    [InlineData("192.168.10.1/24", "192.168.10.0/24")]
    [InlineData("00192.00168.1.0/24", "192.168.1.0/24")]
    [InlineData("2001::1/116", "2001::/116")]
    [InlineData("caa5::0/112", "caa5::/112")]
    [InlineData("fd:db8:abcd:0012::0/96", "fd:db8:abcd:12::/96")]
    [InlineData("::1/126", "::/126")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("::/0", "::/0")]
    public void CidrToString_Prefix_PrintsMaskedNetwork(string text, string expected)
    {
        Assert.Equal(expected, Cidr.Parse(text).ToString());
    }
}
