using System.Text;
using k8s;
using Microsoft.Extensions.Logging;
using Whereabouts.Controller.InstallCni;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Controller.Kube;

/// <summary>
/// Opens the controller's connection to the API server: from <c>--kubeconfig</c> when given, else from the pod's service
/// account (the token, <c>ca.crt</c> and <c>KUBERNETES_SERVICE_HOST</c>/<c>PORT</c>), read again whenever the server
/// refuses the token, so a rotated token takes effect.
/// </summary>
internal static class ClusterConnection
{
    /// <summary>The limit for each single request; a page of 500 pods of a busy cluster needs more than the plugin's 10 s.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

    /// <exception cref="FileNotFoundException">The kubeconfig given does not exist.</exception>
    /// <exception cref="NotInClusterException">No kubeconfig given and not running in a pod.</exception>
    public static KubernetesConnection Open(
        string? kubeconfig, string serviceAccountDir, Func<string, string?> getEnvironmentVariable, TimeSpan requestTimeout, ILogger logger)
    {
        if (kubeconfig is not null)
        {
            if (!File.Exists(kubeconfig))
            {
                throw new FileNotFoundException($"kubeconfig {kubeconfig} does not exist", kubeconfig);
            }

            return KubernetesConnection.Open(kubeconfig, requestTimeout, logger);
        }

        // Both are checked before the connection exists, so that outside a pod the command says so (exit code 3).
        var server = ClusterEndpoint.ServerFromEnvironment(getEnvironmentVariable);
        ServiceAccountCredentials.Read(serviceAccountDir, skipTlsVerify: false);
        return KubernetesConnection.Open(
            $"service account {serviceAccountDir}", () => FromServiceAccount(server, serviceAccountDir), requestTimeout, logger);
    }

    private static KubernetesClientConfiguration FromServiceAccount(string server, string serviceAccountDir)
    {
        // The same document install-cni writes for the plugin, so both read the service account the same way.
        var text = KubeconfigDocument.Render(server, "default", ServiceAccountCredentials.Read(serviceAccountDir, skipTlsVerify: false));
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return KubernetesClientConfiguration.BuildConfigFromConfigFile(stream);
    }
}
