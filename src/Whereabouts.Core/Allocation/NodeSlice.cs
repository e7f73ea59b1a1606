using Whereabouts.Core.Net;

namespace Whereabouts.Core.Allocation;

/// <summary>The part of a range one node allocates from in node-slice mode, and the node that owns it.</summary>
/// <param name="NodeName">The node the slice is assigned to; part of the slice pool's name.</param>
/// <param name="Range">The slice (a sub-prefix of the range), the slice pool's <c>spec.range</c>.</param>
public sealed record NodeSlice(string NodeName, Cidr Range);
