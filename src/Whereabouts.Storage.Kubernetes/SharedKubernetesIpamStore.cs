using Microsoft.Extensions.Logging;
using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Api;
using Whereabouts.Storage.Kubernetes.Crds;
using Whereabouts.Storage.Kubernetes.Caching;

namespace Whereabouts.Storage.Kubernetes;

/// <summary>
/// The Kubernetes datastore for a long-lived process that serves many requests (the node agent): the same objects,
/// keys and guards as <see cref="KubernetesIpamStore"/>, over one connection, with reads served from a cache that
/// list+watch keeps fresh, pool writes grouped (every change that arrives while a write to its pool is in flight goes
/// into the next one) and reservations created in parallel. A caller is answered only after the API server answered
/// the write that holds its change.
/// </summary>
public sealed class SharedKubernetesIpamStore : IIpamStore
{
    /// <summary>How long the server keeps one watch open before the store resumes it.</summary>
    private static readonly TimeSpan WatchTimeout = TimeSpan.FromMinutes(5);

    private readonly StoreContext _context;
    private readonly StoreCaches _caches;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _watches;
    private readonly bool _ownsConnection;

    private SharedKubernetesIpamStore(StoreContext context, bool ownsConnection, ILogger logger, TimeProvider time)
    {
        _context = context;
        _ownsConnection = ownsConnection;
        _caches = new StoreCaches(time);
        Pools = new SharedPoolStore(context, _caches, Counters, logger, _stopping.Token);
        Reservations = new SharedReservationStore(context, _caches);
        var client = context.Client;
        var @namespace = context.Namespace;
        var pools = new CacheWatch<IPPool, PoolSnapshot>(
            WhereaboutsApi.IPPools,
            ct => client.ListPoolsWithVersionAsync(@namespace, ct),
            (version, timeout, ct) => client.WatchPoolsAsync(@namespace, version, timeout, _caches.Pools.Get, ct),
            StoreCaches.ToSnapshot,
            _caches.Pools,
            WatchTimeout,
            time,
            logger);
        var reservations = new CacheWatch<OverlappingRangeIPReservation, Reservation>(
            WhereaboutsApi.OverlappingRangeIPReservations,
            ct => client.ListReservationsWithVersionAsync(@namespace, ct),
            (version, timeout, ct) => client.WatchReservationsAsync(@namespace, version, timeout, ct),
            static (r, _) => CrdConversion.ToReservation(r),
            _caches.Reservations,
            WatchTimeout,
            time,
            logger);
        var nodeSlices = new CacheWatch<NodeSlicePool, CachedSliceTable>(
            WhereaboutsApi.NodeSlicePools,
            ct => client.ListNodeSlicePoolsWithVersionAsync(@namespace, ct),
            (version, timeout, ct) => client.WatchNodeSlicePoolsAsync(@namespace, version, timeout, ct),
            static (p, _) => StoreCaches.ToSliceTable(p),
            _caches.NodeSlices,
            WatchTimeout,
            time,
            logger);
        NodeSlices = new SharedNodeSliceStore(new KubernetesNodeSliceStore(client, @namespace, context.NodeName), _caches.NodeSlices);
        _watches = Task.WhenAll(
            Task.Run(() => pools.RunAsync(_stopping.Token), CancellationToken.None),
            Task.Run(() => reservations.RunAsync(_stopping.Token), CancellationToken.None),
            Task.Run(() => nodeSlices.RunAsync(_stopping.Token), CancellationToken.None));
    }

    /// <summary>The namespace holding the pools and reservations.</summary>
    public string Namespace => _context.Namespace;

    /// <summary>The typed client underneath (the process's one connection), for callers that need more than the store contract.</summary>
    public WhereaboutsClient Client => _context.Client;

    public IPoolStore Pools { get; }

    public IReservationStore Reservations { get; }

    /// <summary>NodeSlicePools, from the watched cache (node-slice mode's ADD sends no request to find its slice).</summary>
    public INodeSliceStore NodeSlices { get; }

