using Whereabouts.Core.Tests.Support;
using static Whereabouts.Core.Tests.Support.Addr;

namespace Whereabouts.Core.Tests.Config;

/// <summary>Range forms and bounds: upstream §2.3 and §4.1, and the host-local range rules (cni-contract §5.5).</summary>
public sealed class ConfigRangeTests
{
    [Theory]
    [InlineData("192.168.10.1/24", "192.168.10.0/24")]
    [InlineData("192.0.2.12/24", "192.0.2.0/24")]
    [InlineData("192.168.127.0/23", "192.168.126.0/23")]
    [InlineData("2001:DB8:1::24:19ff:fee1:c44a/64", "2001:db8:1::/64")]
    [InlineData("2001:DB8:24:19ff::/63", "2001:db8:24:19fe::/63")]
    [InlineData("192.168.0.0/30", "192.168.0.0/30")]
    [InlineData("2001::/126", "2001::/126")]
    public void Read_CidrWithHostBits_DropsThem(string range, string subnet)
    {
        // host-local rejects host bits (rows 25–28); upstream whereabouts, and so this reader, drops them.
        var config = Configs.Valid($"\"range\": \"{range}\"");

        Assert.Equal(Cidr(subnet), Assert.Single(config.Ranges).Subnet);
        Assert.Empty(Configs.ReadIpam($"\"range\": \"{range}\"").Issues);
    }

