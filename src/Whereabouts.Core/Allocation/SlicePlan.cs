namespace Whereabouts.Core.Allocation;

/// <summary>What <see cref="SlicePlanner"/> decided for one NodeSlicePool.</summary>
/// <param name="Slices">The new <c>status.allocations</c>, in ascending order of address.</param>
/// <param name="Unassigned">Live nodes left without a slice because every slice is taken (exhaustion), in name order.</param>
/// <param name="Pinned">
/// Assignments outside the new layout that were kept because their slice still holds live allocations (a changed range
/// or size could not move them); the new slices they overlap are withheld until they are released.
/// </param>
/// <param name="Retained">Slices of deleted nodes kept because they still hold live allocations.</param>
public sealed record SlicePlan(
    IReadOnlyList<SliceAssignment> Slices,
    IReadOnlyList<string> Unassigned,
    IReadOnlyList<SliceAssignment> Pinned,
    IReadOnlyList<SliceAssignment> Retained);
