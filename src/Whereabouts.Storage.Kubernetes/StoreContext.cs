using Microsoft.Extensions.Logging;
using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
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

        return new StoreContext(new WhereaboutsClient(connection, logger), NamespaceFor(options.Namespace, connection), options.NodeName);
    }

    /// <summary>A context over an existing client (its connection stays the caller's).</summary>
    public static StoreContext Attach(WhereaboutsClient client, string @namespace, string? nodeName)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        return new StoreContext(client, @namespace, nodeName);
    }

    /// <summary>The namespace to use: the one asked for, else the connection's context namespace, else upstream's default.</summary>
    public static string NamespaceFor(string? requested, KubernetesConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return !string.IsNullOrEmpty(requested) ? requested
            : !string.IsNullOrEmpty(connection.ContextNamespace) ? connection.ContextNamespace
            : WhereaboutsApi.DefaultNamespace;
    }

    public Task CheckReachableAsync(CancellationToken cancellationToken) => Client.ProbeAsync(Namespace, cancellationToken);

    /// <summary>
    /// Asks the API server where the allocation's pod is: <see cref="AllocationPlacement.Gone"/> when the GET finds no
    /// such pod (no node name needed for that), this or another node by <c>spec.nodeName</c>, and
    /// <see cref="AllocationPlacement.Unknown"/> when the podref is not <c>namespace/name</c> or this node's name is not
    /// known.
    /// </summary>
    public async Task<AllocationPlacement> LocateAsync(PoolAllocation allocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        var slash = allocation.PodRef.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == allocation.PodRef.Length - 1)
        {
            return AllocationPlacement.Unknown;
        }

        var pod = await Client.GetPodPlacementAsync(allocation.PodRef[..slash], allocation.PodRef[(slash + 1)..], cancellationToken);
        return pod is null ? AllocationPlacement.Gone
            : NodeName is null ? AllocationPlacement.Unknown
            : pod.Spec?.NodeName == NodeName ? AllocationPlacement.ThisHost
            : AllocationPlacement.OtherHost;
    }
}
