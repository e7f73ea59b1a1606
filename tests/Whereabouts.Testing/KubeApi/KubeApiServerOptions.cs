namespace Whereabouts.Testing.KubeApi;

/// <summary>How a <see cref="KubeApiServer"/> is started. The defaults mirror a real cluster.</summary>
public sealed record KubeApiServerOptions
{
    /// <summary>The loopback port to listen on; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Serve HTTPS with a freshly generated CA (the default), or plain HTTP.</summary>
    public bool UseHttps { get; init; } = true;

    /// <summary>The bearer token of the full-access user; null generates a random one.</summary>
    public string? Token { get; init; }

    /// <summary>The user name of <see cref="Token"/>.</summary>
    public string UserName { get; init; } = "kubernetes-admin";

    /// <summary>More tokens, each with its own user and optional authorization rules.</summary>
    public IReadOnlyDictionary<string, KubeApiUser> Users { get; init; } = new Dictionary<string, KubeApiUser>();

    /// <summary>
    /// Like kube-apiserver's --anonymous-auth: when true a request without a token is
    /// system:anonymous (which may read /version and discovery, and is 403 elsewhere); when false
    /// (the default) it is 401 Unauthorized.
    /// </summary>
    public bool AllowAnonymous { get; init; }

    /// <summary>The directory whose CRD YAML files define the custom resources; null finds deploy/crds above the app.</summary>
    public string? CrdDirectory { get; init; }

    /// <summary>
    /// Events retained per resource for watches from a resourceVersion and for paged lists. Older
    /// resourceVersions get 410 Expired, as after an etcd compaction.
    /// </summary>
    public int WatchHistoryCapacity { get; init; } = 10_000;

    /// <summary>How often watches that allow bookmarks get a BOOKMARK (kube-apiserver: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Events queued for one watcher before the server drops it as too slow.</summary>
    public int WatchBufferSize { get; init; } = 10_000;

    /// <summary>The largest request body accepted (kube-apiserver: 3 MiB); larger is 413.</summary>
    public int MaxRequestBodyBytes { get; init; } = 3 * 1024 * 1024;

    /// <summary>The largest object stored (etcd's default --max-request-bytes, 1.5 MiB); larger is etcd's 500.</summary>
    public int MaxObjectBytes { get; init; } = 1_572_864;

    /// <summary>
    /// How long a gracefully deleted pod stays (with deletionTimestamp set) before the server removes
    /// it, as the kubelet would; null (the default) leaves that to the test
    /// (<see cref="KubeApiStore.FinishPodDeletion"/>).
    /// </summary>
    public TimeSpan? PodTerminationDelay { get; init; }

    /// <summary>
    /// Like the NamespaceLifecycle admission plugin: creating an object in a namespace that does not
    /// exist is 404. When false, any namespace is accepted.
    /// </summary>
    public bool RequireNamespaces { get; init; } = true;

    /// <summary>Namespaces that exist from the start, as in a new cluster.</summary>
    public IReadOnlyList<string> InitialNamespaces { get; init; } = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>The version /version reports.</summary>
    public string KubernetesVersion { get; init; } = "v1.33.0";

    /// <summary>The clock for timestamps (creation, deletion) and pod termination.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
