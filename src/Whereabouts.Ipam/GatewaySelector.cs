using Whereabouts.Core.Config;
using Whereabouts.Core.Net;

namespace Whereabouts.Ipam;

/// <summary>
/// Which gateway goes with each range. Upstream put the one <c>gateway</c> on every address, even the IPv6 address of a
/// dual-stack pod; here it goes only to addresses of its own family: to the ranges whose subnet contains it, or to every
/// range of its family when it lies in none of them (an off-subnet gateway). A CNI_ARGS <c>GATEWAY=</c> overrides it
/// for the range that contains it.
/// </summary>
internal static class GatewaySelector
{
    public static Ip?[] ForRanges(IReadOnlyList<RangeConfig> ranges, Ip? configured, IReadOnlyList<Ip> overrides)
    {
        var result = new Ip?[ranges.Count];
        var configuredInSomeRange = configured is { } c && ranges.Any(r => r.Subnet.Contains(c));
        for (var i = 0; i < ranges.Count; i++)
        {
            var subnet = ranges[i].Subnet;
            var matching = overrides.Where(subnet.Contains).ToList();
            if (matching.Count > 0)
            {
                result[i] = matching[0];
            }
            else if (configured is { } gw && gw.Family == subnet.Family && (subnet.Contains(gw) || !configuredInSomeRange))
            {
                result[i] = gw;
            }
        }

        return result;
    }
}
