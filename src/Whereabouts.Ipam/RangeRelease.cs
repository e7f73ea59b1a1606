using Whereabouts.Ipam.Stores;

namespace Whereabouts.Ipam;

/// <summary>What removing matching entries from one pool did.</summary>
/// <param name="Key">The pool.</param>
/// <param name="Removed">Entries removed (including those a write whose answer was lost turned out to have removed).</param>
/// <param name="Last">The pool as last read; null when it does not exist.</param>
/// <param name="Failure">Why matching entries may be left; null on success.</param>
internal sealed record RangeRelease(PoolKey Key, IReadOnlyList<ReleasedEntry> Removed, PoolSnapshot? Last, Exception? Failure);
