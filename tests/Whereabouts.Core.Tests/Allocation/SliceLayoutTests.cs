using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using static Whereabouts.Core.Tests.Support.Addr;

namespace Whereabouts.Core.Tests.Allocation;

public sealed class SliceLayoutTests
{
    [Theory]
    [InlineData("10.0.0.0/24", 26, new[] { "10.0.0.0/26", "10.0.0.64/26", "10.0.0.128/26", "10.0.0.192/26" })]
    [InlineData("10.0.0.0/24", 24, new[] { "10.0.0.0/24" })]
    [InlineData("10.0.0.0/24", 30, null)]
    [InlineData("192.168.0.0/16", 22, null)]
    [InlineData("fd00::/64", 66, new[] { "fd00::/66", "fd00::4000:0:0:0/66", "fd00::8000:0:0:0/66", "fd00::c000:0:0:0/66" })]
    [InlineData("fd00:1::/120", 122, new[] { "fd00:1::/122", "fd00:1::40/122", "fd00:1::80/122", "fd00:1::c0/122" })]
    [InlineData("::/0", 13, null)]
    [InlineData("0.0.0.0/0", 13, null)]
    public void Divide_ValidLayout_ConsecutiveSlicesFromTheNetworkAddress(string range, int size, string[]? expected)
    {
        var slices = SliceLayout.Divide(Cidr(range), size);

        Assert.Equal(SliceLayout.Count(Cidr(range), size), slices.Count);
        Assert.Equal(Cidr(range).Network, slices[0].Network);
        Assert.Equal(Cidr(range).Last, slices[^1].Last);
        if (expected is not null)
        {
            Assert.Equal(expected, slices.Select(static s => s.ToString()));
        }
    }

    [Theory]
    [InlineData("10.0.0.0/24", 23, "slices of /23 are larger than the range 10.0.0.0/24")]
    [InlineData("10.0.0.0/24", 31, "slices of /31 have no usable address")]
    [InlineData("10.0.0.0/24", 32, "slices of /32 have no usable address")]
    [InlineData("10.0.0.0/24", 33, "/33 is not a prefix length of an IPv4 range")]
    [InlineData("fd00::/64", 127, "slices of /127 have no usable address")]
    [InlineData("fd00::/64", 128, "slices of /128 have no usable address")]
    [InlineData("fd00::/64", 78, "fd00::/64 cut into /78 gives 2^14 slices, more than the 8192 one NodeSlicePool can hold: use /77 or shorter")]
    [InlineData("10.0.0.0/8", 30, "10.0.0.0/8 cut into /30 gives 2^22 slices")]
    public void Problem_InvalidLayout_SaysWhy(string range, int size, string message)
    {
        Assert.StartsWith(message, SliceLayout.Problem(Cidr(range), size), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SliceLayout.Divide(Cidr(range), size));
    }

    [Theory]
    [InlineData("/22", 22)]
    [InlineData("22", 22)]
    [InlineData("/0", 0)]
    [InlineData("/128", 128)]
    public void TryParseSize_UpstreamSpellings_Parsed(string text, int prefix)
    {
        Assert.True(SliceLayout.TryParseSize(text, out var parsed));
        Assert.Equal(prefix, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("//22")]
    [InlineData("/129")]
    [InlineData("-1")]
    [InlineData("+22")]
    [InlineData(" 22")]
    [InlineData("/22.5")]
    public void TryParseSize_Other_Rejected(string text)
    {
        Assert.False(SliceLayout.TryParseSize(text, out _));
    }

    [Fact]
    public void Divide_MaximumSliceCount_IsAllowed()
    {
        Assert.Null(SliceLayout.Problem(Cidr("fd00::/64"), 77));
        Assert.Equal(SliceLayout.MaxSlices, SliceLayout.Divide(Cidr("fd00::/64"), 77).Count);
    }

    [Fact]
    public void Divide_IPv4AtTheTopOfTheSpace_DoesNotOverflow()
    {
        var slices = SliceLayout.Divide(Cidr("255.255.255.0/24"), 25);

        Assert.Equal([Cidr("255.255.255.0/25"), Cidr("255.255.255.128/25")], slices);
        Assert.All(slices, static s => Assert.Equal(IpFamily.V4, s.Family));
    }
}
