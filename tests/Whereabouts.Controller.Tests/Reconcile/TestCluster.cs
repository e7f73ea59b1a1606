using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Whereabouts.Controller.Kube;
using Whereabouts.Controller.Reconcile;
using Whereabouts.Ipam;
using Whereabouts.Storage.Kubernetes.Api;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Controller.Tests.Reconcile;

/// <summary>
/// The API test server with the whereabouts service account's permissions (the chart's RBAC), a temporary directory
/// with its kubeconfig, and helpers to plant and read pools, reservations, pods and NetworkAttachmentDefinitions.
/// The server's clock starts an hour back, so that planted objects are old unless <see cref="Young"/> is used.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    public const string Namespace = "kube-system";
    public const string ServiceAccountToken = "whereabouts-service-account-token";

    /// <summary>A user that may do nothing at all.</summary>
    public const string RestrictedToken = "restricted-token";

    private readonly List<KubernetesConnection> _connections = [];

    private TestCluster(KubeApiServer server, FakeTimeProvider serverClock, string directory)
    {
        Server = server;
        ServerClock = serverClock;
        Directory = directory;
        KubeconfigPath = server.WriteKubeconfig(Path.Join(directory, "kubeconfig"), Namespace, ServiceAccountToken);
    }

    public KubeApiServer Server { get; }

    public FakeTimeProvider ServerClock { get; }

    public string Directory { get; }

    public string KubeconfigPath { get; }

    public KubeApiStore Store => Server.Store;

    public KubeApiFaults Faults => Server.Faults;

    /// <summary>Requests that may change something.</summary>
    public long Writes => Server.Counters.Snapshot().Where(static c => c.Verb is "create" or "update" or "patch" or "delete" or "deletecollection").Sum(static c => c.Count);

    public static async Task<TestCluster> StartAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("wb-controller-").FullName;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromHours(1));
        try
        {
            var server = await KubeApiServer.StartAsync(
                new KubeApiServerOptions
                {
                    TimeProvider = clock,
                    Users = new Dictionary<string, KubeApiUser>
                    {
                        [ServiceAccountToken] = new("system:serviceaccount:kube-system:whereabouts", ChartRbac.Rules(Namespace)),
                        [RestrictedToken] = new("restricted", []),
                    },
                },
                TestContext.Current.CancellationToken);
            foreach (var extra in new[] { "tenant", "apps" })
            {
                server.Store.CreateNamespace(extra);
            }

            return new TestCluster(server, clock, directory);
        }
        catch
        {
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>Writes another kubeconfig for this server with <paramref name="token"/>.</summary>
    public string WriteKubeconfig(string fileName, string token) => Server.WriteKubeconfig(Path.Join(Directory, fileName), Namespace, token);

    /// <summary>From now on, objects are created with the real current time.</summary>
    public void Young() => ServerClock.SetUtcNow(DateTimeOffset.UtcNow);

    public KubernetesConnection Connect(TimeSpan? requestTimeout = null)
    {
        var connection = KubernetesConnection.Open(KubeconfigPath, requestTimeout ?? TimeSpan.FromSeconds(5));
        _connections.Add(connection);
        return connection;
    }

    /// <summary>Runs one pass with fast retries; the report records what it released.</summary>
    public async Task<(ReconcileSummary Summary, RecordingReport Report)> ReconcileAsync(ReconcileSettings? settings = null, TimeSpan? requestTimeout = null)
    {
        var connection = Connect(requestTimeout);
        var report = new RecordingReport();
        var pass = new ReconcilePass(
            new WhereaboutsClient(connection),
            new ClusterApi(connection),
            settings ?? Fast(),
            TimeProvider.System,
            NullLogger.Instance,
            report);
        return (await pass.RunAsync(TestContext.Current.CancellationToken), report);
    }

    public static ReconcileSettings Fast(bool dryRun = false, string? @namespace = null) => new()
    {
        DryRun = dryRun,
        Namespace = @namespace,
        Release = new IpamOptions { DelTimeout = TimeSpan.FromSeconds(5), InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(100) },
    };

    public JsonObject Pool(string name, string range, params Alloc[] allocations) => PoolIn(Namespace, name, range, allocations);

    public JsonObject PoolIn(string @namespace, string name, string range, params Alloc[] allocations)
    {
        var entries = new JsonObject();
        foreach (var a in allocations)
        {
            var entry = new JsonObject { ["id"] = a.Id, ["podref"] = a.PodRef };
            if (a.IfName is not null)
            {
                entry["ifname"] = a.IfName;
            }

            entries[a.Offset] = entry;
        }

        return Store.Create("ippools", new JsonObject
        {
            ["apiVersion"] = "whereabouts.cni.cncf.io/v1alpha1",
            ["kind"] = "IPPool",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
            ["spec"] = new JsonObject { ["range"] = range, ["allocations"] = entries },
        });
    }

    public JsonObject Reservation(string name, string podRef, string? ifName = "net1", string @namespace = Namespace, string? containerId = null)
    {
        var spec = new JsonObject { ["podref"] = podRef };
        if (ifName is not null)
        {
            spec["ifname"] = ifName;
        }

        if (containerId is not null)
        {
            spec["containerid"] = containerId;
        }

        return Store.Create("overlappingrangeipreservations", new JsonObject
        {
            ["apiVersion"] = "whereabouts.cni.cncf.io/v1alpha1",
            ["kind"] = "OverlappingRangeIPReservation",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
            ["spec"] = spec,
        });
    }

    public JsonObject Pod(string podRef, string phase = "Running", string node = "node-1", IReadOnlyDictionary<string, string>? annotations = null, string? uid = null)
    {
        var (@namespace, name) = Split(podRef);
        return Store.CreatePod(new TestPod(name, @namespace)
        {
            Phase = phase,
            NodeName = node,
            Uid = uid,
            Annotations = annotations ?? new Dictionary<string, string>(),
        });
    }

    /// <summary>Starts a graceful deletion: the pod stays, with deletionTimestamp set, until the test finishes it.</summary>
    public void Terminate(string podRef)
    {
        var (@namespace, name) = Split(podRef);
        Store.DeletePod(@namespace, name);
    }

    public void RemovePod(string podRef)
    {
        var (@namespace, name) = Split(podRef);
        Assert.True(Store.Delete("pods", @namespace, name));
    }

    public void Nad(string @namespace, string name, string config) =>
        Store.Create("network-attachment-definitions", new JsonObject
        {
            ["apiVersion"] = "k8s.cni.cncf.io/v1",
            ["kind"] = "NetworkAttachmentDefinition",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
            ["spec"] = new JsonObject { ["config"] = config },
        });

    /// <summary>The allocations of a pool by offset key, as (id, podref, ifname).</summary>
    public IReadOnlyDictionary<string, (string Id, string PodRef, string IfName)> Allocations(string pool, string @namespace = Namespace)
    {
        var stored = Store.Get("ippools", @namespace, pool) ?? throw new InvalidOperationException($"no pool {pool}");
        var allocations = stored["spec"]?["allocations"]?.AsObject() ?? [];
        return allocations.ToDictionary(
            static p => p.Key,
            static p => ((string?)p.Value?["id"] ?? "", (string?)p.Value?["podref"] ?? "", (string?)p.Value?["ifname"] ?? ""));
    }

    public bool HasReservation(string name, string @namespace = Namespace) =>
        Store.Get("overlappingrangeipreservations", @namespace, name) is not null;

    public IReadOnlyList<JsonObject> Events(string @namespace = "default") => Store.List("events", @namespace);

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }

        await Server.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static (string Namespace, string Name) Split(string podRef)
    {
        var slash = podRef.IndexOf('/', StringComparison.Ordinal);
        return (podRef[..slash], podRef[(slash + 1)..]);
    }
}
