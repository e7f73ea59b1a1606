using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Storage.Kubernetes.Api;

/// <summary>
/// Typed operations on the whereabouts objects (and pods) over one <see cref="KubernetesConnection"/>: the single
/// implementation of each request shared by the CNI store and the controller. A null <c>namespace</c> on a list
/// means all namespaces.
/// </summary>
public sealed partial class WhereaboutsClient
{
    private const int PageSize = 500;

    private readonly ILogger _logger;

    public WhereaboutsClient(KubernetesConnection connection, ILogger? logger = null)
    {
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _logger = logger ?? NullLogger.Instance;
        WhereaboutsJson.EnsureRegistered();
    }

    public KubernetesConnection Connection { get; }

    public Task<IPPool?> GetPoolAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        GetAsync<IPPool>(WhereaboutsApi.IPPools, @namespace, name, cancellationToken);

    /// <summary>Creates an empty pool; null when it already exists (a racing creator).</summary>
    public async Task<IPPool?> CreatePoolAsync(string @namespace, PoolKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var created = await CreateAsync(WhereaboutsApi.IPPools, @namespace, CrdConversion.NewPool(key), cancellationToken);
        if (created is not null)
        {
            LogPoolCreated(_logger, key.Name, key.Range, @namespace);
        }

        return created;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the pool only if it is still at <paramref name="snapshot"/>'s version.
    /// False when the pool moved or was deleted.
    /// </summary>
    /// <exception cref="StoreLimitExceededException">The pool would become too large to store.</exception>
    /// <exception cref="StoreDataException">The server refused the patch for a reason other than a moved pool.</exception>
    public async Task<bool> TryUpdatePoolAsync(string @namespace, PoolSnapshot snapshot, PoolChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(change);
        PoolObjectSize.EnsureWithinLimit(snapshot, change);
        var name = snapshot.Key.Name;
        var request = Request("patch", WhereaboutsApi.IPPools, @namespace, name);
        var replaceMap = snapshot.Allocations.Count == 0 && snapshot.UnreadableKeys.Count == 0;
        var text = PoolPatch.Build(snapshot.Version, change, replaceMap);
        PoolObjectSize.EnsureRequestWithinLimit(request.ToString(), text);
        var patch = new V1Patch(text, V1Patch.PatchType.JsonPatch);
        var result = await Connection.SendAsync(
            request,
            (k, ct) => k.CustomObjects.PatchNamespacedCustomObjectWithHttpMessagesAsync<IPPool>(
                patch, WhereaboutsApi.Group, WhereaboutsApi.Version, @namespace, WhereaboutsApi.IPPools, name, cancellationToken: ct),
            cancellationToken);
        if (result.IsSuccess)
        {
            return true;
        }

        if (result.IsNotFound || result.IsConflict)
        {
            LogPoolMoved(_logger, name, snapshot.Version, (int)result.StatusCode);
            return false;
        }

        // 422 is both a failed "test" (the pool moved) and a real validation error; only a re-read tells them apart.
        var current = await GetPoolAsync(@namespace, name, cancellationToken);
        if (current is null || current.Metadata?.ResourceVersion != snapshot.Version)
        {
            LogPoolMoved(_logger, name, snapshot.Version, (int)result.StatusCode);
            return false;
        }

        throw new StoreDataException($"API server refused to {request} although it did not change since version {snapshot.Version}: {result.Message}");
    }

    public Task<IReadOnlyList<IPPool>> ListPoolsAsync(string? @namespace, CancellationToken cancellationToken) =>
        ListAsync<IPPoolList, IPPool>(WhereaboutsApi.IPPools, @namespace, PageSize, paginate: true, cancellationToken);

    /// <summary>Lists at most one pool: the cheapest request that proves the server is reachable and we may read pools.</summary>
    public Task ProbeAsync(string @namespace, CancellationToken cancellationToken) =>
        ListAsync<IPPoolList, IPPool>(WhereaboutsApi.IPPools, @namespace, 1, paginate: false, cancellationToken);

    public Task<OverlappingRangeIPReservation?> GetReservationAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        GetAsync<OverlappingRangeIPReservation>(WhereaboutsApi.OverlappingRangeIPReservations, @namespace, name, cancellationToken);

    /// <summary>Creates the reservation; null when the name is already taken.</summary>
    public Task<OverlappingRangeIPReservation?> CreateReservationAsync(
        string @namespace, string name, AllocationOwner owner, CancellationToken cancellationToken) =>
        CreateAsync(WhereaboutsApi.OverlappingRangeIPReservations, @namespace, CrdConversion.NewReservation(name, owner), cancellationToken);

    /// <summary>
    /// Deletes the reservation only if it is still the incarnation and version that was read (delete preconditions).
    /// False when it is gone or changed.
    /// </summary>
    public async Task<bool> DeleteReservationAsync(string @namespace, Reservation reservation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        var request = Request("delete", WhereaboutsApi.OverlappingRangeIPReservations, @namespace, reservation.Name);
        var options = new V1DeleteOptions
        {
            Preconditions = new V1Preconditions { ResourceVersion = reservation.Version, Uid = reservation.Uid },
        };
        var result = await Connection.SendAsync(
            request,
            (k, ct) => k.CustomObjects.DeleteNamespacedCustomObjectWithHttpMessagesAsync<System.Text.Json.JsonElement>(
                WhereaboutsApi.Group, WhereaboutsApi.Version, @namespace, WhereaboutsApi.OverlappingRangeIPReservations, reservation.Name,
                body: options, cancellationToken: ct),
            cancellationToken);
        if (result.IsNotFound || result.IsConflict)
        {
            return false;
        }

        Body(result, request);
        return true;
    }

    public Task<IReadOnlyList<OverlappingRangeIPReservation>> ListReservationsAsync(string? @namespace, CancellationToken cancellationToken) =>
        ListAsync<OverlappingRangeIPReservationList, OverlappingRangeIPReservation>(
            WhereaboutsApi.OverlappingRangeIPReservations, @namespace, PageSize, paginate: true, cancellationToken);

    public Task<IReadOnlyList<NodeSlicePool>> ListNodeSlicePoolsAsync(string? @namespace, CancellationToken cancellationToken) =>
        ListAsync<NodeSlicePoolList, NodeSlicePool>(WhereaboutsApi.NodeSlicePools, @namespace, PageSize, paginate: true, cancellationToken);

    public async Task<V1Pod?> GetPodAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var request = new KubeRequest("get", "pods", string.Empty, @namespace, name);
        var result = await Connection.SendAsync(
            request,
            (k, ct) => k.CoreV1.ReadNamespacedPodWithHttpMessagesAsync(name, @namespace, cancellationToken: ct),
            cancellationToken);
        return result.IsNotFound ? null : Body(result, request);
    }

