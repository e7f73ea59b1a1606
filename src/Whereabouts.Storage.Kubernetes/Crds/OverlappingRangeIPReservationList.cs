namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>A page of <see cref="OverlappingRangeIPReservation"/> objects.</summary>
public sealed class OverlappingRangeIPReservationList() : WhereaboutsList<OverlappingRangeIPReservation>("OverlappingRangeIPReservationList");
