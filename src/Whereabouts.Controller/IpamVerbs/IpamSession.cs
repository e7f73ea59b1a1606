using Microsoft.Extensions.Logging;
using Whereabouts.Controller.Cli;
using Whereabouts.Controller.Kube;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Controller.IpamVerbs;

/// <summary>The connection of one <c>ipam</c> subcommand, through the kubeconfig resolution a workstation expects.</summary>
internal sealed class IpamSession : IDisposable
{
    private IpamSession(KubernetesConnection connection, ILogger logger)
    {
        Connection = connection;
        Client = new WhereaboutsClient(connection, logger);
        Cluster = new ClusterApi(connection);
    }

    public KubernetesConnection Connection { get; }

    public WhereaboutsClient Client { get; }

    public ClusterApi Cluster { get; }

    public static IpamSession Open(IpamCommandOptions options, CliEnvironment environment, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var connection = ClusterConnection.Open(
            KubeconfigResolution.Resolve(options.Kubeconfig, environment.GetEnvironmentVariable),
            SharedOptions.DefaultServiceAccountDir,
            environment.GetEnvironmentVariable,
            ClusterConnection.DefaultRequestTimeout,
            logger);
        return new IpamSession(connection, logger);
    }

    public void Dispose() => Connection.Dispose();
}
