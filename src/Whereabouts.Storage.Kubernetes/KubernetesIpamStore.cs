using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Api;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Storage.Kubernetes;

/// <summary>
/// The Kubernetes datastore (<c>"datastore": "kubernetes"</c>): IPPool and OverlappingRangeIPReservation objects in one
/// namespace, written with compare-and-swap only (no cluster-wide Lease), readable and writable by upstream whereabouts.
/// </summary>
public sealed class KubernetesIpamStore : IIpamStore
{
    private readonly KubernetesPoolStore _pools;
    private readonly KubernetesReservationStore _reservations;
    private readonly KubernetesNodeSliceStore _nodeSlices;
    private readonly string? _nodeName;
    private readonly bool _ownsConnection;

    private KubernetesIpamStore(WhereaboutsClient client, string @namespace, string? nodeName, bool ownsConnection = true)
    {
        _ownsConnection = ownsConnection;
        Client = client;
        Namespace = @namespace;
        _nodeName = string.IsNullOrEmpty(nodeName) ? null : nodeName;
        _pools = new KubernetesPoolStore(client, @namespace);
        _reservations = new KubernetesReservationStore(client, @namespace);
        _nodeSlices = new KubernetesNodeSliceStore(client, @namespace, _nodeName);
    }

    /// <summary>The namespace holding the pools and reservations.</summary>
    public string Namespace { get; }

    public string KubeconfigPath => Client.Connection.KubeconfigPath;

    /// <summary>The typed client underneath, for callers that need more than the store contract.</summary>
    public WhereaboutsClient Client { get; }

    public IPoolStore Pools => _pools;

    public IReservationStore Reservations => _reservations;

    public INodeSliceStore NodeSlices => _nodeSlices;

    /// <summary>Reads the kubeconfig and builds the client; sends no request.</summary>
    /// <exception cref="ArgumentException">No kubeconfig path.</exception>
    /// <exception cref="StoreUnavailableException">The kubeconfig does not exist (yet).</exception>
    /// <exception cref="StoreAccessDeniedException">The kubeconfig cannot be read or used.</exception>
    public static KubernetesIpamStore Open(KubernetesStoreOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.KubeconfigPath))
        {
            throw new ArgumentException("the Kubernetes datastore needs a kubeconfig path", nameof(options));
        }

        logger ??= NullLogger.Instance;
        var connection = KubernetesConnection.Open(options.KubeconfigPath, options.RequestTimeout, logger);
        if (options.IgnoreSystemTrustStore && connection.PinsAuthority)
        {
            SystemTrustStore.Ignore();
        }

        var @namespace = !string.IsNullOrEmpty(options.Namespace) ? options.Namespace
            : !string.IsNullOrEmpty(connection.ContextNamespace) ? connection.ContextNamespace
            : WhereaboutsApi.DefaultNamespace;
        return new KubernetesIpamStore(new WhereaboutsClient(connection, logger), @namespace, options.NodeName);
    }

    /// <summary>
    /// A store over an existing client, for a process that works in several namespaces on one connection (the
    /// controller); disposing it leaves the connection open.
    /// </summary>
    public static KubernetesIpamStore Attach(WhereaboutsClient client, string @namespace, string? nodeName = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        return new KubernetesIpamStore(client, @namespace, nodeName, ownsConnection: false);
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
            : _nodeName is null ? AllocationPlacement.Unknown
            : pod.Spec?.NodeName == _nodeName ? AllocationPlacement.ThisHost
            : AllocationPlacement.OtherHost;
    }

    /// <summary>Every pool in <see cref="Namespace"/>.</summary>
    public Task<IReadOnlyList<PoolSnapshot>> ListPoolsAsync(CancellationToken cancellationToken) => _pools.ListAsync(cancellationToken);

    /// <summary>Every reservation in <see cref="Namespace"/>.</summary>
    public Task<IReadOnlyList<Reservation>> ListReservationsAsync(CancellationToken cancellationToken) => _reservations.ListAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            Client.Connection.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
