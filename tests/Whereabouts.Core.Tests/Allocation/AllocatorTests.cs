using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Core.Tests.Support;
using static Whereabouts.Core.Tests.Support.Addr;

namespace Whereabouts.Core.Tests.Allocation;

public sealed class AllocatorTests
{
    [Fact]
    public void FindLowestFree_ReservedOutsideRangeOrOtherFamily_Ignored()
    {
        var range = Ranges.Of("10.0.0.0/29");

        var chosen = Allocator.FindLowestFree(range, Ips("10.0.0.0", "10.0.0.7", "10.0.1.1", "::1", "::ffff:10.0.0.1"));

        Assert.Equal(Ip("10.0.0.1"), chosen);
    }

    [Fact]
    public void FindLowestFree_DuplicateAndExcludedReservations_CountOnce()
    {
        var range = Ranges.Of("10.0.0.0/29", exclude: ["10.0.0.2"]);

        var chosen = Allocator.FindLowestFree(range, Ips("10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.2", "10.0.0.3", "10.0.0.3"));

        Assert.Equal(Ip("10.0.0.4"), chosen);
    }

    [Fact]
    public void FindLowestFree_MoreReservationsThanFreeAddresses_ReportsFullWhenFull()
    {
        var range = Ranges.Of("10.0.0.0/30");

        Assert.Null(Allocator.FindLowestFree(range, Ips("10.0.0.2", "10.0.0.1", "10.0.0.2", "10.0.0.1", "10.0.0.1")));
        Assert.Equal(Ip("10.0.0.2"), Allocator.FindLowestFree(range, Ips("10.0.0.1", "10.0.0.1", "10.0.0.1")));
    }

    [Fact]
    public void FindLowestFree_ValueSpan_MatchesEnumerableOverload()
    {
        var range = Ranges.Of("2001:db8::/120", exclude: ["2001:db8::/126"]);
        ReadOnlySpan<UInt128> reserved = [Ip("2001:db8::4").Value, Ip("2001:db8::5").Value];

        Assert.Equal(Ip("2001:db8::6"), Allocator.FindLowestFree(range, reserved));
        Assert.Equal(Ip("2001:db8::6"), Allocator.FindLowestFree(range, Ips("2001:db8::4", "2001:db8::5")));
    }

    [Fact]
    public void FindLowestFree_Ipv6SlashFortyEightWithOnlyTheLastFree_ReturnsTheLastUsableAddress()
    {
        // Excludes /49, /50, … /127 cover everything from the network address up to two before the all-ones address.
        var subnet = Cidr("2001:db8:1234::/48");
        var excludes = new List<string>();
        var cursor = subnet.Network;
        for (var prefix = 49; prefix <= 127; prefix++)
        {
            excludes.Add($"{cursor}/{prefix}");
            Assert.True(cursor.TryAdd(UInt128.One << (128 - prefix), out cursor));
        }

        var range = Ranges.Of("2001:db8:1234::/48", exclude: [.. excludes]);

        Assert.Equal(UInt128.One, range.FreeCount);
        Assert.Equal(Ip("2001:db8:1234:ffff:ffff:ffff:ffff:fffe"), Allocator.FindLowestFree(range, Ips("2001:db8:1234::1")));
        Assert.Null(Allocator.FindLowestFree(range, Ips("2001:db8:1234:ffff:ffff:ffff:ffff:fffe")));
    }

    // Upstream issue 315 (§10): jumping to the end of an exclude could step past range_end or the subnet.
    [Theory]
    [InlineData("192.168.0.0/29", null, "192.168.0.4", "192.168.0.0/30", "", "192.168.0.4")]
    [InlineData("192.168.0.0/29", null, "192.168.0.3", "192.168.0.0/30", "", null)]
    [InlineData("192.168.0.0/29", null, null, "192.168.0.4/30", "192.168.0.1,192.168.0.2,192.168.0.3", null)]
    [InlineData("192.168.0.0/29", null, null, "192.168.0.0/16", "", null)]
    [InlineData("192.168.0.0/28", "192.168.0.1", "192.168.0.6", "192.168.0.4/30", "192.168.0.1,192.168.0.2,192.168.0.3", null)]
    [InlineData("2001:db8::/64", null, "2001:db8::ff", "2001:db8::/120", "", null)]
    [InlineData("2001:db8::/64", null, null, "2001:db8::/63", "", null)]
    [InlineData("2001:db8::/64", null, null, "2001:db8::/65", "", "2001:db8::8000:0:0:0")]
    public void FindLowestFree_ExcludeReachingPastTheWindow_NeverLeavesIt(
        string subnet, string? start, string? end, string exclude, string reserved, string? expected)
    {
        var range = Ranges.Of(subnet, start, end, [exclude]);

        var chosen = Allocator.FindLowestFree(range, Ips(reserved.Split(',', StringSplitOptions.RemoveEmptyEntries)));

        Assert.Equal(expected is null ? null : Ip(expected), chosen);
        if (chosen is { } ip)
        {
            Assert.True(range.Allows(ip));
        }
    }

    // Upstream §10.8: offsets at and above 2^63 could not be stored, so only the first /65 of a /64 was usable.
    [Theory]
    [InlineData("2001:db8::/64", "2001:db8::8000:0:0:0", "9223372036854775808")]
    [InlineData("2001:db8::/64", "2001:db8::ffff:ffff:ffff:fff0", "18446744073709551600")]
    [InlineData("2001:db8::/48", "2001:db8:0:1::", "18446744073709551616")]
    [InlineData("2001:db8::/48", "2001:db8:0:ffff:ffff:ffff:ffff:fff0", "1208925819614629174706160")]
    public void FindLowestFree_HighOffsets_AllocateAndRoundTrip(string subnet, string start, string offset)
    {
        var range = Ranges.Of(subnet, start);
        var network = Cidr(subnet).Network;

        var chosen = Allocator.FindLowestFree(range, Ips());

        Assert.Equal(Ip(start), chosen);
        var expectedOffset = UInt128.Parse(offset, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expectedOffset, chosen!.Value.OffsetFrom(network));
        Assert.Equal(chosen, PoolPlanner.AddressOf(network, expectedOffset));
    }

    [Fact]
    public void FindLowestFree_HighOffsetReserved_SkipsToTheNext()
    {
        var range = Ranges.Of("2001:db8::/64", "2001:db8::8000:0:0:0");

        var chosen = Allocator.FindLowestFree(range, Ips("2001:db8::8000:0:0:0", "2001:db8::8000:0:0:1"));

        Assert.Equal(Ip("2001:db8::8000:0:0:2"), chosen);
        Assert.Equal(IpFamily.V6, chosen!.Value.Family);
    }
}
