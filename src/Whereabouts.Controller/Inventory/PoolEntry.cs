using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;

namespace Whereabouts.Controller.Inventory;

/// <summary>One allocation of a pool with the address its offset stands for.</summary>
/// <param name="Offset">The key in <c>spec.allocations</c>.</param>
/// <param name="Address">The address; null when the offset lies beyond the family's last address.</param>
/// <param name="Allocation">The entry: container id, podref, ifname.</param>
/// <param name="InWindow">True when the pool's window may hand out the address (inside range_start..range_end, not excluded, not the gateway).</param>
internal sealed record PoolEntry(UInt128 Offset, Ip? Address, PoolAllocation Allocation, bool InWindow);
