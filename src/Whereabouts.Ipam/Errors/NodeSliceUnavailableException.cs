namespace Whereabouts.Ipam.Errors;

/// <summary>
/// In node-slice mode this node has no usable slice yet (no NodeSlicePool, no slice assigned, slices exhausted, or a
/// slice left over from an older range). The controller may fix it, so the CNI caller gets "try again later" (11).
/// </summary>
public sealed class NodeSliceUnavailableException(string message) : IpamException(message);
