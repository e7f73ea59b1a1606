using Microsoft.Extensions.Logging;
using Whereabouts.Controller.Cli;
using Whereabouts.Controller.Kube;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes;

namespace Whereabouts.Controller.Agent;

/// <summary>
/// The datastore the node agent serves every request with: opened once, its connection kept warm for the agent's life,
/// shared by all requests in flight. The one place that decides which store the agent uses.
/// </summary>
internal static class AgentStore
{
    /// <summary>The plugin's per-request limit, so an answer never waits longer on one API request than direct mode would.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    public static Task<IIpamStore> OpenAsync(
        RunOptions options, string poolNamespace, Func<string, string?> getEnvironmentVariable, ILogger logger, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connection = ClusterConnection.Open(options.Kubeconfig, options.ServiceAccountDir, getEnvironmentVariable, RequestTimeout, logger);
        return Task.FromResult<IIpamStore>(KubernetesIpamStore.Open(connection, poolNamespace, options.Node, logger));
    }
}
