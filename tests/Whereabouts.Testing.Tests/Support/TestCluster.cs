using k8s;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Testing.Tests.Support;

/// <summary>A test server plus an Aot client that reaches it through the kubeconfig the server wrote, over HTTPS.</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private static readonly Lazy<bool> JsonRegistered = new(() =>
    {
        // Under the Aot client CRD payloads need our source-generated context, registered before first use.
        KubernetesJson.AddJsonOptions(o => o.TypeInfoResolverChain.Add(TestJsonContext.Default));
        return true;
    });

    private readonly List<IDisposable> _clients = [];

    private TestCluster(KubeApiServer server, string directory, Kubernetes client)
    {
        Server = server;
        Directory = directory;
        Client = client;
        _clients.Add(client);
    }

    public KubeApiServer Server { get; }

    /// <summary>A fresh temporary directory, removed on dispose.</summary>
    public string Directory { get; }

    public Kubernetes Client { get; }

    public KubeApiStore Store => Server.Store;

    public static async Task<TestCluster> StartAsync(KubeApiServerOptions? options = null)
    {
        _ = JsonRegistered.Value;
        var server = await KubeApiServer.StartAsync(options ?? new KubeApiServerOptions(), TestContext.Current.CancellationToken);
        var directory = Path.Combine(Path.GetTempPath(), "kubeapi-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var path = server.WriteKubeconfig(Path.Combine(directory, "kubeconfig"));
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
        return new TestCluster(server, directory, client);
    }

    /// <summary>A client that authenticates with another token (through its own kubeconfig).</summary>
    public Kubernetes ClientWithToken(string token)
    {
        var path = Server.WriteKubeconfig(Path.Combine(Directory, $"kubeconfig-{_clients.Count}"), token: token);
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
        _clients.Add(client);
        return client;
    }

    public HttpClient Http(string? token = null)
    {
        var client = Server.CreateHttpClient(token);
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Server.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
