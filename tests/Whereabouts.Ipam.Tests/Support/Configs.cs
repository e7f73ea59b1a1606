using Whereabouts.Core.Config;

namespace Whereabouts.Ipam.Tests.Support;

/// <summary>Validated configurations built directly, without the reader: the service only ever sees this form.</summary>
internal static class Configs
{
    public static RangeConfig Range(string subnet, string? start = null, string? end = null, params string[] excludes) =>
        new(
            Cidr.Parse(subnet).Masked,
            start is null ? null : Ip.Parse(start),
            end is null ? null : Ip.Parse(end),
            [.. excludes.Select(Exclude)],
            "range");

    public static IpamConfig Of(params RangeConfig[] ranges) =>
        new() { NetworkName = "testnet", CniVersion = "1.0.0", Ranges = ranges };

    public static IpamConfig Of(params string[] subnets) => Of([.. subnets.Select(s => Range(s))]);

    private static Cidr Exclude(string text)
    {
        if (Cidr.TryParse(text, out var cidr))
        {
            return cidr;
        }

        var ip = Ip.Parse(text);
        return new Cidr(ip, ip.Bits);
    }
}
