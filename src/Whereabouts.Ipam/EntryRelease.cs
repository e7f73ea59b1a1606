using Whereabouts.Core.Allocation;

namespace Whereabouts.Ipam;

/// <summary>The outcome of releasing chosen entries of one pool (<see cref="IpamService.ReleaseEntriesAsync"/>).</summary>
/// <param name="Released">The entries this call removed.</param>
/// <param name="Changed">Entries that changed after they were chosen (a re-ADD, a new owner): kept.</param>
/// <param name="Vanished">Entries another writer removed first (a DEL, another pass).</param>
/// <param name="Left">Chosen entries still in the pool because every write failed (see <see cref="Failure"/>).</param>
/// <param name="Failure">Why <paramref name="Left"/> could not be removed; null when nothing was left.</param>
public sealed record EntryRelease(
    IReadOnlyList<ReleasedEntry> Released,
    IReadOnlyDictionary<UInt128, PoolAllocation> Changed,
    IReadOnlyDictionary<UInt128, PoolAllocation> Vanished,
    IReadOnlyDictionary<UInt128, PoolAllocation> Left,
    Exception? Failure)
{
    /// <summary>The names of the reservations of released entries that this call deleted.</summary>
    public IReadOnlyList<string> ReservationsReleased { get; init; } = [];

    /// <summary>Reservations of released entries that could not be deleted, with the reason; the reconciler frees them later.</summary>
    public IReadOnlyList<string> ReservationFailures { get; init; } = [];
}
