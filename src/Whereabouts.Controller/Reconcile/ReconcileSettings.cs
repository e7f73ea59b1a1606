using Whereabouts.Ipam;

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

    /// <summary>
    /// How the release engine paces and bounds retries of a pool write, a reservation delete or a read: each operation
    /// gets <see cref="IpamOptions.DelTimeout"/>, so one pool that keeps failing holds the pass up at most that long.
    /// </summary>
    public IpamOptions Release { get; init; } = DefaultRelease;

    public static IpamOptions DefaultRelease { get; } = new()
    {
        DelTimeout = TimeSpan.FromSeconds(20),
        InitialBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromSeconds(2),
    };
}
