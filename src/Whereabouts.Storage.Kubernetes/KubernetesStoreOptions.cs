namespace Whereabouts.Storage.Kubernetes;

/// <summary>How the Kubernetes datastore connects.</summary>
public sealed record KubernetesStoreOptions
{
    /// <summary>The kubeconfig, read every time a store is opened; required.</summary>
    public required string KubeconfigPath { get; init; }

    /// <summary>Where the objects live; default: the kubeconfig context's namespace, else <c>kube-system</c>.</summary>
    public string? Namespace { get; init; }

    /// <summary>The limit for every single API request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>This node, for <see cref="KubernetesIpamStore.LocateAsync"/> (CNI GC); null: only pods that are gone count as stale.</summary>
    public string? NodeName { get; init; }

    /// <summary>
    /// When the kubeconfig pins its certificate authority, keep the process from loading the host's trust store at all
    /// (process-wide; for the short-lived plugin, where it is most of an uncontended call's CPU).
    /// </summary>
    public bool IgnoreSystemTrustStore { get; init; }
}
