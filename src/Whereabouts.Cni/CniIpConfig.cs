using System.Net;
using System.Net.Sockets;

namespace Whereabouts.Cni;

/// <summary>One address of a result.</summary>
/// <remarks>
/// <see cref="Address"/> keeps its host bits: 10.0.0.5 with prefix 24 is written as <c>10.0.0.5/24</c>.
/// There is no interface index, because an IPAM plugin returns the abbreviated result.
/// </remarks>
/// <param name="Address">The address, host bits included; IPv4 or IPv6.</param>
/// <param name="PrefixLength">The subnet prefix length; 0–32 for IPv4, 0–128 for IPv6.</param>
/// <param name="Gateway">The gateway, or null for none.</param>
public sealed record CniIpConfig(IPAddress Address, int PrefixLength, IPAddress? Gateway)
{
    /// <summary>The address, host bits included.</summary>
    public IPAddress Address { get; } = CheckFamily(Address);

    /// <summary>The prefix length of the address's subnet.</summary>
    public int PrefixLength { get; } = CheckPrefix(Address, PrefixLength);

    /// <summary>True for IPv4, false for IPv6.</summary>
    public bool IsIPv4 => Address.AddressFamily == AddressFamily.InterNetwork;

    /// <summary>The address in CIDR form with host bits, e.g. <c>10.0.0.5/24</c>.</summary>
    public string ToCidrString() => $"{Address}/{PrefixLength}";

    private static IPAddress CheckFamily(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            ? address
            : throw new ArgumentException($"Address family {address.AddressFamily} is neither IPv4 nor IPv6.", nameof(address));
    }

    private static int CheckPrefix(IPAddress address, int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, CheckFamily(address).AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        return prefixLength;
    }
}
