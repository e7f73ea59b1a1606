namespace Whereabouts.Core.Allocation;

/// <summary>One allocation in a pool, as the IPPool CRD stores it (<c>id</c>, <c>podref</c>, <c>ifname</c>).</summary>
public sealed record PoolAllocation(string ContainerId, string PodRef, string IfName);
