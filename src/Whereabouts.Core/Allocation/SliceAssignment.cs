using Whereabouts.Core.Net;

namespace Whereabouts.Core.Allocation;

/// <summary>One entry of a NodeSlicePool's <c>status.allocations</c>: a slice and its node ("" when free).</summary>
public sealed record SliceAssignment(string NodeName, Cidr Slice)
{
    public bool IsFree => NodeName.Length == 0;
}