    [Theory]
    [InlineData("192.0.2.0/31", "/30")]
    [InlineData("192.0.2.0/32", "/30")]
    [InlineData("2001:db8::/127", "/126")]
    [InlineData("2001:db8::/128", "/126")]
    [InlineData("192.0.2.1-192.0.2.1/32", "/30")]
    public void Read_PrefixWithoutUsableAddresses_FailsWithAClearMessage(string range, string max)
    {
        var error = Configs.SingleError(Configs.ReadIpam($"\"range\": \"{range}\""));

        Assert.Equal("range", error.Key);
        Assert.Contains("has no usable addresses", error.Message, StringComparison.Ordinal);
        Assert.Contains($"prefix must be {max} or shorter", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0")]
    [InlineData("not-a-range")]
    [InlineData("10.0.0.0/24/24")]
    [InlineData("fe80::/64%eth0")]
    public void Read_UnparsableRange_FailsNamingTheKey(string range)
    {
        var error = Configs.SingleError(Configs.ReadIpam($"\"range\": \"{range}\""));

        Assert.Equal("range", error.Key);
    }

    [Theory]
    [InlineData("x-10.0.0.5/24", "invalid range start IP: x")]
    [InlineData("10.0.0.1-10.0.0.5", "invalid CIDR '10.0.0.5' in range '10.0.0.1-10.0.0.5'")]
    [InlineData("10.0.0.1-10.0.0.5/33", "invalid CIDR '10.0.0.5/33'")]
    [InlineData("10.0.0.1-2001::5/64", "invalid range start for CIDR 2001::/64: 10.0.0.1")]
    public void Read_BrokenDashForm_FailsNamingThePart(string range, string message)
    {
        var error = Configs.SingleError(Configs.ReadIpam($"\"range\": \"{range}\""));

        Assert.Equal("range", error.Key);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DashFormWithExplicitBounds_DashWinsWithAWarning()
    {
        var result = Configs.ReadIpam("""
            "range": "192.168.1.5-192.168.1.25/24", "range_start": "192.168.1.100", "range_end": "192.168.1.200"
            """);

        var range = Assert.Single(result.Config!.Ranges);
        Assert.Equal(Ip("192.168.1.5"), range.RangeStart);
        Assert.Equal(Ip("192.168.1.25"), range.RangeEnd);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("range", warning.Key);
    }

    [Fact]
    public void Read_DashFormEndBeforeStart_IgnoresTheEndWithAWarning()
    {
        // Upstream keeps an inverted dash range; its allocator then ignores the end, as this reader does up front.
        var result = Configs.ReadIpam("\"range\": \"192.168.1.25-192.168.1.5/24\"");

        var range = Assert.Single(result.Config!.Ranges);
        Assert.Equal(Ip("192.168.1.25"), range.RangeStart);
        Assert.Null(range.RangeEnd);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("range", warning.Key);
        Assert.Contains("lies before the range's start 192.168.1.25", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"range_start\": \"192.168.3.1\"", "range_start", true, false)]
    [InlineData("\"range_start\": \"192.168.2.0\"", "range_start", true, false)] // the network address
    [InlineData("\"range_start\": \"192.168.2.255\"", "range_start", true, false)] // the all-ones address
    [InlineData("\"range_start\": \"2001::1\"", "range_start", true, false)] // the other family
    [InlineData("\"range_end\": \"192.168.3.100\"", "range_end", false, true)]
    [InlineData("\"range_end\": \"192.168.2.255\"", "range_end", false, true)]
    [InlineData("\"range_start\": \"192.168.2.100\", \"range_end\": \"192.168.2.50\"", "range_end", false, true)]
    public void Read_BoundOutsideTheWindow_IgnoredWithAWarningNamingTheKey(string bounds, string key, bool startIgnored, bool endIgnored)
    {
        var result = Configs.ReadIpam("\"range\": \"192.168.2.0/24\", " + bounds);

        var range = Assert.Single(result.Config!.Ranges);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(key, warning.Key);
        Assert.Contains("ignored", warning.Message, StringComparison.Ordinal);
        if (startIgnored)
        {
            Assert.Null(range.RangeStart);
        }

        if (endIgnored)
        {
            Assert.Null(range.RangeEnd);
        }
    }

    [Fact]
    public void Read_StartEqualsEnd_KeepsASingleAddressWindow()
    {
        var result = Configs.ReadIpam("\"range\": \"192.168.2.0/24\", \"range_start\": \"192.168.2.50\", \"range_end\": \"192.168.2.50\"");

        var range = Assert.Single(result.Config!.Ranges);
        Assert.Equal(Ip("192.168.2.50"), range.RangeStart);
        Assert.Equal(Ip("192.168.2.50"), range.RangeEnd);
        Assert.Empty(result.Issues);
    }

    [Fact]
    public void Read_UnparsableTopLevelBound_IgnoredWithAWarning()
    {
        // Upstream silently turns an unparsable top-level range_start into nil.
        var result = Configs.ReadIpam("\"range\": \"10.0.0.0/24\", \"range_start\": \"10.0.0.300\"");

        Assert.Null(Assert.Single(result.Config!.Ranges).RangeStart);
        Assert.Equal("range_start", Assert.Single(result.Warnings).Key);
    }

    [Fact]
    public void Read_UnparsableIpRangesBound_Fails()
    {
        // Inside ipRanges upstream's strict net.IP decoding fails the whole configuration.
        var result = Configs.ReadIpam("""
            "ipRanges": [{ "range": "10.0.0.0/24", "range_end": "nope" }]
            """);

        Assert.Equal("ipRanges[0].range_end", Configs.SingleError(result).Key);
    }

    [Fact]
    public void Read_IpRangesBoundsOutsideTheWindow_WarningsNameTheEntry()
    {
        var result = Configs.ReadIpam("""
            "ipRanges": [
              { "range": "10.0.0.0/24" },
              { "range": "2001:db8::/64", "range_start": "2001:db9::1", "range_end": "2001:db8::" }
            ]
            """);

        Assert.Equal(["ipRanges[1].range_start", "ipRanges[1].range_end"], result.Warnings.Select(w => w.Key));
    }

    [Fact]
    public void Read_LegacyRangeAndIpRanges_LegacyComesFirst()
    {
        var config = Configs.Valid("""
            "ipRanges": [
              { "range": "2001:db8::/64", "range_start": "2001:db8::10", "range_end": "2001:db8::20", "exclude": ["2001:db8::10/126"] },
              { "range": "10.1.0.0/16" }
            ],
            "range": "10.0.0.0/24",
            "range_start": "10.0.0.5",
            "exclude": ["10.0.0.8/29"]
            """);

        Assert.Equal(
            [("range", "10.0.0.0/24"), ("ipRanges[0]", "2001:db8::/64"), ("ipRanges[1]", "10.1.0.0/16")],
            config.Ranges.Select(r => (r.Key, r.Subnet.ToString())));
        Assert.Equal(Ip("10.0.0.5"), config.Ranges[0].RangeStart);
        Assert.Equal([Cidr("10.0.0.8/29")], config.Ranges[0].Excludes);
        Assert.Equal(Ip("2001:db8::10"), config.Ranges[1].RangeStart);
        Assert.Equal(Ip("2001:db8::20"), config.Ranges[1].RangeEnd);
        Assert.Equal([Cidr("2001:db8::10/126")], config.Ranges[1].Excludes);
        Assert.Empty(config.Ranges[2].Excludes);
    }

    [Fact]
    public void Read_IpRangesEntryWithoutRange_FailsNamingTheEntry()
    {
        var result = Configs.ReadIpam("""
            "ipRanges": [{ "range": "10.0.0.0/24" }, { "range_start": "10.0.0.5" }]
            """);

        var error = Configs.SingleError(result);
        Assert.Equal("ipRanges[1].range", error.Key);
        Assert.Equal("is required", error.Message);
    }

    [Fact]
    public void Read_BoundsWithoutTopLevelRange_IgnoredWithAWarning()
    {
        var result = Configs.ReadIpam("""
            "ipRanges": [{ "range": "10.0.0.0/24" }], "range_start": "10.0.0.5", "exclude": ["10.0.0.0/28"]
            """);

        Assert.Null(Assert.Single(result.Config!.Ranges).RangeStart);
        Assert.Empty(result.Config.Ranges[0].Excludes);
        Assert.Equal("range_start", Assert.Single(result.Warnings).Key);
    }

    [Fact]
    public void Read_Excludes_BareAddressesBecomeSingleAddressPrefixes()
    {
        var config = Configs.Valid("""
            "ipRanges": [
              { "range": "10.0.0.0/24", "exclude": ["10.0.0.1", "010.000.000.016/28", "10.0.0.0/8"] },
              { "range": "2001:db8::/64", "exclude": ["2001:db8::1", "2001:db8::/120"] }
            ]
            """);

        Assert.Equal([Cidr("10.0.0.1/32"), Cidr("10.0.0.16/28"), Cidr("10.0.0.0/8")], config.Ranges[0].Excludes);
        Assert.Equal([Cidr("2001:db8::1/128"), Cidr("2001:db8::/120")], config.Ranges[1].Excludes);
    }

    [Fact]
    public void Read_ExcludeOfTheOtherFamily_IgnoredWithAWarning()
    {
        var result = Configs.ReadIpam("""
            "range": "10.0.0.0/24", "exclude": ["10.0.0.0/28", "2001:db8::/64"]
            """);

        Assert.Equal([Cidr("10.0.0.0/28")], Assert.Single(result.Config!.Ranges).Excludes);
        Assert.Equal("exclude[1]", Assert.Single(result.Warnings).Key);
    }

    [Fact]
    public void Read_DualStackIpRanges_ReadsBothFamilies()
    {
        var config = Configs.Valid("""
            "ipRanges": [
              { "range": "192.168.10.0/24", "range_start": "192.168.10.10" },
              { "range": "fd00:10::/64", "range_end": "fd00:10::ff" }
            ]
            """);

        Assert.Equal(Ip("192.168.10.10"), config.Ranges[0].RangeStart);
        Assert.Equal(Ip("fd00:10::ff"), config.Ranges[1].RangeEnd);
    }
}
