using System.Net;
using Whereabouts.Core.Net;
using static Whereabouts.Core.Tests.Support.Addr;

namespace Whereabouts.Core.Tests.Net;

/// <summary>Upstream §9.5 (pkg/iphelpers tests) H1–H9, H18, H19 and H34–H40, on 128-bit values.</summary>
public sealed class IpArithmeticTests
{
    [Theory]
    [InlineData("192.168.0.0", "192.169.0.0", -1)] // H1
    [InlineData("192.169.0.0", "192.168.0.0", 1)] // H2
    [InlineData("192.168.0.0", "192.168.0.0", 0)] // H3
    [InlineData("2000::", "2000::1", -1)] // H4
    [InlineData("2000::1", "2000::", 1)]
    [InlineData("2000::1", "2000::1", 0)]
    [InlineData("2000::1", "2000:0:0:0:0:0:0:0001", 0)]
    public void CompareTo_SameFamily_OrdersByValue(string left, string right, int expected)
    {
        var a = Ip(left);
        var b = Ip(right);

        Assert.Equal(expected, Math.Sign(a.CompareTo(b)));
        Assert.Equal(expected < 0, a < b);
        Assert.Equal(expected > 0, a > b);
        Assert.Equal(expected <= 0, a <= b);
        Assert.Equal(expected >= 0, a >= b);
        Assert.Equal(expected == 0, a == b);
    }

    [Fact]
    public void CompareTo_MixedFamilies_NeverEqualAndV4First()
    {
        // H3 compares an IPv4 address with its 16-byte form. Dotted text always parses as IPv4 here, and the
        // IPv4-mapped IPv6 address is a different value of a different family: families never mix.
        var v4 = Ip("192.168.0.0");
        var mapped = Ip("::ffff:192.168.0.0");

        Assert.NotEqual(v4, mapped);
        Assert.True(v4 < mapped);
        Assert.True(Ip("255.255.255.255") < Ip("::"));
    }

    [Theory]
    [InlineData("192.168.255.100", true)] // H6
    [InlineData("192.169.0.0", true)]
    [InlineData("192.168.0.0", true)]
    [InlineData("192.169.255.100", false)] // H7
    [InlineData("192.169.0.1", false)]
    [InlineData("192.167.255.255", false)]
    public void IntervalContains_Ipv4_IsInclusive(string ip, bool expected)
    {
        var interval = new IpInterval(Ip("192.168.0.0").Value, Ip("192.169.0.0").Value);

        Assert.Equal(expected, interval.Contains(Ip(ip).Value));
    }

    [Theory]
    [InlineData("2001:db8:480:603d:304:403::", "2001:db8:480:603d::1", "2001:db8:480:603e::4", true)] // H8
    [InlineData("2000::", "2000::1", "2000:1::", false)] // H9
    [InlineData("2000:1::", "2000::1", "2000:1::", true)]
    public void IntervalContains_Ipv6_IsInclusive(string ip, string first, string last, bool expected)
    {
        Assert.Equal(expected, new IpInterval(Ip(first).Value, Ip(last).Value).Contains(Ip(ip).Value));
    }

    [Fact]
    public void TryParse_Invalid_HasNoAddress()
    {
        // H5: upstream passes a nil IP and expects an error; here an invalid address never becomes an Ip.
        Assert.False(Core.Net.Ip.TryParse("not-an-ip", out var ip));
        Assert.Equal(default, ip);
    }

    // H18 (IncIP) and H19 (DecIP, the inverse): each pair is one apart.
    [Theory]
    [InlineData("192.168.2.23", "192.168.2.24")]
    [InlineData("ff02::1", "ff02::2")]
    [InlineData("ff02::ff", "ff02::100")]
    [InlineData("192.168.2.255", "192.168.3.0")]
    [InlineData("192.168.255.255", "192.169.0.0")]
    [InlineData("ff02::ffff", "ff02::1:0")]
    [InlineData("ff02::ffff:ffff", "ff02::1:0:0")]
    [InlineData("::ffff:ffff:ffff:ffff", "0:0:0:1::")]
    [InlineData("0:0:0:ffff:ffff:ffff:ffff:ffff", "0:0:1::")]
    public void TryAdd_One_CarriesAcrossGroups(string before, string after)
    {
        Assert.True(Ip(before).TryAdd(1, out var next));
        Assert.Equal(Ip(after), next);
        Assert.Equal(UInt128.One, Ip(after).OffsetFrom(Ip(before)));
    }

