using Microsoft.Extensions.Logging;
using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Errors;
using Whereabouts.Storage.Kubernetes.Api;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Storage.Kubernetes;

/// <summary>
/// What every Kubernetes store is opened with: the client, the namespace of the objects and this node; and the two
/// questions they answer alike (is the API server reachable, does an allocation belong to this node).
/// </summary>
internal sealed class StoreContext
{
    private StoreContext(WhereaboutsClient client, string @namespace, string? nodeName)
    {
        Client = client;
        Namespace = @namespace;
        NodeName = string.IsNullOrEmpty(nodeName) ? null : nodeName;
    }

    public WhereaboutsClient Client { get; }

    public string Namespace { get; }

    public string? NodeName { get; }

    /// <summary>Reads the kubeconfig and builds the client; sends no request.</summary>
    /// <exception cref="ArgumentException">No kubeconfig path.</exception>
    /// <exception cref="StoreUnavailableException">The kubeconfig does not exist (yet).</exception>
    /// <exception cref="StoreAccessDeniedException">The kubeconfig cannot be read or used.</exception>
    public static StoreContext Open(KubernetesStoreOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.KubeconfigPath))
        {
            throw new ArgumentException("the Kubernetes datastore needs a kubeconfig path", nameof(options));
        }

        var connection = KubernetesConnection.Open(options.KubeconfigPath, options.RequestTimeout, logger);
        if (options.IgnoreSystemTrustStore && connection.PinsAuthority)
        {
            SystemTrustStore.Ignore();
        }

        var @namespace = !string.IsNullOrEmpty(options.Namespace) ? options.Namespace
            : !string.IsNullOrEmpty(connection.ContextNamespace) ? connection.ContextNamespace
            : WhereaboutsApi.DefaultNamespace;
        return new StoreContext(new WhereaboutsClient(connection, logger), @namespace, options.NodeName);
    }

    public Task CheckReachableAsync(CancellationToken cancellationToken) => Client.ProbeAsync(Namespace, cancellationToken);

    /// <summary>True only when the pod named by the allocation exists and runs on this node.</summary>
    public async Task<bool> IsLocalAsync(PoolAllocation allocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        var slash = allocation.PodRef.IndexOf('/', StringComparison.Ordinal);
        if (NodeName is null || slash <= 0 || slash == allocation.PodRef.Length - 1)
        {
            return false;
        }

        var pod = await Client.GetPodPlacementAsync(allocation.PodRef[..slash], allocation.PodRef[(slash + 1)..], cancellationToken);
        return pod?.Spec?.NodeName == NodeName;
    }
}
