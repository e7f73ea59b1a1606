using Whereabouts.Core.Net;

namespace Whereabouts.Core.Tests.Net;

public sealed class IpParseTests
{
    public static TheoryData<string, uint> V4Cases => new()
    {
        { "192.168.1.1", 0xC0A8_0101 },
        { "0.0.0.0", 0 },
        { "255.255.255.255", uint.MaxValue },

        // Upstream's sloppy parser reads leading zeros as decimal, never octal (config tests C9–C12).
        { "00192.00168.1.0", 0xC0A8_0100 },
        { "000000192.168.1.25", 0xC0A8_0119 },
        { "00192.00168.01.209", 0xC0A8_01D1 },
        { "010.0.0.010", 0x0A00_000A },
    };

    [Theory]
    [MemberData(nameof(V4Cases))]
    public void Parse_Ipv4_ReadsDecimalOctets(string text, uint expected)
    {
        var ip = Ip.Parse(text);

        Assert.Equal(IpFamily.V4, ip.Family);
        Assert.Equal((UInt128)expected, ip.Value);
    }

    [Theory]
    [InlineData("::", "0:0:0:0:0:0:0:0")]
    [InlineData("::1", "0:0:0:0:0:0:0:1")]
    [InlineData("1::", "1:0:0:0:0:0:0:0")]
    [InlineData("2001:db8::1", "2001:db8:0:0:0:0:0:1")]
    [InlineData("2001:DB8::ABCD", "2001:db8:0:0:0:0:0:abcd")]
    [InlineData("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0")]
    [InlineData("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8")]
    [InlineData("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8")]

    // Long spellings from upstream's cmd tests: every group written out, leading zeros kept.
    [InlineData("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8:0:0:0:0:0:1")]
    [InlineData("2001:db8:480:603d:0304:0403:000:0000", "2001:db8:480:603d:304:403:0:0")]
    [InlineData("fd00:0:0:10:0:0:3:1", "fd00:0:0:10:0:0:3:1")]
    [InlineData("2001:db8:5422:0005::", "2001:db8:5422:5:0:0:0:0")]

    // Embedded IPv4 tails fill the last two groups.
    [InlineData("::ffff:192.168.1.1", "0:0:0:0:0:ffff:c0a8:101")]
    [InlineData("::192.168.1.1", "0:0:0:0:0:0:c0a8:101")]
    [InlineData("64:ff9b::1.2.3.4", "64:ff9b:0:0:0:0:102:304")]
    [InlineData("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304")]
    [InlineData("::ffff:001.002.003.004", "0:0:0:0:0:ffff:102:304")]
    public void Parse_Ipv6_ReadsAllGroups(string text, string groups)
    {
        var expected = groups.Split(':').Aggregate(UInt128.Zero, (acc, g) => (acc << 16) | Convert.ToUInt16(g, 16));

        var ip = Ip.Parse(text);

        Assert.Equal(IpFamily.V6, ip.Family);
        Assert.Equal(expected, ip.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.-1")]
    [InlineData("1..2.3")]
    [InlineData("1.2.3.4.")]
    [InlineData(" 1.2.3.4")]
    [InlineData("1.2.3.4 ")]
    [InlineData("1.2.3.4/24")]
    [InlineData("0x1.2.3.4")]
    [InlineData("a.b.c.d")]
    [InlineData("1.2.3.4:80")]
    [InlineData("fe80::1%eth0")]
    [InlineData("fe80::1%1")]
    [InlineData("[::1]")]
    [InlineData("2001::db8::1")]
    [InlineData("100::2::1")]
    [InlineData("1:2:3:4:5:6:7")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1::2:3:4:5:6:7:8")]
    [InlineData("1:2:3:4:5:6:7:8::")]
    [InlineData(":1::")]
    [InlineData(":")]
    [InlineData(":::")]
    [InlineData("1:")]
    [InlineData("::1:")]
    [InlineData("12345::")]
    [InlineData("g::1")]
    [InlineData("::1.2.3")]
    [InlineData("::1.2.3.4:5")]
    [InlineData("::ffff:256.1.1.1")]
    [InlineData("1:2:3:4:5:6:7:1.2.3.4")]
    [InlineData("1:2:3:4:5:6:7:8:1.2.3.4")]
    public void TryParse_ZonesAndGarbage_Fails(string text)
    {
        Assert.False(Ip.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Ip.Parse(text));
    }

    [Fact]
    public void TryParse_Null_Fails()
    {
        Assert.False(Ip.TryParse(null, out _));
    }
}
