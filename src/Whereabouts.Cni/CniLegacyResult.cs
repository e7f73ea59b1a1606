using System.Net.Sockets;
using System.Text.Json;

namespace Whereabouts.Cni;

/// <summary>
/// A result converted to the 0.1.0/0.2.0 shape (<c>ip4</c>/<c>ip6</c>) by the reference library's rules: the first
/// address of each family only, routes filed under the family of their destination with only <c>dst</c> and
/// <c>gw</c>, and routes of a family without an address dropped.
/// </summary>
internal sealed record CniLegacyResult(
    CniIpConfig? Ip4,
    IReadOnlyList<CniRoute> Routes4,
    CniIpConfig? Ip6,
    IReadOnlyList<CniRoute> Routes6,
    CniDns Dns)
{
    /// <summary>Converts; throws a code-999 <see cref="CniException"/> with the reference message when nothing fits.</summary>
    public static CniLegacyResult From(CniResult result)
    {
        var ip4 = result.Ips.FirstOrDefault(ip => ip.IsIPv4);
        var ip6 = result.Ips.FirstOrDefault(ip => !ip.IsIPv4);
        if (ip4 is null && ip6 is null)
        {
            throw new CniException(CniErrorCodes.Internal, "cannot convert: no valid IP addresses");
        }

        var routes4 = new List<CniRoute>();
        var routes6 = new List<CniRoute>();
        foreach (var route in result.Routes)
        {
            var family = CniAddressParser.FamilyOfCidr(route.Dst)
                ?? throw new CniException(
                    CniErrorCodes.Internal,
                    $"cannot convert: route destination \"{route.Dst}\" is not in CIDR form");
            (family == AddressFamily.InterNetwork ? routes4 : routes6).Add(route);
        }

        return new CniLegacyResult(ip4, routes4, ip6, routes6, result.Dns);
    }

    public void Write(Utf8JsonWriter writer, string cniVersion)
    {
        writer.WriteStartObject();
        writer.WriteString("cniVersion", cniVersion);
        WriteIpConfig(writer, "ip4", Ip4, Routes4);
        WriteIpConfig(writer, "ip6", Ip6, Routes6);

        // types/020 declares dns as a struct, which encoding/json never omits.
        CniResultWriter.WriteDns(writer, Dns);
        writer.WriteEndObject();
    }

    private static void WriteIpConfig(Utf8JsonWriter writer, string name, CniIpConfig? ip, IReadOnlyList<CniRoute> routes)
    {
        // Routes live inside their family's object, so those of a family without an address are dropped here.
        if (ip is null)
        {
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteString("ip", ip.ToCidrString());
        CniResultWriter.WriteGateway(writer, ip);
        if (routes.Count > 0)
        {
            writer.WriteStartArray("routes");
            foreach (var route in routes)
            {
                CniResultWriter.WriteRoute(writer, route, full: false);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
