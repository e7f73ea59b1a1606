using Whereabouts.Core.Allocation;
using Whereabouts.Core.Config;
using Whereabouts.Core.Net;

namespace Whereabouts.Ipam;

/// <summary>An ADD: one address per configured range for <see cref="Owner"/>.</summary>
/// <param name="Config">The validated configuration.</param>
/// <param name="Owner">Container, pod and interface.</param>
public sealed record AllocationRequest(IpamConfig Config, AllocationOwner Owner)
{
    /// <summary>Addresses asked for (CNI_ARGS <c>IP=</c>, <c>args.cni.ips</c>, the <c>ips</c> capability); each is reserved in the range that contains it.</summary>
    public IReadOnlyList<Ip> RequestedAddresses { get; init; } = [];

    /// <summary>Gateways from CNI_ARGS <c>GATEWAY=</c>; each overrides the gateway of the range that contains it.</summary>
    public IReadOnlyList<Ip> GatewayOverrides { get; init; } = [];
}
