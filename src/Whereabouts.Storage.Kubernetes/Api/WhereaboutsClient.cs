using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
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
    }

    public KubernetesConnection Connection { get; }

    public Task<IPPool?> GetPoolAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        GetAsync(WhereaboutsApi.IPPools, @namespace, name, WhereaboutsJsonContext.Default.IPPool, cancellationToken);

    /// <summary>Creates an empty pool; null when it already exists (a racing creator).</summary>
    public async Task<IPPool?> CreatePoolAsync(string @namespace, PoolKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var created = await CreateAsync(WhereaboutsApi.IPPools, @namespace, CrdConversion.NewPool(key), WhereaboutsJsonContext.Default.IPPool, cancellationToken);
        if (created is not null)
        {
            LogPoolCreated(_logger, key.Name, key.Range, @namespace);
        }

        return created;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the pool only if every entry it touches still holds what
    /// <paramref name="snapshot"/> read (see <see cref="PoolPatch"/>). False when such an entry moved or the pool was deleted.
    /// </summary>
    /// <exception cref="StoreLimitExceededException">The pool would become too large to store.</exception>
    /// <exception cref="StoreDataException">The server refused the patch for a reason other than a moved pool.</exception>
    public async Task<bool> TryUpdatePoolAsync(string @namespace, PoolSnapshot snapshot, PoolChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(change);
        PoolObjectSize.EnsureWithinLimit(snapshot, change);
        var name = snapshot.Key.Name;
        var replaceMap = snapshot.Allocations.Count == 0 && snapshot.UnreadableKeys.Count == 0;
        var result = await PatchPoolAsync(@namespace, name, PoolPatch.Build(snapshot.Version, snapshot.Allocations, change, replaceMap), cancellationToken);
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

        throw RefusedPatch(@namespace, name, snapshot.Version, result);
    }

    /// <summary>
    /// Sends a JSON Patch (see <see cref="PoolPatch"/>) to a pool. The answer is the patched pool, or 404 (gone),
    /// 409 or 422 (a failed <c>test</c> or a refused object) for the caller to decide on.
    /// </summary>
    /// <exception cref="StoreLimitExceededException">The patch is larger than the API server accepts.</exception>
    public Task<KubeResult<IPPool>> PatchPoolAsync(string @namespace, string name, string patch, CancellationToken cancellationToken) =>
        PatchPoolAsync(@namespace, name, patch, null, cancellationToken);

    /// <summary>
    /// As <see cref="PatchPoolAsync(string, string, string, CancellationToken)"/>; with <paramref name="cached"/>, the
    /// patched pool the server answers with is read by <see cref="PoolEventReader"/>, sharing the allocations that
    /// match <paramref name="cached"/>'s snapshot: for a cache whose every write to a large pool comes back as the whole pool.
    /// </summary>
    internal Task<KubeResult<IPPool>> PatchPoolAsync(
        string @namespace, string name, string patch, Func<string, PoolSnapshot?>? cached, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var request = Request("patch", WhereaboutsApi.IPPools, @namespace, name);
        PoolObjectSize.EnsureRequestWithinLimit(request.ToString(), patch);
        return Connection.SendAsync(
            request,
            HttpMethod.Patch,
            ObjectPath(WhereaboutsApi.IPPools, @namespace, name),
            cached is null ? Reader(WhereaboutsJsonContext.Default.IPPool) : json => PoolEventReader.Read(json, cached),
            () => new StringContent(patch, System.Text.Encoding.UTF8, "application/json-patch+json"),
            cancellationToken);
    }

    /// <summary>The error for a pool patch the server refused although the pool had not moved: not a conflict, a real refusal.</summary>
    public static StoreDataException RefusedPatch(string @namespace, string name, string version, KubeResult<IPPool> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new StoreDataException(
            $"API server refused to {Request("patch", WhereaboutsApi.IPPools, @namespace, name)} although it did not change since version {version}: {result.Message}");
    }

    public async Task<IReadOnlyList<IPPool>> ListPoolsAsync(string? @namespace, CancellationToken cancellationToken) =>
        (await ListPoolsWithVersionAsync(@namespace, cancellationToken)).Items;

    /// <summary>Every pool, with the list's resourceVersion to watch from.</summary>
    public Task<ObjectList<IPPool>> ListPoolsWithVersionAsync(string? @namespace, CancellationToken cancellationToken) =>
        ListAsync<IPPoolList, IPPool>(WhereaboutsApi.IPPools, @namespace, PageSize, paginate: true, WhereaboutsJsonContext.Default.IPPoolList, cancellationToken);

    /// <summary>
    /// Watches pools from <paramref name="resourceVersion"/> on, with bookmarks; the server ends it after
    /// <paramref name="timeout"/>. Each event's allocations are read straight into the snapshot form, sharing those that
    /// match <paramref name="cached"/>'s snapshot of the pool (<see cref="PoolEventReader"/>): every write to a large
    /// pool reaches the cache this feeds.
    /// </summary>
    internal Task<ObjectWatch<IPPool>> WatchPoolsAsync(
        string @namespace, string resourceVersion, TimeSpan timeout, Func<string, PoolSnapshot?> cached, CancellationToken cancellationToken) =>
        WatchAsync(WhereaboutsApi.IPPools, @namespace, resourceVersion, timeout, json => PoolEventReader.Read(json, cached), cancellationToken);

    /// <summary>Lists at most one pool: the cheapest request that proves the server is reachable and we may read pools.</summary>
    public Task ProbeAsync(string @namespace, CancellationToken cancellationToken) =>
        ListAsync<IPPoolList, IPPool>(WhereaboutsApi.IPPools, @namespace, 1, paginate: false, WhereaboutsJsonContext.Default.IPPoolList, cancellationToken);

    public Task<OverlappingRangeIPReservation?> GetReservationAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        GetAsync(WhereaboutsApi.OverlappingRangeIPReservations, @namespace, name, WhereaboutsJsonContext.Default.OverlappingRangeIPReservation, cancellationToken);

    /// <summary>Creates the reservation; null when the name is already taken.</summary>
    public Task<OverlappingRangeIPReservation?> CreateReservationAsync(
        string @namespace, string name, AllocationOwner owner, CancellationToken cancellationToken) =>
        CreateAsync(
            WhereaboutsApi.OverlappingRangeIPReservations, @namespace, CrdConversion.NewReservation(name, owner),
            WhereaboutsJsonContext.Default.OverlappingRangeIPReservation, cancellationToken);

    /// <summary>
    /// Deletes the reservation only if it is still the incarnation and version that was read (delete preconditions).
    /// False when it is gone or changed.
    /// </summary>
    public async Task<bool> DeleteReservationAsync(string @namespace, Reservation reservation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        var request = Request("delete", WhereaboutsApi.OverlappingRangeIPReservations, @namespace, reservation.Name);
        var options = DeleteOptions(reservation.Uid, reservation.Version);
        var result = await Connection.SendAsync(
            request,
            HttpMethod.Delete,
            ObjectPath(WhereaboutsApi.OverlappingRangeIPReservations, @namespace, reservation.Name),
            WhereaboutsJsonContext.Default.JsonElement,
            () => new StringContent(options, System.Text.Encoding.UTF8, "application/json"),
            cancellationToken);
        if (result.IsNotFound || result.IsConflict)
        {
            return false;
        }

        Body(result, request);
        return true;
    }

    public async Task<IReadOnlyList<OverlappingRangeIPReservation>> ListReservationsAsync(string? @namespace, CancellationToken cancellationToken) =>
        (await ListReservationsWithVersionAsync(@namespace, cancellationToken)).Items;

    /// <summary>Every reservation, with the list's resourceVersion to watch from.</summary>
    public Task<ObjectList<OverlappingRangeIPReservation>> ListReservationsWithVersionAsync(string? @namespace, CancellationToken cancellationToken) =>
        ListAsync<OverlappingRangeIPReservationList, OverlappingRangeIPReservation>(
            WhereaboutsApi.OverlappingRangeIPReservations, @namespace, PageSize, paginate: true,
            WhereaboutsJsonContext.Default.OverlappingRangeIPReservationList, cancellationToken);

    /// <summary>The reservations whose labels match <paramref name="labelSelector"/>.</summary>
    public async Task<IReadOnlyList<OverlappingRangeIPReservation>> ListReservationsAsync(string? @namespace, string labelSelector, CancellationToken cancellationToken) =>
        (await ListAsync<OverlappingRangeIPReservationList, OverlappingRangeIPReservation>(
            WhereaboutsApi.OverlappingRangeIPReservations, @namespace, PageSize, paginate: true,
            WhereaboutsJsonContext.Default.OverlappingRangeIPReservationList, cancellationToken, labelSelector)).Items;

    public Task<NodeSlicePool?> GetNodeSlicePoolAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        GetAsync(WhereaboutsApi.NodeSlicePools, @namespace, name, WhereaboutsJsonContext.Default.NodeSlicePool, cancellationToken);

    /// <summary>Creates a NodeSlicePool; null when one of that name already exists.</summary>
    public Task<NodeSlicePool?> CreateNodeSlicePoolAsync(string @namespace, NodeSlicePool pool, CancellationToken cancellationToken) =>
        CreateAsync(WhereaboutsApi.NodeSlicePools, @namespace, pool, WhereaboutsJsonContext.Default.NodeSlicePool, cancellationToken);

    /// <summary>
    /// Replaces a NodeSlicePool (spec and status: the CRD has no status subresource) at the resourceVersion it carries;
    /// false when another writer changed or deleted it since.
    /// </summary>
    public async Task<bool> TryReplaceNodeSlicePoolAsync(string @namespace, NodeSlicePool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var name = pool.Metadata.Name;
        var request = Request("update", WhereaboutsApi.NodeSlicePools, @namespace, name);
        var json = JsonSerializer.SerializeToUtf8Bytes(pool, WhereaboutsJsonContext.Default.NodeSlicePool);
        var result = await Connection.SendAsync(
            request,
            HttpMethod.Put,
            ObjectPath(WhereaboutsApi.NodeSlicePools, @namespace, name),
            WhereaboutsJsonContext.Default.NodeSlicePool,
            () => new ByteArrayContent(json) { Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") } },
            cancellationToken);
        if (result.IsConflict || result.IsNotFound)
        {
            return false;
        }

        Body(result, request);
        return true;
    }

    /// <summary>Watches reservations from <paramref name="resourceVersion"/> on, with bookmarks; the server ends it after <paramref name="timeout"/>.</summary>
    public Task<ObjectWatch<OverlappingRangeIPReservation>> WatchReservationsAsync(
        string @namespace, string resourceVersion, TimeSpan timeout, CancellationToken cancellationToken) =>
        WatchAsync(
            WhereaboutsApi.OverlappingRangeIPReservations, @namespace, resourceVersion, timeout,
            Reader(WhereaboutsJsonContext.Default.OverlappingRangeIPReservation), cancellationToken);

    public async Task<IReadOnlyList<NodeSlicePool>> ListNodeSlicePoolsAsync(string? @namespace, CancellationToken cancellationToken) =>
        (await ListNodeSlicePoolsWithVersionAsync(@namespace, cancellationToken)).Items;

    /// <summary>Every NodeSlicePool, with the list's resourceVersion to watch from.</summary>
    public Task<ObjectList<NodeSlicePool>> ListNodeSlicePoolsWithVersionAsync(string? @namespace, CancellationToken cancellationToken) =>
        ListAsync<NodeSlicePoolList, NodeSlicePool>(
            WhereaboutsApi.NodeSlicePools, @namespace, PageSize, paginate: true, WhereaboutsJsonContext.Default.NodeSlicePoolList, cancellationToken);

    /// <summary>Watches NodeSlicePools from <paramref name="resourceVersion"/> on, with bookmarks; the server ends it after <paramref name="timeout"/>.</summary>
    public Task<ObjectWatch<NodeSlicePool>> WatchNodeSlicePoolsAsync(string @namespace, string resourceVersion, TimeSpan timeout, CancellationToken cancellationToken) =>
        WatchAsync(WhereaboutsApi.NodeSlicePools, @namespace, resourceVersion, timeout, Reader(WhereaboutsJsonContext.Default.NodeSlicePool), cancellationToken);

    /// <summary>Where a pod runs; null when it does not exist. Reads only the fields the plugin needs.</summary>
    public async Task<PodPlacement?> GetPodPlacementAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var request = new KubeRequest("get", "pods", string.Empty, @namespace, name);
        var path = $"api/v1/namespaces/{Uri.EscapeDataString(@namespace)}/pods/{Uri.EscapeDataString(name)}";
        var result = await Connection.SendAsync(request, HttpMethod.Get, path, WhereaboutsJsonContext.Default.PodPlacement, null, cancellationToken);
        return result.IsNotFound ? null : Body(result, request);
    }

    public async Task<V1Pod?> GetPodAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var request = new KubeRequest("get", "pods", string.Empty, @namespace, name);
        var result = await Connection.SendAsync(
            request,
            (k, ct) => k.CoreV1.ReadNamespacedPodWithHttpMessagesAsync(name, @namespace, cancellationToken: ct),
            cancellationToken);
        return result.IsNotFound ? null : Body(result, request);
    }

    private async Task<T?> GetAsync<T>(string plural, string @namespace, string name, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : WhereaboutsObject
    {
        var request = Request("get", plural, @namespace, name);
        var result = await Connection.SendAsync(request, HttpMethod.Get, ObjectPath(plural, @namespace, name), type, null, cancellationToken);
        return result.IsNotFound ? null : Body(result, request);
    }

    private async Task<T?> CreateAsync<T>(string plural, string @namespace, T body, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : WhereaboutsObject
    {
        var request = Request("create", plural, @namespace, body.Metadata.Name);
        var json = JsonSerializer.SerializeToUtf8Bytes(body, type);
        var result = await Connection.SendAsync(
            request,
            HttpMethod.Post,
            CollectionPath(plural, @namespace),
            type,
            () => new ByteArrayContent(json) { Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") } },
            cancellationToken);
        return result.IsConflict ? null : Body(result, request);
    }

    private static ObjectReader<T> Reader<T>(JsonTypeInfo<T> type) => json => JsonSerializer.Deserialize(json, type);

    private async Task<ObjectWatch<T>> WatchAsync<T>(
        string plural, string @namespace, string resourceVersion, TimeSpan timeout, ObjectReader<T> read, CancellationToken cancellationToken)
        where T : WhereaboutsObject
    {
        var query = string.Create(
            CultureInfo.InvariantCulture,
            $"?watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}&timeoutSeconds={Math.Max(1, (int)timeout.TotalSeconds)}");
        var request = Request("watch", plural, @namespace, null);
        var response = await Connection.OpenStreamAsync(request, CollectionPath(plural, @namespace) + query, cancellationToken);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return new ObjectWatch<T>(response, body, read, static o => o.Metadata?.ResourceVersion, request.ToString());
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<ObjectList<TItem>> ListAsync<TList, TItem>(
        string plural, string? @namespace, int limit, bool paginate, JsonTypeInfo<TList> type, CancellationToken cancellationToken, string? labelSelector = null)
        where TList : WhereaboutsList<TItem>
    {
        var request = Request("list", plural, @namespace, null);
        var items = new List<TItem>();
        string? resourceVersion = null;
        string? continueToken = null;
        do
        {
            var query = string.Create(CultureInfo.InvariantCulture, $"?limit={limit}")
                + (labelSelector is null ? string.Empty : "&labelSelector=" + Uri.EscapeDataString(labelSelector))
                + (continueToken is null ? string.Empty : "&continue=" + Uri.EscapeDataString(continueToken));
            var result = await Connection.SendAsync(request, HttpMethod.Get, CollectionPath(plural, @namespace) + query, type, null, cancellationToken);
            if (!result.IsSuccess)
            {
                throw KubeErrors.ForStatus(result.StatusCode, result.Status, null, request, Connection.Server);
            }

            var page = Body(result, request);
            items.AddRange(page.Items ?? []);
            resourceVersion ??= page.Metadata?.ResourceVersion;
            continueToken = page.Metadata?.ContinueProperty;
        }
        while (paginate && !string.IsNullOrEmpty(continueToken));

        return new ObjectList<TItem>(items, resourceVersion ?? string.Empty);
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

    private static string CollectionPath(string plural, string? @namespace) =>
        @namespace is null
            ? $"apis/{WhereaboutsApi.Group}/{WhereaboutsApi.Version}/{plural}"
            : $"apis/{WhereaboutsApi.Group}/{WhereaboutsApi.Version}/namespaces/{Uri.EscapeDataString(@namespace)}/{plural}";

    private static string ObjectPath(string plural, string @namespace, string name) =>
        CollectionPath(plural, @namespace) + "/" + Uri.EscapeDataString(name);

    /// <summary>DeleteOptions whose preconditions make the delete apply only to the object that was read.</summary>
    private static string DeleteOptions(string? uid, string resourceVersion)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", "DeleteOptions");
            json.WriteString("apiVersion", "v1");
            json.WriteStartObject("preconditions");
            if (uid is not null)
            {
                json.WriteString("uid", uid);
            }

            json.WriteString("resourceVersion", resourceVersion);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "created IPPool {Name} for range {Range} in namespace {Namespace}")]
    private static partial void LogPoolCreated(ILogger logger, string name, Cidr range, string @namespace);

    [LoggerMessage(EventId = 211, Level = LogLevel.Debug, Message = "IPPool {Name} moved since version {Version} (HTTP {Status}); write not applied")]
    private static partial void LogPoolMoved(ILogger logger, string name, string version, int status);
}
