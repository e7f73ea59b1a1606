namespace Whereabouts.Ipam.Stores;

/// <summary>
/// A cluster-wide reservation of one address (an OverlappingRangeIPReservation): whoever holds it owns the address
/// in every pool of its network, which is what keeps overlapping ranges from handing it out twice.
/// </summary>
/// <param name="Name">The object name; it encodes the address and the network name.</param>
/// <param name="PodRef">The owning pod, <c>namespace/name</c>.</param>
/// <param name="IfName">The owning interface; empty in reservations written by old upstream versions.</param>
/// <param name="ContainerId">The container that made it, when recorded.</param>
/// <param name="Version">The store's version token, used as a precondition on delete.</param>
/// <param name="CreatedAt">When it was created, when the store knows.</param>
/// <param name="Uid">The store's unique id of this incarnation, when it has one (a Kubernetes uid), also a delete precondition.</param>
public sealed record Reservation(
    string Name,
    string PodRef,
    string IfName,
    string? ContainerId,
    string Version,
    DateTimeOffset? CreatedAt = null,
    string? Uid = null)
{
    /// <summary>True when the reservation belongs to this pod interface.</summary>
    public bool IsOwnedBy(string podRef, string ifName) =>
        PodRef == podRef && (IfName.Length == 0 || IfName == ifName);
}
