using CsCheck;
using Whereabouts.Core.Naming;
using Whereabouts.Core.Net;
using Whereabouts.Core.Tests.Support;

namespace Whereabouts.Core.Tests.Properties;

public sealed class NamingProperties
{
    private static readonly Gen<string?> OptionalName = Gens.Name.Null(0.4);

    [Fact]
    public void OverlappingReservation_AnyAddressAndNetwork_IsAValidObjectName()
    {
        Gen.Select(Gens.AnyIp, OptionalName).Sample(
            (ip, network) => Assert.True(Dns1123.IsSubdomain(ObjectNames.OverlappingReservation(ip, network))),
            iter: 5000);
    }

    [Fact]
    public void IpPool_AnyRangeNetworkAndNode_IsAValidObjectName()
    {
        Gen.Select(Gens.AnyCidr, OptionalName, OptionalName).Sample(
            (range, network, node) => Assert.True(Dns1123.IsSubdomain(ObjectNames.IpPool(range, network, node))),
            iter: 5000);
    }

    [Fact]
    public void Names_WhereUpstreamsNameIsValid_AreUpstreams()
    {
        Gen.Select(Gens.AnyCidr, OptionalName, OptionalName).Sample(
            (range, network, node) =>
            {
                var pool = UpstreamPrefix(network, node) + UpstreamNormalize(range.Masked.ToString());
                var reservation = UpstreamPrefix(network, null) + UpstreamNormalize(range.Address.ToString());

                if (Dns1123.IsSubdomain(pool))
                {
                    Assert.Equal(pool, ObjectNames.IpPool(range, network, node));
                }

                if (Dns1123.IsSubdomain(reservation))
                {
                    Assert.Equal(reservation, ObjectNames.OverlappingReservation(range.Address, network));
                }
            },
            iter: 5000);
    }

    [Fact]
    public void OverlappingReservation_DistinctAddresses_GetDistinctNames()
    {
        // The reconciler maps names back to addresses, so two addresses must never share a name. IPv4-mapped IPv6
        // addresses print like IPv4 (as in Go) and are left out.
        Gen.Select(Gens.AnyIp.Where(ip => ip.Family == IpFamily.V4 || ip.Value >> 32 != 0xFFFF).Array[2, 60], OptionalName).Sample(
            (ips, network) =>
            {
                var distinct = ips.Distinct().ToArray();

                var names = distinct.Select(ip => ObjectNames.OverlappingReservation(ip, network)).Distinct().Count();

                Assert.Equal(distinct.Length, names);
            },
            iter: 2000);
    }

    private static string UpstreamPrefix(string? network, string? node) =>
        (string.IsNullOrEmpty(network) ? "" : network + "-") + (string.IsNullOrEmpty(node) ? "" : node + "-");

    private static string UpstreamNormalize(string text) =>
        (text.EndsWith(':') ? text + "0" : text).Replace(':', '-').Replace('/', '-');
}
