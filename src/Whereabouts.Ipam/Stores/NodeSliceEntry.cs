namespace Whereabouts.Ipam.Stores;

/// <summary>One entry of a NodeSlicePool's <c>status.allocations</c>.</summary>
/// <param name="NodeName">The node holding the slice; empty when the slice is free.</param>
/// <param name="SliceRange">The slice CIDR, as stored.</param>
public sealed record NodeSliceEntry(string NodeName, string SliceRange);