    private async Task<T?> GetAsync<T>(string plural, string @namespace, string name, CancellationToken cancellationToken)
        where T : WhereaboutsObject
    {
        var request = Request("get", plural, @namespace, name);
        var result = await Connection.SendAsync(
            request,
            (k, ct) => k.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync<T>(
                WhereaboutsApi.Group, WhereaboutsApi.Version, @namespace, plural, name, cancellationToken: ct),
            cancellationToken);
        return result.IsNotFound ? null : Body(result, request);
    }

    /// <summary>Creates <paramref name="body"/>; null when its name is taken (409 AlreadyExists).</summary>
    private async Task<T?> CreateAsync<T>(string plural, string @namespace, T body, CancellationToken cancellationToken)
        where T : WhereaboutsObject
    {
        var request = Request("create", plural, @namespace, body.Metadata.Name);
        var result = await Connection.SendAsync(
            request,
            (k, ct) => k.CustomObjects.CreateNamespacedCustomObjectWithHttpMessagesAsync<T>(
                body, WhereaboutsApi.Group, WhereaboutsApi.Version, @namespace, plural, cancellationToken: ct),
            cancellationToken);
        return result.IsConflict ? null : Body(result, request);
    }

    private async Task<IReadOnlyList<TItem>> ListAsync<TList, TItem>(
        string plural, string? @namespace, int limit, bool paginate, CancellationToken cancellationToken)
        where TList : IItems<TItem>, IKubernetesObject<V1ListMeta>
    {
        var request = Request("list", plural, @namespace, null);
        var items = new List<TItem>();
        string? continueToken = null;
        do
        {
            var token = continueToken;
            var result = await Connection.SendAsync(
                request,
                (k, ct) => @namespace is null
                    ? k.CustomObjects.ListCustomObjectForAllNamespacesWithHttpMessagesAsync<TList>(
                        WhereaboutsApi.Group, WhereaboutsApi.Version, plural, continueParameter: token, limit: limit, cancellationToken: ct)
                    : k.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<TList>(
                        WhereaboutsApi.Group, WhereaboutsApi.Version, @namespace, plural, continueParameter: token, limit: limit, cancellationToken: ct),
                cancellationToken);
            if (!result.IsSuccess)
            {
                throw KubeErrors.ForStatus(result.StatusCode, result.Status, null, request, Connection.Server);
            }

            var page = Body(result, request);
            items.AddRange(page.Items ?? []);
            continueToken = page.Metadata?.ContinueProperty;
        }
        while (paginate && !string.IsNullOrEmpty(continueToken));

        return items;
    }

    private T Body<T>(KubeResult<T> result, KubeRequest request)
    {
        if (!result.IsSuccess)
        {
            throw KubeErrors.ForStatus(result.StatusCode, result.Status, null, request, Connection.Server);
        }

        return result.Body ?? throw new StoreDataException($"API server {Connection.Server.Authority} answered {request} with an empty body");
    }

    private static KubeRequest Request(string verb, string plural, string? @namespace, string? name) =>
        new(verb, plural, WhereaboutsApi.Group, @namespace, name);

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "created IPPool {Name} for range {Range} in namespace {Namespace}")]
    private static partial void LogPoolCreated(ILogger logger, string name, Cidr range, string @namespace);

    [LoggerMessage(EventId = 211, Level = LogLevel.Debug, Message = "IPPool {Name} moved since version {Version} (HTTP {Status}); write not applied")]
    private static partial void LogPoolMoved(ILogger logger, string name, string version, int status);
}
