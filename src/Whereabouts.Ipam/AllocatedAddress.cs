using Whereabouts.Core.Config;
using Whereabouts.Core.Net;

namespace Whereabouts.Ipam;

/// <summary>An address handed out from one range, with the range's prefix length and the gateway that applies.</summary>
public sealed record AllocatedAddress(RangeConfig Range, Ip Address, Ip? Gateway)
{
    public int PrefixLength => Range.Subnet.PrefixLength;

    public override string ToString() => $"{Address}/{PrefixLength}";
}
