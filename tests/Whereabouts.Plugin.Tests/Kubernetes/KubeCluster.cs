using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Whereabouts.Plugin.Tests.Support;
using Whereabouts.Testing.Agent;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Plugin.Tests.Kubernetes;

/// <summary>
/// The Kubernetes API test server on loopback over HTTPS, a kubeconfig for it in a fresh temporary directory, the
/// published plugin run against it as a node would run it (NODENAME set), and the stored objects read back as the
/// tests' oracle. In <see cref="ClusterMode.Agent"/> a node agent runs against the server too, and every configuration
/// the cluster writes names its socket (<c>agent_socket</c>), keeping the kubeconfig for the plugin's fallback.
/// Disposing stops the agent and the server and removes the directory.
/// </summary>
internal sealed class KubeCluster : IAsyncDisposable
{
    /// <summary>Where the kubeconfig's context, and so the plugin, keeps pools and reservations.</summary>
    public const string Namespace = "kube-system";

    private readonly TempDir _dir;

    private KubeCluster(KubeApiServer server, TempDir dir, ClusterMode mode)
    {
        Server = server;
        _dir = dir;
        Mode = mode;
        KubeconfigPath = server.WriteKubeconfig(dir.Sub("whereabouts.kubeconfig"), Namespace);
        AgentSocket = dir.Sub("agent.sock");
    }

    public ClusterMode Mode { get; }

    /// <summary>The running agent in <see cref="ClusterMode.Agent"/>, else null.</summary>
    public NodeAgentProcess? Agent { get; private set; }

    /// <summary>Where the agent listens (in agent mode the configurations name it even while no agent runs).</summary>
    public string AgentSocket { get; }

    public KubeApiServer Server { get; }

    public string KubeconfigPath { get; }

    public KubeApiFaults Faults => Server.Faults;

    public KubeApiCounters Counters => Server.Counters;

    public static async Task<KubeCluster> StartAsync(ClusterMode mode, KubeApiServerOptions? options = null)
    {
        var dir = new TempDir();
        KubeApiServer? server = null;
        try
        {
            server = await KubeApiServer.StartAsync(options ?? new KubeApiServerOptions(), TestContext.Current.CancellationToken);
            var cluster = new KubeCluster(server, dir, mode);
            if (mode == ClusterMode.Agent)
            {
                await cluster.StartAgentAsync();
            }

            return cluster;
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            dir.Dispose();
            throw;
        }
    }

    /// <summary>(Re)starts the agent on <see cref="AgentSocket"/>, with <paramref name="kubeconfig"/> (default: the cluster's).</summary>
    public async Task<NodeAgentProcess> StartAgentAsync(string? kubeconfig = null, string node = "node-a")
    {
        if (Agent is not null)
        {
            await Agent.DisposeAsync();
        }

        Agent = null;
        Agent = await AgentProcess.StartAsync(AgentSocket, kubeconfig ?? KubeconfigPath, node);

        // The node controller beside the agent lists and watches this node's pods once at start; the tests count only
        // what the plugin's calls cost, so the counters start after that.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!Counters.Snapshot().Any(static c => c.Resource == "pods" && c.Verb == "watch") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), TestContext.Current.CancellationToken);
        }

