namespace Whereabouts.Ipam.Stores;

/// <summary>The outcome of a reservation attempt: either this call created it, or someone already held the name.</summary>
public sealed record ReservationClaim(Reservation Reservation, bool Created);
