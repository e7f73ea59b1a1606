using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;

namespace Whereabouts.Ipam.Stores;

/// <summary>A pool as read at one version. Writes are accepted only against the version they were read at.</summary>
/// <param name="Key">The pool.</param>
/// <param name="Base">The address offsets count from: the address of the stored <c>spec.range</c> (not masked, as upstream).</param>
/// <param name="Version">The store's version token (a resourceVersion for Kubernetes).</param>
/// <param name="Allocations">Allocations by offset.</param>
public sealed record PoolSnapshot(PoolKey Key, Ip Base, string Version, IReadOnlyDictionary<UInt128, PoolAllocation> Allocations)
{
    /// <summary>Allocation keys that could not be read as offsets; kept as they are, never handed out again.</summary>
    public IReadOnlyList<string> UnreadableKeys { get; init; } = [];
}
