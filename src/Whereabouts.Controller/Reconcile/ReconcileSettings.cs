namespace Whereabouts.Controller.Reconcile;

/// <summary>What one reclamation pass looks at and how patient it is.</summary>
internal sealed record ReconcileSettings
{
    /// <summary>The plugin's ADD deadline is 90 s and it creates a reservation before it writes the pool, so a younger reservation may be an ADD in progress.</summary>
    public static readonly TimeSpan DefaultReservationGrace = TimeSpan.FromMinutes(5);

    /// <summary>The namespace of the pools and reservations; null scans all namespaces.</summary>
    public string? Namespace { get; init; }

    /// <summary>Report what would be released and change nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>A reservation younger than this is never released.</summary>
    public TimeSpan ReservationGrace { get; init; } = DefaultReservationGrace;

    /// <summary>How retries of a pool write or a reservation delete are paced and bounded.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;
}
