namespace Whereabouts.Core.Allocation;

/// <summary>Who asks for an address: the container, its pod (<c>namespace/name</c>) and the interface.</summary>
public readonly record struct AllocationOwner(string ContainerId, string PodRef, string IfName)
{
    /// <summary>
    /// True when <paramref name="allocation"/> belongs to the same workload interface. A pod re-created under the same
    /// name (a StatefulSet) gets its address back, as upstream does; without a pod reference the container decides.
    /// </summary>
    public bool Owns(PoolAllocation allocation)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        return PodRef.Length > 0
            ? allocation.PodRef == PodRef && allocation.IfName == IfName
            : allocation.PodRef.Length == 0 && allocation.ContainerId == ContainerId && allocation.IfName == IfName;
    }

    /// <summary>True when <paramref name="allocation"/> was made by this very container interface (the release rule).</summary>
    public bool IsAttachment(PoolAllocation allocation)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        return allocation.ContainerId == ContainerId && allocation.IfName == IfName;
    }

    public PoolAllocation ToAllocation() => new(ContainerId, PodRef, IfName);
}
