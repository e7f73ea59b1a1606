namespace Whereabouts.Core.Config;

public enum DatastoreKind
{
    /// <summary>IPPool and OverlappingRangeIPReservation custom resources (upstream's only store).</summary>
    Kubernetes,

    /// <summary>Local state files: one host, or the demo.</summary>
    File,
}
