namespace Whereabouts.Controller.Inventory;

/// <summary>One inconsistency <c>ipam check</c> found (the JSON shape <c>{"kind","ip","podRef","pool","detail"}</c>).</summary>
/// <param name="Kind">One of the <c>const</c>s below.</param>
/// <param name="Ip">The address concerned, when known.</param>
/// <param name="PodRef">The pod that holds or held it, when known.</param>
/// <param name="Pool">The IPPool as <c>namespace/name</c>, when the problem is in one.</param>
/// <param name="Detail">One sentence for a person.</param>
internal sealed record Problem(string Kind, string? Ip, string? PodRef, string? Pool, string Detail)
{
    /// <summary>For a problem outside any pool (a reservation): the network name it belongs to, empty for none; null when unknown.</summary>
    public string? Network { get; init; }

    /// <summary>An allocation of a pod that does not exist.</summary>
    public const string PodGone = "pod-gone";

    /// <summary>An allocation of a pod that finished for good (Succeeded or Failed): its address is no longer used.</summary>
    public const string PodFinished = "pod-finished";

    /// <summary>An OverlappingRangeIPReservation no allocation uses.</summary>
    public const string ReservationWithoutAllocation = "reservation-without-allocation";

    /// <summary>An allocation of a network with overlapping-range reservations whose reservation is missing.</summary>
    public const string AllocationWithoutReservation = "allocation-without-reservation";

    /// <summary>One address with two owners: in two pools of one network, or a reservation held by another pod.</summary>
    public const string HeldTwice = "held-twice";

    /// <summary>An allocation the pool's window would not hand out (outside range_start..range_end, excluded, the gateway).</summary>
    public const string OutsideWindow = "outside-window";

    /// <summary>A pool, reservation or NetworkAttachmentDefinition that cannot be read.</summary>
    public const string Unreadable = "unreadable";
}
