using Microsoft.Extensions.Logging;
using Whereabouts.Controller.Cli;
using Whereabouts.Controller.Kube;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Controller.Agent;

/// <summary>
/// The datastore the node agent serves every request with: one connection kept warm for the agent's life (from
/// <c>--kubeconfig</c>, else the pod's service account), shared by all requests in flight, under the watch-fed
/// <see cref="SharedKubernetesIpamStore"/> (reads from the cache, group-committed pool writes, parallel reservation
/// creates). The one place that decides which store the agent uses.
/// </summary>
internal sealed class AgentStore : IAsyncDisposable
{
    /// <summary>The plugin's per-request limit, so an answer never waits longer on one API request than direct mode would.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly KubernetesConnection _connection;

    private AgentStore(KubernetesConnection connection, IIpamStore store)
    {
        _connection = connection;
        Store = store;
    }

    public IIpamStore Store { get; }

    public static async Task<AgentStore> OpenAsync(
        RunOptions options, string poolNamespace, Func<string, string?> getEnvironmentVariable, ILogger logger, CancellationToken cancellationToken)
    {
        var connection = ClusterConnection.Open(options.Kubeconfig, options.ServiceAccountDir, getEnvironmentVariable, RequestTimeout, logger);
        try
        {
            var store = await SharedKubernetesIpamStore.StartAsync(connection, poolNamespace, options.Node, logger, null, cancellationToken);
            _ = Task.Run(() => CompactAfterSyncAsync(store, cancellationToken), CancellationToken.None);
            return new AgentStore(connection, store);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Once the caches hold every pool and reservation, a compacting collection that gives the memory back (the first
    /// lists are parsed in full: a 10,000-entry pool is a 1.5 MB object, 10,000 reservations are 20 pages; measured 75
    /// MiB resident with them cached before, 63 MiB after), then <see cref="HeapTrim"/> for the agent's life.
    /// </summary>
    private static async Task CompactAfterSyncAsync(SharedKubernetesIpamStore store, CancellationToken cancellationToken)
    {
        try
        {
            await store.WaitForSyncAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopped before the caches were synced.
            return;
        }

        await HeapTrim.Default.RunAsync(cancellationToken);
    }

    /// <summary>The store first (it stops its watches), then the connection it does not own.</summary>
    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _connection.Dispose();
    }
}
