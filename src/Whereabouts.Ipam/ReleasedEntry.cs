using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;

namespace Whereabouts.Ipam;

/// <summary>A pool entry a release removed.</summary>
/// <param name="Offset">Its key in the pool.</param>
/// <param name="Address">The address it held.</param>
/// <param name="Allocation">Its owner as it was when removed.</param>
public sealed record ReleasedEntry(UInt128 Offset, Ip Address, PoolAllocation Allocation);
