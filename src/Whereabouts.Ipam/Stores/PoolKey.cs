using Whereabouts.Core.Naming;
using Whereabouts.Core.Net;

namespace Whereabouts.Ipam.Stores;

/// <summary>Identifies one pool: its object name and the range it was created for.</summary>
/// <param name="Name">The IPPool name (see <see cref="ObjectNames.IpPool"/>).</param>
/// <param name="Range">The range written into a new pool's <c>spec.range</c>.</param>
public sealed record PoolKey(string Name, Cidr Range)
{
    public static PoolKey For(Cidr range, string? networkName) => new(ObjectNames.IpPool(range, networkName), range.Masked);

    public override string ToString() => Name;
}
