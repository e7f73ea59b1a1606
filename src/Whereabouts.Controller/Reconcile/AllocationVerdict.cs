using Whereabouts.Core.Allocation;

namespace Whereabouts.Controller.Reconcile;

/// <summary>Whether a pass releases an allocation, and why, in the words the summary counts.</summary>
internal readonly record struct AllocationVerdict(bool Release, string Reason)
{
    public const string PodGone = "pod-gone";
    public const string PodSucceeded = "pod-succeeded";
    public const string PodFailed = "pod-failed";
    public const string Terminating = "terminating";
    public const string NoPodRef = "no-podref";
    public const string BadPodRef = "bad-podref";
    public const string Changed = "changed";
    public const string WriteFailed = "write-failed";

    /// <summary>
    /// The release rule: an allocation goes only when its podref names no pod at all, or a pod that finished for good
    /// (Succeeded or Failed). Everything else keeps its address, whatever the Multus annotations say: a pod that is
    /// Pending (its ADD may be running), Running, Unknown (its node stopped reporting), terminating (its DEL is coming),
    /// or a new incarnation of a StatefulSet pod under the same name (its ADD re-uses the address).
    /// </summary>
    public static AllocationVerdict For(PoolAllocation allocation, PodDirectory pods)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        ArgumentNullException.ThrowIfNull(pods);
        if (allocation.PodRef.Length == 0)
        {
            return new AllocationVerdict(false, NoPodRef);
        }

        if (!PodRef.TryParse(allocation.PodRef, out var podRef))
        {
            return new AllocationVerdict(false, BadPodRef);
        }

        return pods.Find(podRef) switch
        {
            null => new AllocationVerdict(true, PodGone),
            { Phase: PodFacts.Succeeded } => new AllocationVerdict(true, PodSucceeded),
            { Phase: PodFacts.Failed } => new AllocationVerdict(true, PodFailed),
            { Terminating: true } => new AllocationVerdict(false, Terminating),
            { Phase: "Pending" } => new AllocationVerdict(false, "pending"),
            { Phase: "Running" } => new AllocationVerdict(false, "running"),
            { Phase: "Unknown" } => new AllocationVerdict(false, "unknown-phase"),
            _ => new AllocationVerdict(false, "no-phase"),
        };
    }
}
