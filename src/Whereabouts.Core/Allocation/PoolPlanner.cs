using Whereabouts.Core.Net;

namespace Whereabouts.Core.Allocation;

/// <summary>
/// Pure decisions over one pool's allocations: which address an owner gets, and which allocations a release removes.
/// Allocations are keyed by their offset from the pool's base address (the address of the IPPool's <c>spec.range</c>).
/// </summary>
public static class PoolPlanner
{
    /// <summary>Chooses the address for <paramref name="owner"/>.</summary>
    /// <param name="range">The range being allocated from.</param>
    /// <param name="poolBase">The address offsets are relative to.</param>
    /// <param name="allocations">The pool's current allocations.</param>
    /// <param name="owner">Who asks.</param>
    /// <param name="requested">A specific address asked for (CNI_ARGS <c>IP=</c> or the <c>ips</c> capability).</param>
    /// <param name="takenElsewhere">Addresses held by other pods in overlapping pools.</param>
    /// <param name="skip">How many of the lowest free addresses to pass over (0: the lowest); see <see cref="Allocator.FindFree(AllocationRange, ReadOnlySpan{UInt128}, int, UInt128)"/>.</param>
    /// <param name="start">Where the search begins among the range's usable addresses (a rank; it wraps around). 0: the lowest.</param>
    public static AssignPlan Assign(
        AllocationRange range,
        Ip poolBase,
        IReadOnlyDictionary<UInt128, PoolAllocation> allocations,
        AllocationOwner owner,
        Ip? requested = null,
        IReadOnlyCollection<Ip>? takenElsewhere = null,
        int skip = 0,
        UInt128 start = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(allocations);
        var taken = takenElsewhere ?? [];
        range = ClampToBase(range, poolBase);

        UInt128? staleOffset = null;
        if (FindOwned(allocations, owner) is { } owned)
        {
            var address = AddressOf(poolBase, owned.Key);
            var stillValid = address is { } a && range.Allows(a) && (requested is null || a == requested) && !taken.Contains(a);
            if (stillValid)
            {
                var change = owned.Value == owner.ToAllocation()
                    ? PoolChange.None
                    : PoolChange.Upsert(owned.Key, owner.ToAllocation());
                return new AssignPlan(AssignOutcome.Reused, address, change);
            }

            // The configuration changed under this pod (range narrowed, new exclude), or another pool's pod holds the
            // address: the old entry is replaced in the same write rather than handed out again.
            staleOffset = owned.Key;
        }

        if (requested is { } wanted)
        {
            return AssignRequested(range, poolBase, allocations, owner, wanted, taken, staleOffset);
        }

        var reserved = new UInt128[allocations.Count + taken.Count];
        var count = 0;
        foreach (var offset in allocations.Keys)
        {
            if (AddressOf(poolBase, offset) is { } address && address.Family == range.Family)
            {
                reserved[count++] = address.Value;
            }
        }

        foreach (var address in taken)
        {
            if (address.Family == range.Family)
            {
                reserved[count++] = address.Value;
            }
        }

        if (Allocator.FindFree(range, reserved.AsSpan(0, count), skip, start) is not { } chosen)
        {
            return new AssignPlan(AssignOutcome.Exhausted, null, PoolChange.None);
        }

        return new AssignPlan(AssignOutcome.Allocated, chosen, NewEntry(chosen.OffsetFrom(poolBase), owner, staleOffset));
    }

    /// <summary>The offsets a release of (<paramref name="containerId"/>, <paramref name="ifName"/>) removes.</summary>
    public static IReadOnlyList<UInt128> PlanRelease(
        IReadOnlyDictionary<UInt128, PoolAllocation> allocations, string containerId, string ifName)
    {
        ArgumentNullException.ThrowIfNull(allocations);
        return [.. allocations
            .Where(a => a.Value.ContainerId == containerId && a.Value.IfName == ifName)
            .Select(static a => a.Key)
            .Order()];
    }

    /// <summary>The address at <paramref name="offset"/> from <paramref name="poolBase"/>, or null when it does not exist.</summary>
    public static Ip? AddressOf(Ip poolBase, UInt128 offset) => poolBase.TryAdd(offset, out var ip) ? ip : null;

    /// <summary>The owner's allocation with the lowest offset, found in one pass (pools can be large).</summary>
    private static KeyValuePair<UInt128, PoolAllocation>? FindOwned(
        IReadOnlyDictionary<UInt128, PoolAllocation> allocations, AllocationOwner owner)
    {
        KeyValuePair<UInt128, PoolAllocation>? best = null;
        foreach (var entry in allocations)
        {
            if (owner.Owns(entry.Value) && (best is null || entry.Key < best.Value.Key))
            {
                best = entry;
            }
        }

        return best;
    }

    private static AssignPlan AssignRequested(
        AllocationRange range,
        Ip poolBase,
        IReadOnlyDictionary<UInt128, PoolAllocation> allocations,
        AllocationOwner owner,
        Ip wanted,
        IReadOnlyCollection<Ip> taken,
        UInt128? staleOffset)
    {
        if (!range.Allows(wanted))
        {
            return new AssignPlan(AssignOutcome.RequestedNotAllowed, wanted, PoolChange.None);
        }

        var offset = wanted.OffsetFrom(poolBase);
        if (allocations.TryGetValue(offset, out var holder) && !owner.Owns(holder))
        {
            return new AssignPlan(AssignOutcome.RequestedTaken, wanted, PoolChange.None, holder);
        }

        if (taken.Contains(wanted))
        {
            return new AssignPlan(AssignOutcome.RequestedTaken, wanted, PoolChange.None);
        }

        return new AssignPlan(AssignOutcome.Allocated, wanted, NewEntry(offset, owner, staleOffset));
    }

    private static PoolChange NewEntry(UInt128 offset, AllocationOwner owner, UInt128? staleOffset) =>
        new(
            new Dictionary<UInt128, PoolAllocation> { [offset] = owner.ToAllocation() },
            staleOffset is { } stale && stale != offset ? [stale] : []);

    /// <summary>
    /// Addresses below the pool's base cannot be expressed as offsets. Pools we create always start at the network
    /// address, but hand-made ones may not, so the window then starts at the base; a base past the window leaves
    /// nothing to hand out (a start past range_end would otherwise be ignored and widen the window again).
    /// </summary>
    private static AllocationRange ClampToBase(AllocationRange range, Ip poolBase)
    {
        if (poolBase.Family != range.Family || poolBase.Value <= range.Window.First)
        {
            return range;
        }

        if (poolBase.Value > range.Window.Last)
        {
            return AllocationRange.Create(range.Config with { Excludes = [.. range.Config.Excludes, range.Subnet] }, range.Gateway);
        }

        var start = range.Config.RangeStart is { } s && s.Value > poolBase.Value ? s : poolBase;
        return AllocationRange.Create(range.Config with { RangeStart = start }, range.Gateway);
    }
}
