using Whereabouts.Core.Net;

namespace Whereabouts.Core.Allocation;

/// <summary>
/// The usable window of a subnet: from the address after the network address to the address before the all-ones
/// address, for IPv4 and IPv6 alike, narrowed by range_start and range_end when they fall inside it.
/// </summary>
public static class UsableWindow
{
    /// <summary>The smallest prefix length, per family, that still leaves one usable address.</summary>
    public static int MaxUsablePrefix(IpFamily family) => family == IpFamily.V4 ? 30 : 126;

    public static bool HasUsableAddresses(Cidr subnet) => subnet.PrefixLength <= MaxUsablePrefix(subnet.Family);

    /// <summary>First and last usable address of the whole subnet.</summary>
    public static IpInterval Full(Cidr subnet)
    {
        if (!HasUsableAddresses(subnet))
        {
            throw new ArgumentException($"subnet {subnet.Masked} has no usable addresses", nameof(subnet));
        }

        return new IpInterval(subnet.Network.Value + 1, subnet.Last.Value - 1);
    }

    /// <summary>The window after range_start and range_end; values outside the window are not applied.</summary>
    public static IpInterval Compute(Cidr subnet, Ip? rangeStart, Ip? rangeEnd)
    {
        var full = Full(subnet);
        var first = full.First;
        if (rangeStart is { } start && start.Family == subnet.Family && full.Contains(start.Value))
        {
            first = start.Value;
        }

        var last = full.Last;
        if (rangeEnd is { } end && end.Family == subnet.Family && end.Value >= first && end.Value <= full.Last)
        {
            last = end.Value;
        }

        return new IpInterval(first, last);
    }
}