        Counters.Reset();
        return Agent;
    }

    /// <summary>Another kubeconfig for this server, e.g. with another user's (or a wrong) token.</summary>
    public string WriteKubeconfig(string fileName, string? token = null) => Server.WriteKubeconfig(_dir.Sub(fileName), Namespace, token);

    /// <summary>The whereabouts plugin invoked directly, on the Kubernetes datastore (no "datastore" key, as upstream's configurations).</summary>
    public string Direct(string version = "1.0.0", Action<JsonObject>? edit = null, string? kubeconfig = null) =>
        NetConf.Direct(string.Empty, version, edit: ipam => OnKubernetes(ipam, kubeconfig ?? KubeconfigPath, edit));

    /// <summary>macvlan over <paramref name="master"/> delegating to whereabouts on the Kubernetes datastore.</summary>
    public string Macvlan(string master, string version = "1.0.0", Action<JsonObject>? edit = null) =>
        NetConf.Macvlan(master, string.Empty, version, edit: ipam => OnKubernetes(ipam, KubeconfigPath, edit));

    /// <summary>The agent's log so far, to append to assertion messages.</summary>
    public string AgentLog => Agent?.Output ?? string.Empty;

    /// <summary>An edit that replaces the example range (and its gateway and bounds) with <paramref name="range"/>.</summary>
    public static Action<JsonObject> WithRange(string range, string? start = null, string? end = null) => ipam =>
    {
        ipam.Remove("gateway");
        ipam.Remove("range_start");
        ipam.Remove("range_end");
        ipam["range"] = range;
        if (start is not null)
        {
            ipam["range_start"] = start;
        }

        if (end is not null)
        {
            ipam["range_end"] = end;
        }
    };

    /// <summary>Runs <paramref name="binary"/> (the plugin by default) for one CNI call, on <paramref name="node"/> when given.</summary>
    public static Task<ProcessResult> RunAsync(CniCall call, string config, string? node = null, string? binary = null, TimeSpan? timeout = null)
    {
        var env = call.Environment();
        if (node is not null)
        {
            env["NODENAME"] = node;
        }

        return Run.ProcessAsync(binary ?? Repo.Plugin, [], env, config, timeout, TestContext.Current.CancellationToken);
    }

    /// <summary>An ADD (or another command) for pod <c>default/&lt;pod&gt;</c> with container <paramref name="containerId"/>.</summary>
    public static Task<ProcessResult> PodAsync(string command, string containerId, string pod, string config, string? node = null, TimeSpan? timeout = null) =>
        RunAsync(new CniCall(command, containerId) { Args = CniCall.PodArgs(pod) }, config, node, timeout: timeout);

    /// <summary>The message and details of a CNI error result, unescaped.</summary>
    public static string ErrorText(string stdout)
    {
        var error = JsonNode.Parse(stdout)!;
        return $"{error["msg"]?.GetValue<string>()} {error["details"]?.GetValue<string>()}";
    }

    /// <summary>Waits (polling) until <paramref name="condition"/> holds; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {timeout} waiting until {what}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TestContext.Current.CancellationToken);
        }
    }

    public JsonObject? Pool(string name) => Server.Store.Get("ippools", Namespace, name);

    public JsonObject? Reservation(string name) => Server.Store.Get("overlappingrangeipreservations", Namespace, name);

    /// <summary>Every allocation of every pool in the namespace.</summary>
    public List<KubeAllocation> Allocations()
    {
        var result = new List<KubeAllocation>();
        foreach (var pool in Server.Store.List("ippools", Namespace))
        {
            var name = pool["metadata"]!["name"]!.GetValue<string>();
            var range = pool["spec"]!["range"]!.GetValue<string>();
            foreach (var (offset, value) in pool["spec"]!["allocations"]?.AsObject() ?? [])
            {
                result.Add(new KubeAllocation(name, offset, AddressOf(range, offset), value!["id"]!.GetValue<string>(),
                    value["podref"]!.GetValue<string>(), value["ifname"]?.GetValue<string>() ?? string.Empty));
            }
        }

        return result;
    }

    public List<KubeReservation> Reservations() =>
        [.. Server.Store.List("overlappingrangeipreservations", Namespace).Select(static r => new KubeReservation(
            r["metadata"]!["name"]!.GetValue<string>(),
            r["spec"]!["podref"]!.GetValue<string>(),
            r["spec"]!["ifname"]?.GetValue<string>() ?? string.Empty,
            r["spec"]!["containerid"]?.GetValue<string>()))];

    /// <summary>No address, and no attachment, held twice: what must hold even while reservations may be left over.</summary>
    public void AssertNoDuplicates()
    {
        var allocations = Allocations();
        Assert.Equal(allocations.Count, allocations.Select(static a => a.Address).Distinct().Count());
        Assert.Equal(allocations.Count, allocations.Select(static a => (a.ContainerId, a.IfName)).Distinct().Count());
        var reservations = Reservations();
        Assert.All(allocations, a => Assert.Contains(reservations, r => r.Name == a.Address && r.PodRef == a.PodRef));
    }

    /// <summary>
    /// The invariants the datastore must keep whatever happened: no address or attachment twice, and every allocation
    /// has the reservation of its address, owned by the same pod interface, and every reservation its allocation.
    /// </summary>
    public void AssertConsistent()
    {
        AssertNoDuplicates();
        var allocations = Allocations();
        var reservations = Reservations();
        var byName = reservations.ToDictionary(static r => r.Name);
        Assert.All(allocations, a =>
        {
            Assert.True(byName.TryGetValue(a.Address, out var reservation), $"allocation {a} has no reservation");
            Assert.Equal((a.PodRef, a.IfName), (reservation!.PodRef, reservation.IfName));
        });
        var allocated = allocations.Select(static a => a.Address).ToHashSet();
        Assert.All(reservations, r => Assert.True(allocated.Contains(r.Name), $"reservation {r} has no allocation"));
    }

    /// <summary>Writes the request counts to the test output, for the report.</summary>
    public void ReportCounters(string title)
    {
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{title}: {Counters.Total} requests");
        foreach (var counter in Counters.Snapshot())
        {
            output?.WriteLine($"  {counter.Verb,-7} {counter.Resource,-31} {counter.StatusCode,3}: {counter.Count}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Agent is not null)
        {
            await Agent.DisposeAsync();
        }

        await Server.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>The address at <paramref name="offset"/> from the pool range's own address, as upstream counts.</summary>
    public static string AddressOf(string range, string offset)
    {
        var network = IPAddress.Parse(range[..range.IndexOf('/', StringComparison.Ordinal)]).GetAddressBytes();
        var n = UInt128.Parse(offset, CultureInfo.InvariantCulture);
        var bytes = new byte[network.Length];
        if (network.Length == 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)(BinaryPrimitives.ReadUInt32BigEndian(network) + n));
        }
        else
        {
            BinaryPrimitives.WriteUInt128BigEndian(bytes, BinaryPrimitives.ReadUInt128BigEndian(network) + n);
        }

        return new IPAddress(bytes).ToString();
    }

    private void OnKubernetes(JsonObject ipam, string kubeconfig, Action<JsonObject>? edit)
    {
        ipam.Remove("datastore");
        ipam.Remove("data_dir");
        ipam["kubernetes"] = new JsonObject { ["kubeconfig"] = kubeconfig };
        if (Mode == ClusterMode.Agent)
        {
            ipam["agent_socket"] = AgentSocket;
        }

        edit?.Invoke(ipam);
    }
}
