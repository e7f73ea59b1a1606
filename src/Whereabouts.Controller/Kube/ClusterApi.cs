using System.Globalization;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Controller.Kube;

/// <summary>
/// The requests only the controller makes (pods, NetworkAttachmentDefinitions, events, the pod watch) over the shared
/// <see cref="KubernetesConnection"/>; the whereabouts objects go through <see cref="WhereaboutsClient"/>.
/// </summary>
internal sealed class ClusterApi(KubernetesConnection connection)
{
    public const string NetworkGroup = "k8s.cni.cncf.io";
    public const string NetworkVersion = "v1";
    public const string NetworkPlural = "network-attachment-definitions";

    private const int PageSize = 500;

    /// <summary>
    /// Lists pods in all namespaces, every page, optionally narrowed by a field selector. Either the whole list comes
    /// back or an exception: a partial list would make live pods look deleted.
    /// </summary>
    public async Task<PodList> ListPodsAsync(string? fieldSelector, CancellationToken cancellationToken)
    {
        var request = new KubeRequest("list", "pods", string.Empty, null);
        var items = new List<V1Pod>();
        string? resourceVersion = null;
        string? continueToken = null;
        do
        {
            var token = continueToken;
            var result = await connection.SendAsync(
                request,
                (k, ct) => k.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(
                    continueParameter: token, fieldSelector: fieldSelector, limit: PageSize, cancellationToken: ct),
                cancellationToken);
            var page = KubeResults.Require(result, request);
            items.AddRange(page.Items ?? []);
            resourceVersion ??= page.Metadata?.ResourceVersion;
            continueToken = page.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(continueToken));

        return new PodList(items, resourceVersion ?? string.Empty);
    }

    /// <summary>Opens a watch of pods from <paramref name="resourceVersion"/>, with bookmarks; the server ends it after <paramref name="timeout"/>.</summary>
    public Task<ObjectWatch<V1Pod>> WatchPodsAsync(string? fieldSelector, string resourceVersion, TimeSpan timeout, CancellationToken cancellationToken) =>
        WatchAsync(
            new KubeRequest("watch", "pods", string.Empty, null),
            "api/v1/pods",
            fieldSelector,
            resourceVersion,
            timeout,
            static json => KubernetesJson.Deserialize<V1Pod>(Encoding.UTF8.GetString(json)),
            static p => p.Metadata?.ResourceVersion,
            cancellationToken);

    /// <summary>
    /// Opens a watch of Nodes from <paramref name="resourceVersion"/>, with bookmarks; the server ends it after
    /// <paramref name="timeout"/>. Only the metadata of each Node is read: a Node's status is large and changes often.
    /// </summary>
    public Task<ObjectWatch<V1ObjectMeta>> WatchNodesAsync(string resourceVersion, TimeSpan timeout, CancellationToken cancellationToken) =>
        WatchAsync(
            new KubeRequest("watch", "nodes", string.Empty, null),
            "api/v1/nodes",
            null,
            resourceVersion,
            timeout,
            static json => ReadObject(
                json,
                static node => node.TryGetProperty("metadata", out var metadata) ? KubernetesJson.Deserialize<V1ObjectMeta>(metadata.GetRawText()) : null,
                "a Node without metadata"),
            static m => m.ResourceVersion,
            cancellationToken);

    /// <summary>Opens a watch of the NetworkAttachmentDefinitions of every namespace from <paramref name="resourceVersion"/>, with bookmarks.</summary>
    public Task<ObjectWatch<NetworkDefinition>> WatchNetworkDefinitionsAsync(string resourceVersion, TimeSpan timeout, CancellationToken cancellationToken) =>
        WatchAsync(
            new KubeRequest("watch", NetworkPlural, NetworkGroup, null),
            $"apis/{NetworkGroup}/{NetworkVersion}/{NetworkPlural}",
            null,
            resourceVersion,
            timeout,
            static json => ReadObject(json, NetworkDefinition.From, "a NetworkAttachmentDefinition without name or namespace"),
            static d => d.ResourceVersion,
            cancellationToken);

    /// <summary>The <c>spec.config</c> of a NetworkAttachmentDefinition; null when it does not exist, empty when it has none.</summary>
    public async Task<string?> GetNetworkConfigAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var request = new KubeRequest("get", NetworkPlural, NetworkGroup, @namespace, name);
        var result = await connection.SendAsync(
            request,
            (k, ct) => k.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync<JsonElement>(
                NetworkGroup, NetworkVersion, @namespace, NetworkPlural, name, cancellationToken: ct),
            cancellationToken);
        if (result.IsNotFound)
        {
            return null;
        }

