using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Testing;
using Whereabouts.Controller.Cli;
using Whereabouts.Controller.NodeController;
using Whereabouts.Controller.Reconcile;
using Whereabouts.Controller.Tests.Reconcile;
using Whereabouts.Core.Config;

namespace Whereabouts.Controller.Tests.NodeController;

/// <summary>
/// <c>run</c> as the DaemonSet runs it, in this process: in-cluster credentials (a service-account directory with the
/// test server's token and CA, <c>KUBERNETES_SERVICE_HOST</c>/<c>PORT</c>), the chart's permissions, a CNI
/// configuration directory with the flat file, and short timings. <see cref="StopAsync"/> cancels as SIGTERM does.
/// </summary>
internal sealed class NodeHarness : IAsyncDisposable
{
    public const string Node = "node-1";

    private CancellationTokenSource? _stop;
    private Task<int>? _run;
    private FakeLoggerProvider? _logs;

    private NodeHarness(TestCluster cluster)
    {
        Cluster = cluster;
        ConfDir = Directory.CreateDirectory(Path.Join(cluster.Directory, "net.d", "whereabouts.d")).Parent!.FullName;
        ServiceAccountDir = Directory.CreateDirectory(Path.Join(cluster.Directory, "serviceaccount")).FullName;
        File.WriteAllText(Path.Join(ServiceAccountDir, "token"), TestCluster.ServiceAccountToken);
        File.WriteAllText(Path.Join(ServiceAccountDir, "ca.crt"), cluster.Server.CaCertificatePem);
        File.WriteAllText(
            Path.Join(ConfDir, "whereabouts.d", "whereabouts.conf"),
            """{"datastore":"kubernetes","configuration_path":"/etc/cni/net.d/whereabouts.d","kubernetes":{"kubeconfig":"/etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig"}}""");
        MetricsPort = FreePort();
    }

    public TestCluster Cluster { get; }

    public string ConfDir { get; }

    public string ServiceAccountDir { get; }

    public int MetricsPort { get; }

    /// <summary>The <c>--metrics-port</c> to pass instead of <see cref="MetricsPort"/> (0 turns the endpoint off).</summary>
    public int? MetricsPortOverride { get; set; }

    public string StateFile => Path.Join(ConfDir, "whereabouts.d", SeenPods.FileName);

    public Uri MetricsAddress => new($"http://127.0.0.1:{MetricsPort}/");

    public string Output { get; private set; } = string.Empty;

    /// <summary>Every message the controller logged, at every level.</summary>
    public FakeLogCollector Logs { get; } = new();

    /// <summary>How many messages with event id <paramref name="eventId"/> the controller has logged so far.</summary>
    public int Logged(int eventId) => Logs.GetSnapshot().Count(r => r.Id.Id == eventId);

    public NodeControllerSettings Settings { get; set; } = new()
    {
        WatchTimeout = TimeSpan.FromSeconds(30),
        WatchRetry = new RetryPolicy(int.MaxValue, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(300)),
        ReleaseRetry = new RetryPolicy(4, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400)),
        Release = new Whereabouts.Ipam.IpamOptions { DelTimeout = TimeSpan.FromSeconds(1), InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50) },
        HealthGrace = TimeSpan.FromSeconds(1),
        PoolMetricsInterval = TimeSpan.FromMilliseconds(200),
        RequestTimeout = TimeSpan.FromSeconds(3),
        KubeconfigRefreshInterval = TimeSpan.FromMilliseconds(200),
    };

    public static async Task<NodeHarness> CreateAsync() => new(await TestCluster.StartAsync());

    /// <summary>A NetworkAttachmentDefinition of a macvlan network with the whereabouts IPAM.</summary>
    public void WhereaboutsNetwork(string @namespace, string name, string range, string? networkName = null)
    {
        var named = networkName is null ? string.Empty : $",\"network_name\":\"{networkName}\"";
        Cluster.Nad(@namespace, name, $$$"""{"cniVersion":"0.3.1","name":"{{{name}}}","type":"macvlan","master":"eth0","ipam":{"type":"whereabouts","range":"{{{range}}}"{{{named}}}}}""");
    }

    /// <summary>A pod on this node attached to <paramref name="networks"/> (the annotation's text form).</summary>
    public string Pod(string podRef, string networks, string? uid = null) =>
        (string)Cluster.Pod(podRef, annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = networks }, uid: uid)["metadata"]!["uid"]!;

    public async Task StartAsync()
    {
        var port = Cluster.Server.BaseAddress.Port.ToString(CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string>
        {
            ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1",
            ["KUBERNETES_SERVICE_PORT"] = port,
        };
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var options = new RunOptions(Node, TestCluster.Namespace, null, MetricsPortOverride ?? MetricsPort, "127.0.0.1", null, ConfDir, "/etc/cni/net.d", ServiceAccountDir, LogLevelSetting.Error);
        _stop = new CancellationTokenSource();
        _logs = new FakeLoggerProvider(Logs);
        _run = NodeControllerCommand.RunAsync(
            options, new CliEnvironment(environment.GetValueOrDefault, output, output, TimeProvider.System, _logs), Settings, _stop.Token);
        if (MetricsPortOverride == 0)
        {
            // Nothing to probe: wait until the controller has listed the pods of its node.
            await Eventually.TrueAsync(() => Task.FromResult(Cluster.Server.Counters.Get("list", "pods") > 0), "the controller never listed the pods");
            return;
        }

        await Eventually.TrueAsync(async () => (await GetAsync("healthz")).Status == HttpStatusCode.OK, "the controller never became healthy");
    }

    /// <summary>Stops the controller as SIGTERM does and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (_stop is null || _run is null)
        {
            return -1;
        }

        await _stop.CancelAsync();
        var code = await _run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        _stop.Dispose();
        _logs?.Dispose();
        _stop = null;
        _run = null;
        _logs = null;
        return code;
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = MetricsAddress, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
        catch (HttpRequestException ex)
        {
            return (0, ex.Message);
        }
    }

    public string State() => File.Exists(StateFile) ? File.ReadAllText(StateFile) : string.Empty;

    /// <summary>The events recorded on a pod, as "type reason: message".</summary>
    public IReadOnlyList<string> EventsOf(string podRef)
    {
        var slash = podRef.IndexOf('/', StringComparison.Ordinal);
        return [.. Cluster.Events(podRef[..slash])
            .Where(e => (string?)e["involvedObject"]?["name"] == podRef[(slash + 1)..])
            .Select(e => $"{e["type"]} {e["reason"]}: {e["message"]}")];
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Cluster.DisposeAsync();
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
