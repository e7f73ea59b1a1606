using CsCheck;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Config;
using Whereabouts.Core.Net;
using Whereabouts.Core.Tests.Support;

namespace Whereabouts.Core.Tests.Properties;

public sealed class SliceProperties
{
    /// <summary>A valid layout of either family: a range and a slice size that leaves usable addresses and fits.</summary>
    private static readonly Gen<(Cidr Range, int Size)> Layout =
        Gen.OneOf(
            Gen.Select(Gens.V4, Gen.Int[0, 30], (ip, prefix) => new Cidr(ip, prefix).Masked),
            Gen.Select(Gens.V6, Gen.Int[0, 126], (ip, prefix) => new Cidr(ip, prefix).Masked))
        .SelectMany(range => Gen.Int[range.PrefixLength, Math.Min(range.PrefixLength + 13, UsableWindow.MaxUsablePrefix(range.Family))]
            .Select(size => (range, size)));

    /// <summary>A small IPv4 range with bounds and excludes, cut into slices, so that every address can be checked.</summary>
    private static readonly Gen<(RangeConfig Config, int Size)> SmallSliced =
        Gen.Select(Gens.V4, Gen.Int[22, 28], (ip, prefix) => new Cidr(ip, prefix).Masked)
            .SelectMany(subnet => Gen.Select(
                Gen.Int[subnet.PrefixLength, 30],
                Gen.UInt128[0, subnet.HostMask].Array[0, 2],
                Gen.Select(Gen.UInt128[0, subnet.HostMask], Gen.Int[subnet.PrefixLength, 32]).Array[0, 3],
                (size, bounds, excludes) => (new RangeConfig(
                    subnet,
                    bounds.Length > 0 ? subnet.Network with { Value = subnet.Network.Value + bounds.Min() } : null,
                    bounds.Length > 1 ? subnet.Network with { Value = subnet.Network.Value + bounds.Max() } : null,
                    [.. excludes.Select(e => new Cidr(subnet.Network with { Value = subnet.Network.Value + e.Item1 }, e.Item2))],
                    "range"), size)));

    [Fact]
    public void Divide_SlicesAreDisjointCoverTheRangeAndLieInIt()
    {
        Layout.Sample(
            layout =>
            {
                var slices = SliceLayout.Divide(layout.Range, layout.Size);

                Assert.Equal(layout.Range.Network, slices[0].Network);
                Assert.Equal(layout.Range.Last, slices[^1].Last);
                for (var i = 0; i < slices.Count; i++)
                {
                    Assert.Equal(layout.Size, slices[i].PrefixLength);
                    Assert.Equal(slices[i], slices[i].Masked);
                    Assert.True(layout.Range.Contains(slices[i].Network) && layout.Range.Contains(slices[i].Last));
                    if (i > 0)
                    {
                        Assert.Equal(slices[i - 1].Last.Value + 1, slices[i].Network.Value);
                    }
                }
            },
            iter: 2000);
    }

    [Fact]
    public void SliceWindow_HandsOutExactlyTheRangesAddressesInsideTheSlicesUsableWindow()
    {
        SmallSliced.Sample(
            sample =>
            {
                var whole = AllocationRange.Create(sample.Config, null);
                foreach (var slice in SliceLayout.Divide(sample.Config.Subnet, sample.Size))
                {
                    var sliced = AllocationRange.Create(sample.Config with { Slice = new NodeSlice("n", slice) }, null);
                    var usable = UsableWindow.Full(slice);
                    UInt128 allowed = 0;
                    for (var v = sample.Config.Subnet.Network.Value; v <= sample.Config.Subnet.Last.Value; v++)
                    {
                        var ip = sample.Config.Subnet.Network with { Value = v };
                        var expected = whole.Allows(ip) && usable.Contains(v);
                        Assert.Equal(expected, sliced.Allows(ip));
                        allowed += expected ? UInt128.One : UInt128.Zero;
                    }

                    Assert.Equal(allowed, sliced.FreeCount);
                }
            },
            iter: 300);
    }

    [Fact]
    public void SliceWindow_LargeRanges_FreeAddressesStayInsideTheRangeAndTheSlice()
    {
        Layout.Sample(
            layout =>
            {
                var slices = SliceLayout.Divide(layout.Range, layout.Size);
                var slice = slices[slices.Count / 2];
                var config = new RangeConfig(layout.Range, null, null, [], "range") { Slice = new NodeSlice("n", slice) };
                var range = AllocationRange.Create(config, null);
                var usable = UsableWindow.Full(slice);
                var whole = UsableWindow.Full(layout.Range);

                Assert.True(range.FreeCount > 0);
                foreach (var rank in new[] { UInt128.Zero, range.FreeCount / 2, range.FreeCount - 1 })
                {
                    var v = range.AddressOfRank(rank);
                    Assert.True(usable.Contains(v) && whole.Contains(v));
                }
            },
            iter: 2000);
    }
}
