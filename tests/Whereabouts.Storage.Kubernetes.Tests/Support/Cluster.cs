using System.Text.Json.Nodes;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Storage.Kubernetes.Tests.Support;

/// <summary>
/// A running API test server (HTTPS, its own CA and token), a temporary directory with its kubeconfig, and stores
/// opened on it. Disposing stops the server, closes the stores and removes the directory.
/// </summary>
internal sealed class Cluster : IAsyncDisposable
{
    public const string Namespace = "kube-system";

    private readonly List<IAsyncDisposable> _stores = [];

    private Cluster(KubeApiServer server, string directory)
    {
        Server = server;
        Directory = directory;
        KubeconfigPath = server.WriteKubeconfig(Path.Combine(directory, "whereabouts.kubeconfig"));
    }

    public KubeApiServer Server { get; }

    public string Directory { get; }

    public string KubeconfigPath { get; }

    public KubeApiFaults Faults => Server.Faults;

    public KubeApiCounters Counters => Server.Counters;

    public static async Task<Cluster> StartAsync(KubeApiServerOptions? options = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "wb-k8s-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        try
        {
            var server = await KubeApiServer.StartAsync(options ?? new KubeApiServerOptions(), TestContext.Current.CancellationToken);
            return new Cluster(server, directory);
        }
        catch
        {
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    public KubernetesIpamStore OpenStore(string? nodeName = null, TimeSpan? requestTimeout = null, string? @namespace = null, string? kubeconfigPath = null)
    {
        var store = KubernetesIpamStore.Open(new KubernetesStoreOptions
        {
            KubeconfigPath = kubeconfigPath ?? KubeconfigPath,
            NodeName = nodeName,
            Namespace = @namespace,
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10),
        });
        lock (_stores)
        {
            _stores.Add(store);
        }

        return store;
    }

    /// <summary>Starts a shared store (closed with the cluster) and waits until its caches are synced.</summary>
    public async Task<SharedKubernetesIpamStore> StartSharedStoreAsync(string? nodeName = null, bool waitForSync = true)
    {
        var store = await SharedKubernetesIpamStore.StartAsync(
            new KubernetesStoreOptions { KubeconfigPath = KubeconfigPath, NodeName = nodeName },
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            TestContext.Current.CancellationToken);
        lock (_stores)
        {
            _stores.Add(store);
        }

        if (waitForSync)
        {
            await store.WaitForSyncAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        }

        return store;
    }

    public string WriteKubeconfig(string fileName, string? token = null, string? @namespace = Namespace) =>
        Server.WriteKubeconfig(Path.Combine(Directory, fileName), @namespace, token);

    public JsonObject? Pool(string name, string @namespace = Namespace) => Server.Store.Get("ippools", @namespace, name);

    public JsonObject? Reservation(string name, string @namespace = Namespace) =>
        Server.Store.Get("overlappingrangeipreservations", @namespace, name);

    public IReadOnlyList<JsonObject> Reservations(string @namespace = Namespace) =>
        Server.Store.List("overlappingrangeipreservations", @namespace);

    /// <summary>Plants an object exactly as given (no schema validation), as another writer (upstream) would have left it.</summary>
    public JsonObject Plant(string resource, string json) => Server.Store.Create(resource, JsonNode.Parse(json)!.AsObject());

    /// <summary>Plants a pool of <paramref name="count"/> typical allocations at offsets 1..count.</summary>
    public void PlantTypicalPool(string name, string range, int count)
    {
        var allocations = new JsonObject();
        foreach (var (offset, allocation) in TypicalAllocations.Dictionary(count))
        {
            allocations[offset.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["id"] = allocation.ContainerId,
                ["ifname"] = allocation.IfName,
                ["podref"] = allocation.PodRef,
            };
        }

        Server.Store.Create("ippools", new JsonObject
        {
            ["apiVersion"] = "whereabouts.cni.cncf.io/v1alpha1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
            ["spec"] = new JsonObject { ["range"] = range, ["allocations"] = allocations },
        });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await Server.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