        var body = KubeResults.Require(result, request);
        return body.ValueKind == JsonValueKind.Object
            && body.TryGetProperty("spec", out var spec) && spec.ValueKind == JsonValueKind.Object
            && spec.TryGetProperty("config", out var config) && config.ValueKind == JsonValueKind.String
            ? config.GetString()
            : string.Empty;
    }

    /// <summary>
    /// Every NetworkAttachmentDefinition in all namespaces, every page, with its <c>spec.config</c> (empty when it has
    /// none). Either the whole list comes back or an exception.
    /// </summary>
    public async Task<IReadOnlyList<NetworkDefinition>> ListNetworkConfigsAsync(CancellationToken cancellationToken) =>
        (await ListNetworkDefinitionsAsync(cancellationToken)).Items;

    /// <summary>As <see cref="ListNetworkConfigsAsync"/>, with the list's resourceVersion to watch from.</summary>
    public async Task<ObjectList<NetworkDefinition>> ListNetworkDefinitionsAsync(CancellationToken cancellationToken)
    {
        var request = new KubeRequest("list", NetworkPlural, NetworkGroup, null);
        var items = new List<NetworkDefinition>();
        string? resourceVersion = null;
        string? continueToken = null;
        do
        {
            var token = continueToken;
            var result = await connection.SendAsync(
                request,
                (k, ct) => k.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<JsonElement>(
                    NetworkGroup, NetworkVersion, NetworkPlural, continueParameter: token, limit: PageSize, cancellationToken: ct),
                cancellationToken);
            var page = KubeResults.Require(result, request);
            if (page.ValueKind == JsonValueKind.Object && page.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                items.AddRange(list.EnumerateArray().Select(NetworkDefinition.From).OfType<NetworkDefinition>());
            }

            var metadata = page.ValueKind == JsonValueKind.Object && page.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
            resourceVersion ??= Text(metadata, "resourceVersion");
            continueToken = Text(metadata, "continue");
        }
        while (!string.IsNullOrEmpty(continueToken));

        return new ObjectList<NetworkDefinition>(items, resourceVersion ?? string.Empty);
    }

    /// <summary>The names of every Node, and the list's resourceVersion to watch from.</summary>
    public async Task<ObjectList<string>> ListNodeNamesAsync(CancellationToken cancellationToken)
    {
        var request = new KubeRequest("list", "nodes", string.Empty, null);
        var result = await connection.SendAsync(
            request,
            (k, ct) => k.CoreV1.ListNodeWithHttpMessagesAsync(cancellationToken: ct),
            cancellationToken);
        var nodes = KubeResults.Require(result, request);
        return new ObjectList<string>([.. (nodes.Items ?? []).Select(static n => n.Metadata?.Name).OfType<string>()], nodes.Metadata?.ResourceVersion ?? string.Empty);
    }

    public async Task CreateEventAsync(Corev1Event recorded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var @namespace = recorded.Metadata.NamespaceProperty;
        var request = new KubeRequest("create", "events", string.Empty, @namespace, recorded.Metadata.Name);
        var result = await connection.SendAsync(
            request,
            (k, ct) => k.CoreV1.CreateNamespacedEventWithHttpMessagesAsync(recorded, @namespace, cancellationToken: ct),
            cancellationToken);
        KubeResults.Require(result, request);
    }

    /// <summary>Reads what is needed of one watched object; <paramref name="lacking"/> says what is wrong when <paramref name="read"/> finds nothing.</summary>
    private static T ReadObject<T>(ReadOnlySpan<byte> json, Func<JsonElement, T?> read, string lacking)
        where T : class
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        return read(document.RootElement) ?? throw new JsonException(lacking);
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private async Task<ObjectWatch<T>> WatchAsync<T>(
        KubeRequest request,
        string path,
        string? fieldSelector,
        string resourceVersion,
        TimeSpan timeout,
        ObjectReader<T> read,
        Func<T, string?> versionOf,
        CancellationToken cancellationToken)
        where T : class
    {
        var query = string.Create(
            CultureInfo.InvariantCulture,
            $"{path}?watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}&timeoutSeconds={Math.Max(1, (int)timeout.TotalSeconds)}");
        if (fieldSelector is not null)
        {
            query += "&fieldSelector=" + Uri.EscapeDataString(fieldSelector);
        }

        var response = await connection.OpenStreamAsync(request, query, cancellationToken);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return new ObjectWatch<T>(response, body, read, versionOf, request.ToString());
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
