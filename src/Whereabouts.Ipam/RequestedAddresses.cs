using Whereabouts.Core.Config;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Errors;

namespace Whereabouts.Ipam;

/// <summary>Assigns each requested address to the range that contains it.</summary>
internal static class RequestedAddresses
{
    public static Ip?[] ForRanges(IReadOnlyList<RangeConfig> ranges, IReadOnlyList<Ip> requested)
    {
        var result = new Ip?[ranges.Count];
        foreach (var ip in requested.Distinct())
        {
            var index = -1;
            for (var i = 0; i < ranges.Count; i++)
            {
                if (ranges[i].Subnet.Contains(ip))
                {
                    index = i;
                    break;
                }
            }

            if (index < 0)
            {
                throw new InvalidIpamConfigException(
                    $"requested address {ip} is outside every configured range ({string.Join(", ", ranges.Select(static r => r.Subnet))})");
            }

            if (result[index] is { } other)
            {
                throw new InvalidIpamConfigException(
                    $"more than one address requested in range {ranges[index].Subnet}: {other} and {ip}");
            }

            result[index] = ip;
        }

        return result;
    }
}
