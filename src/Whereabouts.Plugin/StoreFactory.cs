using Microsoft.Extensions.Logging;
using Whereabouts.Core.Config;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.File;
using Whereabouts.Storage.Kubernetes;

namespace Whereabouts.Plugin;

/// <summary>
/// Opens the datastore a configuration names. The kubeconfig is read anew on every call (each call is a new process),
/// so a rotated token takes effect at once.
/// </summary>
internal sealed class StoreFactory(Func<string, string?> getenv, ILogger logger, TimeProvider time) : IStoreFactory
{
    public IIpamStore Open(IpamConfig config) => config.Datastore switch
    {
        DatastoreKind.File => new FileIpamStore(config.DataDir, time),
        _ => KubernetesIpamStore.Open(
            new KubernetesStoreOptions
            {
                KubeconfigPath = config.Kubeconfig!,
                NodeName = NodeName.Resolve(getenv, config.ConfigurationPath),
                IgnoreSystemTrustStore = true,
            },
            logger),
    };
}
