using k8s.Models;

namespace Whereabouts.Controller.Reconcile;

/// <summary>What the release rules need to know about a pod.</summary>
/// <param name="Uid">metadata.uid: tells incarnations of one name apart.</param>
/// <param name="Phase">status.phase; empty when not reported yet.</param>
/// <param name="Terminating">metadata.deletionTimestamp is set: its kubelet DEL is still to come.</param>
internal sealed record PodFacts(string Uid, string Phase, bool Terminating)
{
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";

    /// <summary>
    /// False only for a pod that has finished for good (Succeeded or Failed): its sandbox is gone and it never restarts.
    /// Pending, Running, Unknown, an unreported phase and a terminating pod all may still use their addresses.
    /// </summary>
    public bool HoldsAddresses => Phase is not (Succeeded or Failed);

    public static PodFacts From(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return new PodFacts(pod.Metadata?.Uid ?? string.Empty, pod.Status?.Phase ?? string.Empty, pod.Metadata?.DeletionTimestamp is not null);
    }
}
