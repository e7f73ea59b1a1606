namespace Whereabouts.Controller.Metrics;

/// <summary>The <c>reason</c> label of <c>whereabouts_leaks_found_total</c> and <c>whereabouts_leaks_released_total</c>.</summary>
internal static class LeakReason
{
    /// <summary>A reconcile pass found an allocation of a pod that does not exist.</summary>
    public const string PodGone = Reconcile.AllocationVerdict.PodGone;

    /// <summary>A reconcile pass found an allocation of a pod that Succeeded.</summary>
    public const string PodSucceeded = Reconcile.AllocationVerdict.PodSucceeded;

    /// <summary>A reconcile pass found an allocation of a pod that Failed.</summary>
    public const string PodFailed = Reconcile.AllocationVerdict.PodFailed;

    /// <summary>The node controller found addresses still held by a pod of its node that was deleted (its DEL did not release them).</summary>
    public const string PodDeleted = "pod-deleted";

    /// <summary>A reconcile pass found a reservation that no allocation uses.</summary>
    public const string ReservationUnused = "reservation-unused";
}
