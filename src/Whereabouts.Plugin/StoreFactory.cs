using Whereabouts.Core.Config;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.File;

namespace Whereabouts.Plugin;

/// <summary>Opens the file or the Kubernetes datastore, per <c>datastore</c>.</summary>
internal sealed class StoreFactory(TimeProvider time) : IStoreFactory
{
    public IIpamStore Open(IpamConfig config) => config.Datastore switch
    {
        DatastoreKind.File => new FileIpamStore(config.DataDir, time),
        _ => throw new InvalidIpamConfigException("the Kubernetes datastore is not built into this binary yet; use \"datastore\": \"file\""),
    };
}
