using Whereabouts.Core.Net;

namespace Whereabouts.Core.Config;

/// <summary>One range to allocate from, normalized: the subnet with host bits dropped, and only the start, end and
/// excludes that apply (settings upstream ignores were dropped with a warning by the reader).</summary>
/// <param name="Subnet">The masked subnet.</param>
/// <param name="RangeStart">First address to hand out, when narrowed.</param>
/// <param name="RangeEnd">Last address to hand out, when narrowed.</param>
/// <param name="Excludes">Excluded prefixes of the subnet's family (a bare IP is a /32 or /128).</param>
/// <param name="Key">The configuration key the range came from (<c>range</c> or <c>ipRanges[i]</c>), for messages.</param>
public sealed record RangeConfig(Cidr Subnet, Ip? RangeStart, Ip? RangeEnd, IReadOnlyList<Cidr> Excludes, string Key)
{
    /// <summary>
    /// In node-slice mode, this node's slice of <see cref="Subnet"/>: addresses come only from the slice's usable
    /// window (narrowed further by the start, end, excludes and gateway), and are kept in the slice's own pool. The
    /// subnet, and so the prefix handed to the container, stays the whole range's.
    /// </summary>
    public Allocation.NodeSlice? Slice { get; init; }
}
