namespace Whereabouts.Ipam.Stores;

/// <summary>A NodeSlicePool as read: the sliced range, the slice size, and which node holds which slice.</summary>
/// <param name="Name">The object name (<c>network_name</c>, else the CNI network name).</param>
/// <param name="Range"><c>spec.range</c>, as stored.</param>
/// <param name="SliceSize"><c>spec.sliceSize</c>, as stored (<c>"/22"</c> or <c>"22"</c>).</param>
/// <param name="Slices"><c>status.allocations</c> in stored order; an empty node name marks a free slice.</param>
public sealed record NodeSliceTable(string Name, string? Range, string? SliceSize, IReadOnlyList<NodeSliceEntry> Slices);
