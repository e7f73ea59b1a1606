using Whereabouts.Core.Config;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Plugin;

/// <summary>Opens the datastore a configuration names.</summary>
internal interface IStoreFactory
{
    IIpamStore Open(IpamConfig config);
}
