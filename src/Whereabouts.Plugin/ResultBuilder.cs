using Whereabouts.Cni;
using Whereabouts.Core.Config;
using Whereabouts.Core.Net;
using Whereabouts.Ipam;

namespace Whereabouts.Plugin;

/// <summary>Builds the ADD result: allocated addresses in range order, then static addresses, routes and DNS from the configuration.</summary>
internal static class ResultBuilder
{
    public static CniResult Build(IpamConfig config, IReadOnlyList<AllocatedAddress> allocated, IReadOnlyList<Ip> gatewayOverrides)
    {
        var ips = new List<CniIpConfig>(allocated.Count + config.Addresses.Count);
        ips.AddRange(allocated.Select(static a => new CniIpConfig(a.Address.ToIPAddress(), a.PrefixLength, a.Gateway?.ToIPAddress())));
        foreach (var address in config.Addresses)
        {
            // CNI_ARGS GATEWAY= goes to the static addresses whose subnet contains it, as upstream does.
            var chosen = address.Gateway;
            foreach (var candidate in gatewayOverrides)
            {
                if (address.Address.Contains(candidate))
                {
                    chosen = candidate;
                    break;
                }
            }

            ips.Add(new CniIpConfig(address.Address.Address.ToIPAddress(), address.Address.PrefixLength, chosen?.ToIPAddress()));
        }

        var routes = config.Routes
            .Select(static r => new CniRoute(r.Destination.ToString(), r.Gateway?.ToString(), r.Mtu, r.Advmss, r.Priority, r.Table, r.Scope))
            .ToList();
        var dns = config.Dns.IsEmpty
            ? CniDns.Empty
            : new CniDns(config.Dns.Nameservers, config.Dns.Domain, config.Dns.Search, config.Dns.Options);
        return new CniResult(ips, routes, dns);
    }

    /// <summary>Versions before 0.3.0 carry one address per family; refuse before anything is allocated.</summary>
    public static void CheckFamilyLimits(IpamConfig config, string cniVersion)
    {
        if (CniVersions.SupportsMultipleIpsPerFamily(cniVersion))
        {
            return;
        }

        var families = config.Ranges.Select(static r => r.Subnet.Family)
            .Concat(config.Addresses.Select(static a => a.Address.Family));
        if (families.GroupBy(static f => f).Any(static g => g.Count() > 1))
        {
            throw new Ipam.Errors.InvalidIpamConfigException($"CNI version {cniVersion} does not support more than 1 address per family");
        }
    }
}
