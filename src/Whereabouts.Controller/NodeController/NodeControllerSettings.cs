using Whereabouts.Controller.Kube;
using Whereabouts.Controller.NodeSlices;
using Whereabouts.Controller.Reconcile;
using Whereabouts.Ipam;

namespace Whereabouts.Controller.NodeController;

/// <summary>The node controller's timings; the defaults are for production, tests shorten them.</summary>
internal sealed record NodeControllerSettings
{
    public static NodeControllerSettings Default { get; } = new();

    /// <summary>How long the server keeps one watch open before the controller opens the next (kube-apiserver allows 30–60 min).</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Pacing of list and watch attempts after a failure; they never stop.</summary>
    public RetryPolicy WatchRetry { get; init; } = new(int.MaxValue, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));

    /// <summary>Attempts at releasing one deleted pod, and their pacing, before a Warning event hands it to the reconcile pass.</summary>
    public RetryPolicy ReleaseRetry { get; init; } = new(8, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

    /// <summary>How the release engine retries a single pool write or reservation request within one attempt.</summary>
    public IpamOptions Release { get; init; } = ReconcileSettings.DefaultRelease;

    /// <summary>How long a broken watch still counts as healthy while it reconnects.</summary>
    public TimeSpan HealthGrace { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>How often the pool metrics are refreshed from a pool list.</summary>
    public TimeSpan PoolMetricsInterval { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan RequestTimeout { get; init; } = ClusterConnection.DefaultRequestTimeout;

    /// <summary>How long the reconcile Lease stays held after its last renewal; also the clock skew it tolerates between replicas.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The timings of the node-slice controller.</summary>
    public NodeSliceSettings NodeSlices { get; init; } = new();

    /// <summary>Settings of the scheduled reconcile passes (namespace and dry run are set from the command line).</summary>
    public ReconcileSettings Reconcile { get; init; } = new();

    /// <summary>How often the plugin's kubeconfig is compared with the service account; null for the refresher's default.</summary>
    public TimeSpan? KubeconfigRefreshInterval { get; init; }
}
