using Whereabouts.Core.Allocation;
using Whereabouts.Core.Config;
using Whereabouts.Core.Net;

namespace Whereabouts.Core.Tests.Allocation;

/// <summary>
/// <see cref="Allocator.FindFree(AllocationRange, ReadOnlySpan{UInt128}, int, UInt128)"/> passes over the lowest free
/// addresses, for writers that keep colliding, and starts where it is told (node agents sharing one pool).
/// </summary>
public sealed class AllocatorSkipTests
{
    private static readonly AllocationRange Range = AllocationRange.Create(
        new RangeConfig(Cidr.Parse("10.0.0.0/28"), null, null, [Cidr.Parse("10.0.0.4/31")], "range"), Ip.Parse("10.0.0.1"));

    [Theory]
    [InlineData(0, "10.0.0.3")]
    [InlineData(1, "10.0.0.6")]
    [InlineData(2, "10.0.0.8")]
    [InlineData(5, "10.0.0.12")]
    [InlineData(7, "10.0.0.14")]
    [InlineData(50, "10.0.0.14")]
    public void FindFree_SkipsFreeAddressesInOrder_LastFreeWhenFewer(int skip, string expected)
    {
        // Free: .3 .6 .8 .9 .10 .12 .13 .14 (.1 gateway, .2 .7 .11 reserved, .4-.5 excluded).
        UInt128[] reserved = [Ip.Parse("10.0.0.2").Value, Ip.Parse("10.0.0.7").Value, Ip.Parse("10.0.0.11").Value];

        Assert.Equal(Ip.Parse(expected), Allocator.FindFree(Range, reserved, skip));
    }

    /// <summary>Usable ranks: .2 .3 .6 .7 .8 .9 .10 .11 .12 .13 .14 (0 to 10); .2 .7 .11 reserved.</summary>
    [Theory]
    [InlineData(0, 0, "10.0.0.3")]
    [InlineData(3, 0, "10.0.0.8")]
    [InlineData(4, 0, "10.0.0.8")]
    [InlineData(5, 0, "10.0.0.9")]
    [InlineData(7, 0, "10.0.0.12")]
    [InlineData(10, 0, "10.0.0.14")]
    [InlineData(10, 1, "10.0.0.3")]
    [InlineData(9, 2, "10.0.0.3")]
    [InlineData(11, 0, "10.0.0.3")]
    [InlineData(4, 50, "10.0.0.6")]
    public void FindFree_FromAStart_FirstFreeAtOrAfterItWrappingAround(int start, int skip, string expected)
    {
        UInt128[] reserved = [Ip.Parse("10.0.0.2").Value, Ip.Parse("10.0.0.7").Value, Ip.Parse("10.0.0.11").Value];

        Assert.Equal(Ip.Parse(expected), Allocator.FindFree(Range, reserved, skip, (UInt128)start));
    }

    [Fact]
    public void FindFree_NothingFree_Null()
    {
        var reserved = Enumerable.Range(2, 13).Select(i => Ip.Parse($"10.0.0.{i}").Value).ToArray();

        Assert.Null(Allocator.FindFree(Range, reserved, 3));
    }
}