    [Theory]
    [InlineData("255.255.255.255")]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    public void TryAdd_PastTheLastAddress_FailsInsteadOfWrapping(string last)
    {
        // Upstream's IncIP wraps to 0.0.0.0 / ::; an offset never wraps here, so iteration cannot loop.
        Assert.False(Ip(last).TryAdd(1, out _));
    }

    [Theory]
    [InlineData("192.168.1.1", "192.168.1.0", 1)] // H34
    [InlineData("192.168.4.0", "192.168.3.0", 256)] // H35
    [InlineData("192.168.2.255", "192.168.1.0", 511)]
    [InlineData("192.168.2.255", "192.168.2.1", 254)] // H36
    [InlineData("ff02::ff", "ff02::1", 254)]
    [InlineData("192.168.3.0", "192.168.2.1", 255)]
    [InlineData("ff02::100", "ff02::1", 255)]
    [InlineData("ff02::1:0", "ff02::1", 65535)]
    [InlineData("10.0.0.7", "10.0.0.7", 0)]
    public void OffsetFrom_SameFamily_IsTheDifference(string ip, string origin, long expected)
    {
        Assert.Equal((UInt128)expected, Ip(ip).OffsetFrom(Ip(origin)));
    }

    [Fact]
    public void OffsetFrom_OriginAfterAddress_Throws()
    {
        // Upstream's IPGetOffset returns the absolute difference; offsets here are always taken from a lower base.
        Assert.Throws<ArgumentOutOfRangeException>(() => Ip("192.168.1.0").OffsetFrom(Ip("192.168.1.1")));
    }

    [Theory]
    [InlineData("ff02::1", "192.168.3.0", "cannot calculate offset between IPv4 (192.168.3.0) and IPv6 (ff02::1)")] // H37
    [InlineData("192.168.3.0", "ff02::1", "cannot calculate offset between IPv6 (ff02::1) and IPv4 (192.168.3.0)")] // H38
    public void OffsetFrom_MixedFamilies_ThrowsNamingBoth(string ip, string origin, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => Ip(ip).OffsetFrom(Ip(origin)));

        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("192.168.1.1", "256", "192.168.2.1")] // H39
    [InlineData("2000::1", "65535", "2000::1:0")]
    [InlineData("0.0.0.0", "4294967295", "255.255.255.255")]

    // H40's byte-slice carries, on whole addresses.
    [InlineData("::1:1", "655370", "::b:b")]
    [InlineData("::ff:ff", "1", "::ff:100")]
    [InlineData("::ffff", "1", "::1:0")]

    // Offsets at and beyond 2^63 and 2^64 (upstream kept 64 bits and parsed them as int64).
    [InlineData("2001:db8::", "9223372036854775808", "2001:db8::8000:0:0:0")]
    [InlineData("2001:db8::", "18446744073709551615", "2001:db8::ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8::", "18446744073709551616", "2001:db8:0:1::")]
    [InlineData("::", "340282366920938463463374607431768211455", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    public void TryAdd_Offset_AddsAcrossTheWholeSpace(string ip, string offset, string expected)
    {
        var value = UInt128.Parse(offset, System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(Ip(ip).TryAdd(value, out var result));
        Assert.Equal(Ip(expected), result);
        Assert.Equal(value, result.OffsetFrom(Ip(ip)));
    }

    [Theory]
    [InlineData("255.255.255.254", "2")]
    [InlineData("0.0.0.1", "4294967295")]
    [InlineData("0.0.0.0", "4294967296")]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0", "16")]
    [InlineData("::1", "340282366920938463463374607431768211455")]
    public void TryAdd_Overflow_Fails(string ip, string offset)
    {
        var value = UInt128.Parse(offset, System.Globalization.CultureInfo.InvariantCulture);

        Assert.False(Ip(ip).TryAdd(value, out var result));
        Assert.Equal(default, result);
    }

    [Theory]
    [InlineData("192.168.1.1")]
    [InlineData("::")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    public void ToIPAddress_RoundTripsThroughSystemNet(string text)
    {
        var ip = Ip(text);

        var address = ip.ToIPAddress();

        Assert.Equal(ip, Core.Net.Ip.FromIPAddress(address));
        Assert.Equal(IPAddress.Parse(text), address);
    }
}
