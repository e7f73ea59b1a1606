namespace Whereabouts.Cni;

/// <summary>One entry of a GC request's valid-attachment list: an attachment whose resources must be kept.</summary>
/// <param name="ContainerId">The <c>containerID</c> key.</param>
/// <param name="IfName">The <c>ifname</c> key.</param>
public sealed record CniAttachment(string ContainerId, string IfName);