    /// <summary>True while every cache is listed and watched: reads then send no request.</summary>
    public bool IsSynced => _caches.Pools.IsSynced && _caches.Reservations.IsSynced && _caches.NodeSlices.IsSynced;

    /// <summary>Pools, their allocations and reservations cached now.</summary>
    public (int Pools, long Allocations, int Reservations) CachedObjects =>
        (_caches.Pools.Count, _caches.Pools.Sum(static p => p.Allocations.Count), _caches.Reservations.Count);

    /// <summary>What the group commit did.</summary>
    public SharedStoreCounters Counters { get; } = new();

    /// <summary>
    /// Opens the connection and starts the watches in the background; returns without waiting for them (reads go to
    /// the API server until the caches are synced, see <see cref="WaitForSyncAsync"/>).
    /// </summary>
    /// <exception cref="ArgumentException">No kubeconfig path.</exception>
    /// <exception cref="StoreUnavailableException">The kubeconfig does not exist (yet).</exception>
    /// <exception cref="StoreAccessDeniedException">The kubeconfig cannot be read or used.</exception>
    public static Task<SharedKubernetesIpamStore> StartAsync(KubernetesStoreOptions options, ILogger logger, CancellationToken cancellationToken) =>
        StartAsync(options, logger, TimeProvider.System, cancellationToken);

    /// <inheritdoc cref="StartAsync(KubernetesStoreOptions, ILogger, CancellationToken)"/>
    public static Task<SharedKubernetesIpamStore> StartAsync(
        KubernetesStoreOptions options, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new SharedKubernetesIpamStore(StoreContext.Open(options, logger), ownsConnection: true, logger, time));
    }

    /// <summary>
    /// As <see cref="StartAsync(KubernetesStoreOptions, ILogger, CancellationToken)"/>, over a connection the caller
    /// opened (a pod's service account) and keeps: disposing the store leaves it open.
    /// </summary>
    /// <param name="connection">The process's one connection.</param>
    /// <param name="namespace">Where the objects live; null: the connection's context namespace, else <c>kube-system</c>.</param>
    /// <param name="nodeName">This node, for <see cref="LocateAsync"/> (CNI GC).</param>
    /// <param name="logger">Where the store logs.</param>
    /// <param name="time">The clock for the watches' backoff; null: the system clock.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static Task<SharedKubernetesIpamStore> StartAsync(
        KubernetesConnection connection, string? @namespace, string? nodeName, ILogger logger, TimeProvider? time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(logger);
        cancellationToken.ThrowIfCancellationRequested();
        var context = StoreContext.Attach(new WhereaboutsClient(connection, logger), StoreContext.NamespaceFor(@namespace, connection), nodeName);
        return Task.FromResult(new SharedKubernetesIpamStore(context, ownsConnection: false, logger, time ?? TimeProvider.System));
    }

    /// <summary>Completes once every cache is listed and watched.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(
            _caches.Pools.WaitForSyncAsync(cancellationToken),
            _caches.Reservations.WaitForSyncAsync(cancellationToken),
            _caches.NodeSlices.WaitForSyncAsync(cancellationToken));

    public Task CheckReachableAsync(CancellationToken cancellationToken) => _context.CheckReachableAsync(cancellationToken);

    /// <inheritdoc cref="StoreContext.LocateAsync"/>
    public Task<AllocationPlacement> LocateAsync(PoolAllocation allocation, CancellationToken cancellationToken) =>
        _context.LocateAsync(allocation, cancellationToken);

    /// <summary>Stops the watches; writes still waiting are answered with <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        try
        {
            await _watches;
        }
        catch (OperationCanceledException)
        {
            // The watches end by cancellation.
        }
        catch (IpamException)
        {
            // A reconnect that failed as the watches were being stopped (the server went first): they are over anyway.
        }

        if (_ownsConnection)
        {
            _context.Client.Connection.Dispose();
        }

        _stopping.Dispose();
    }
}
