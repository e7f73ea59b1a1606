namespace Whereabouts.Core.Allocation;

/// <summary>
/// A change to a pool's allocations, keyed by offset. Stores apply it atomically against the version they read,
/// so a change is never applied on top of a pool that moved underneath it.
/// </summary>
public sealed record PoolChange(
    IReadOnlyDictionary<UInt128, PoolAllocation> Upserts,
    IReadOnlyList<UInt128> Removals)
{
    public static PoolChange None { get; } = new(new Dictionary<UInt128, PoolAllocation>(), []);

    public bool IsEmpty => Upserts.Count == 0 && Removals.Count == 0;

    public static PoolChange Upsert(UInt128 offset, PoolAllocation allocation) =>
        new(new Dictionary<UInt128, PoolAllocation> { [offset] = allocation }, []);

    public static PoolChange Remove(IReadOnlyList<UInt128> offsets) =>
        new(new Dictionary<UInt128, PoolAllocation>(), offsets);

    /// <summary>Applies the change to a copy of <paramref name="allocations"/>.</summary>
    public Dictionary<UInt128, PoolAllocation> ApplyTo(IReadOnlyDictionary<UInt128, PoolAllocation> allocations)
    {
        ArgumentNullException.ThrowIfNull(allocations);
        var result = new Dictionary<UInt128, PoolAllocation>(allocations);
        foreach (var offset in Removals)
        {
            result.Remove(offset);
        }

        foreach (var (offset, allocation) in Upserts)
        {
            result[offset] = allocation;
        }

        return result;
    }
}
