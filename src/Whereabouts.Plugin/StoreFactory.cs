using Microsoft.Extensions.Logging;
using Whereabouts.Core.Config;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.File;
using Whereabouts.Storage.Kubernetes;

namespace Whereabouts.Plugin;

/// <summary>
/// Opens the datastore a configuration names. The kubeconfig is read anew on every call (each call is a new process),
/// so a rotated token takes effect at once. The Kubernetes datastore needs the node's OpenSSL: its absence is a CNI
/// error, not a crash (<see cref="TlsLibrary"/>).
/// </summary>
internal sealed class StoreFactory(Func<string, string?> getenv, ILogger logger, TimeProvider time, Func<string, bool>? tryLoadLibrary = null)
    : IStoreFactory
{
    private readonly Func<string, bool> _tryLoadLibrary = tryLoadLibrary ?? TlsLibrary.TryLoad;

    public IIpamStore Open(IpamConfig config) => config.Datastore switch
    {
        DatastoreKind.File => new FileIpamStore(config.DataDir, time),
        _ => OpenKubernetes(config),
    };

    private KubernetesIpamStore OpenKubernetes(IpamConfig config)
    {
        TlsLibrary.EnsureAvailable(getenv, _tryLoadLibrary);
        return KubernetesIpamStore.Open(
            new KubernetesStoreOptions
            {
                KubeconfigPath = config.Kubeconfig!,
                NodeName = NodeName.Resolve(getenv, config.ConfigurationPath),
                IgnoreSystemTrustStore = true,
            },
            logger);
    }
}
