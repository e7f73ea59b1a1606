using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Config;
using Whereabouts.Core.Net;
using Whereabouts.Ipam;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Storage.Kubernetes.Tests.Support;

/// <summary>Allocation services, configurations and requests for driving <see cref="IpamService"/> over the store.</summary>
internal static class Services
{
    public static IpamService Ipam(IIpamStore store, TimeSpan? addTimeout = null) =>
        new(store, NullLogger.Instance, new IpamOptions
        {
            AddTimeout = addTimeout ?? TimeSpan.FromSeconds(30),
            DelTimeout = addTimeout ?? TimeSpan.FromSeconds(30),
            InitialBackoff = TimeSpan.FromMilliseconds(2),
            MaxBackoff = TimeSpan.FromMilliseconds(100),
        });

    public static IpamConfig Config(string subnet, string? networkName = null, string? rangeStart = null, string? rangeEnd = null, bool overlapping = true) => new()
    {
        NetworkName = "testnet",
        CniVersion = "1.0.0",
        Ranges = [Range(subnet, rangeStart, rangeEnd)],
        PoolNetworkName = networkName,
        EnableOverlappingRanges = overlapping,
    };

    public static RangeConfig Range(string subnet, string? rangeStart = null, string? rangeEnd = null) =>
        new(Cidr.Parse(subnet).Masked, rangeStart is null ? null : Ip.Parse(rangeStart), rangeEnd is null ? null : Ip.Parse(rangeEnd), [], "range");

    public static AllocationRequest Request(IpamConfig config, string containerId, string podRef, string ifName = "net1") =>
        new(config, new AllocationOwner(containerId, podRef, ifName));
}
