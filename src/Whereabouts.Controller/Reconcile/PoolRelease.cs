using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Controller.Reconcile;

/// <summary>The outcome of releasing chosen allocations of one pool.</summary>
/// <param name="Pool">The pool as last read (its base address turns offsets into addresses).</param>
/// <param name="Released">The entries this write removed.</param>
/// <param name="Changed">Entries that changed after they were chosen (a re-ADD, a new owner): kept.</param>
/// <param name="Vanished">Entries another writer removed first (a DEL, another pass).</param>
/// <param name="Failure">Why the remaining entries could not be removed; null on success.</param>
internal sealed record PoolRelease(
    PoolSnapshot Pool,
    IReadOnlyDictionary<UInt128, PoolAllocation> Released,
    IReadOnlyDictionary<UInt128, PoolAllocation> Changed,
    IReadOnlyDictionary<UInt128, PoolAllocation> Vanished,
    Exception? Failure)
{
    /// <summary>Chosen entries that are still in the pool because every write failed.</summary>
    public IReadOnlyDictionary<UInt128, PoolAllocation> Left { get; init; } = new Dictionary<UInt128, PoolAllocation>();
}
