using Whereabouts.Core.Allocation;
using Whereabouts.Core.Tests.Support;
using static Whereabouts.Core.Tests.Support.Addr;

namespace Whereabouts.Core.Tests.Allocation;

public sealed class SliceWindowTests
{
    [Theory]
    [InlineData("10.0.0.0/24", null, null, "10.0.0.64/26", "10.0.0.65", "10.0.0.126", 62)]
    [InlineData("10.0.0.0/24", "10.0.0.100", null, "10.0.0.64/26", "10.0.0.100", "10.0.0.126", 27)]
    [InlineData("10.0.0.0/24", null, "10.0.0.70", "10.0.0.64/26", "10.0.0.65", "10.0.0.70", 6)]
    [InlineData("10.0.0.0/24", null, null, "10.0.0.0/24", "10.0.0.1", "10.0.0.254", 254)]
    [InlineData("fd00::/120", null, null, "fd00::40/122", "fd00::41", "fd00::7e", 62)]
    [InlineData("fd00::/120", "fd00::50", "fd00::60", "fd00::40/122", "fd00::50", "fd00::60", 17)]
    public void Create_WithSlice_WindowIsTheSlicesUsableAddressesInsideTheRangeWindow(
        string subnet, string? start, string? end, string slice, string first, string last, int free)
    {
        var range = AllocationRange.Create(Ranges.Config(subnet, start, end) with { Slice = new NodeSlice("n1", Cidr(slice)) }, null);

        Assert.Equal(Ip(first), range.First);
        Assert.Equal(Ip(last), range.Last);
        Assert.Equal((UInt128)free, range.FreeCount);
        Assert.Equal(Cidr(subnet).Masked, range.Subnet);
    }

    [Fact]
    public void Create_WithSlice_ExcludesAndGatewayInsideTheSliceAreBlocked()
    {
        var config = Ranges.Config("10.0.0.0/24", exclude: ["10.0.0.64/30", "10.0.0.0/26"]) with { Slice = new NodeSlice("n1", Cidr("10.0.0.64/26")) };

        var range = AllocationRange.Create(config, Ip("10.0.0.70"));

        Assert.False(range.Allows(Ip("10.0.0.65")));
        Assert.False(range.Allows(Ip("10.0.0.70")));
        Assert.True(range.Allows(Ip("10.0.0.68")));
        Assert.False(range.Allows(Ip("10.0.0.10")));
        Assert.Equal((UInt128)(62 - 3 - 1), range.FreeCount);
        Assert.Contains("in slice 10.0.0.64/26 of node n1", range.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.200", null)]
    [InlineData(null, "10.0.0.20")]
    public void Create_RangeBoundsOutsideTheSlice_NothingToHandOut(string? start, string? end)
    {
        var config = Ranges.Config("10.0.0.0/24", start, end) with { Slice = new NodeSlice("n1", Cidr("10.0.0.64/26")) };

        Assert.Equal(UInt128.Zero, AllocationRange.Create(config, null).FreeCount);
    }

    [Fact]
    public void Create_HandMadeSliceWithoutUsableAddresses_NothingToHandOut()
    {
        var config = Ranges.Config("10.0.0.0/24") with { Slice = new NodeSlice("n1", Cidr("10.0.0.64/31")) };

        Assert.Equal(UInt128.Zero, AllocationRange.Create(config, null).FreeCount);
    }

    [Theory]
    [InlineData("10.0.1.0/26")]
    [InlineData("10.0.0.0/23")]
    [InlineData("fd00::/122")]
    public void Create_SliceOutsideTheRange_Rejected(string slice)
    {
        var config = Ranges.Config("10.0.0.0/24") with { Slice = new NodeSlice("n1", Cidr(slice)) };

        Assert.Throws<ArgumentException>(() => AllocationRange.Create(config, null));
    }
}
