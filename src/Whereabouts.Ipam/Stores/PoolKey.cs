using Whereabouts.Core.Config;
using Whereabouts.Core.Naming;
using Whereabouts.Core.Net;

namespace Whereabouts.Ipam.Stores;

/// <summary>Identifies one pool: its object name and the range it was created for.</summary>
/// <param name="Name">The IPPool name (see <see cref="ObjectNames.IpPool"/>).</param>
/// <param name="Range">The range written into a new pool's <c>spec.range</c>.</param>
public sealed record PoolKey(string Name, Cidr Range)
{
    public static PoolKey For(Cidr range, string? networkName) => new(ObjectNames.IpPool(range, networkName), range.Masked);

    /// <summary>The pool of a range: the node's slice pool (upstream's <c>[network-]node-slice</c> name) when the range carries a slice.</summary>
    public static PoolKey ForRange(RangeConfig range, string? networkName)
    {
        ArgumentNullException.ThrowIfNull(range);
        return range.Slice is { } slice
            ? new(ObjectNames.IpPool(slice.Range.Masked, networkName, slice.NodeName), slice.Range.Masked)
            : For(range.Subnet, networkName);
    }

    public override string ToString() => Name;
}
