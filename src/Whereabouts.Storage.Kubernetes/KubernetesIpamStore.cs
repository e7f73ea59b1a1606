using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Storage.Kubernetes;

/// <summary>
/// The Kubernetes datastore (<c>"datastore": "kubernetes"</c>): IPPool and OverlappingRangeIPReservation objects in one
/// namespace, written with compare-and-swap only (no cluster-wide Lease), readable and writable by upstream whereabouts.
/// </summary>
public sealed class KubernetesIpamStore : IIpamStore
{
    private readonly StoreContext _context;
    private readonly KubernetesPoolStore _pools;
    private readonly KubernetesReservationStore _reservations;
    private readonly KubernetesNodeSliceStore _nodeSlices;
    private readonly bool _ownsConnection;

    private KubernetesIpamStore(StoreContext context, bool ownsConnection = true)
    {
        _context = context;
        _ownsConnection = ownsConnection;
        _pools = new KubernetesPoolStore(context.Client, context.Namespace);
        _reservations = new KubernetesReservationStore(context.Client, context.Namespace);
        _nodeSlices = new KubernetesNodeSliceStore(context.Client, context.Namespace, context.NodeName);
    }

    /// <summary>The namespace holding the pools and reservations.</summary>
    public string Namespace => _context.Namespace;

    public string KubeconfigPath => Client.Connection.KubeconfigPath;

    /// <summary>The typed client underneath, for callers that need more than the store contract.</summary>
    public WhereaboutsClient Client => _context.Client;

    public IPoolStore Pools => _pools;

    public IReservationStore Reservations => _reservations;

    public INodeSliceStore NodeSlices => _nodeSlices;

    /// <summary>Reads the kubeconfig and builds the client; sends no request.</summary>
    /// <exception cref="ArgumentException">No kubeconfig path.</exception>
    /// <exception cref="StoreUnavailableException">The kubeconfig does not exist (yet).</exception>
    /// <exception cref="StoreAccessDeniedException">The kubeconfig cannot be read or used.</exception>
    public static KubernetesIpamStore Open(KubernetesStoreOptions options, ILogger? logger = null) =>
        new(StoreContext.Open(options, logger ?? NullLogger.Instance));

    /// <summary>
    /// A store over an existing client, for a process that works in several namespaces on one connection (the
    /// controller); disposing it leaves the connection open.
    /// </summary>
    public static KubernetesIpamStore Attach(WhereaboutsClient client, string @namespace, string? nodeName = null) =>
        new(StoreContext.Attach(client, @namespace, nodeName), ownsConnection: false);

    public Task CheckReachableAsync(CancellationToken cancellationToken) => _context.CheckReachableAsync(cancellationToken);

    /// <inheritdoc cref="StoreContext.LocateAsync"/>
    public Task<AllocationPlacement> LocateAsync(PoolAllocation allocation, CancellationToken cancellationToken) =>
        _context.LocateAsync(allocation, cancellationToken);

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
