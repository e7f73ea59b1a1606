namespace Whereabouts.Cni.Tests;

public sealed class CniAddressParserTests
{
    [Theory]
    [InlineData("10.0.0.5/24", "10.0.0.5", 24)]
    [InlineData("0.0.0.0/0", "0.0.0.0", 0)]
    [InlineData("255.255.255.255/32", "255.255.255.255", 32)]
    [InlineData("2001:db8:1::2/64", "2001:db8:1::2", 64)]
    [InlineData("2001:DB8::5/128", "2001:db8::5", 128)]
    [InlineData("::/0", "::", 0)]
    [InlineData("::ffff:10.0.0.1/120", "::ffff:10.0.0.1", 120)]
    public void TryParseCidr_Valid_KeepsHostBits(string text, string address, int prefix)
    {
        Assert.True(CniAddressParser.TryParseCidr(text, out var parsed, out var prefixLength));
        Assert.Equal(address, parsed.ToString());
        Assert.Equal(prefix, prefixLength);
    }

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("10.0.0.5/")]
    [InlineData("10.0.0.5/33")]
    [InlineData("10.0.0.5/-1")]
    [InlineData("10.0.0.5/+8")]
    [InlineData("10.0.0.5/ 8")]
    [InlineData("10.0.0.5/8/8")]
    [InlineData("10/8")]
    [InlineData("10.0.5/24")]
    [InlineData("10.0.0.256/24")]
    [InlineData("010.0.0.5/24")]
    [InlineData(" 10.0.0.5/24")]
    [InlineData("2001:db8::5/129")]
    [InlineData("[2001:db8::5]/64")]
    [InlineData("fe80::1%eth0/64")]
    [InlineData("2001:db8::5 /64")]
    [InlineData("2001:db8::5\t/64")]
    [InlineData("2001:db8:::5/64")]
    [InlineData("/24")]
    [InlineData("")]
    public void TryParseCidr_Invalid_ReturnsFalse(string text) =>
        Assert.False(CniAddressParser.TryParseCidr(text, out _, out _));

    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData("2001:db8::1", true)]
    [InlineData("10.0.0", false)]
    [InlineData("1", false)]
    [InlineData("0x0a.0.0.1", false)]
    [InlineData("::1]:80", false)]
    [InlineData("host.example", false)]
    public void TryParseIp_GoSemantics(string text, bool valid) =>
        Assert.Equal(valid, CniAddressParser.TryParseIp(text, out _));
}
