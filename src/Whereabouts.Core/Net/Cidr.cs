using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Whereabouts.Core.Net;

/// <summary>
/// An address with a prefix length. <see cref="Address"/> keeps its host bits, as Go's <c>ParseCIDR</c> returns them;
/// <see cref="Network"/> drops them.
/// </summary>
public readonly record struct Cidr(Ip Address, int PrefixLength)
{
    public IpFamily Family => Address.Family;

    /// <summary>The number of host bits.</summary>
    public int HostBits => Address.Bits - PrefixLength;

    public UInt128 HostMask => HostBits == 128 ? UInt128.MaxValue : (UInt128.One << HostBits) - 1;

    /// <summary>The network address (all host bits zero).</summary>
    public Ip Network => Address with { Value = Address.Value & ~HostMask & Address.MaxValue };

    /// <summary>The all-ones address of the prefix (IPv4 broadcast).</summary>
    public Ip Last => Address with { Value = Network.Value | HostMask };

    /// <summary>The same prefix with host bits cleared.</summary>
    public Cidr Masked => new(Network, PrefixLength);

    public bool Contains(Ip ip) => ip.Family == Family && ip.Value >= Network.Value && ip.Value <= Last.Value;

    public IpInterval ToInterval() => new(Network.Value, Last.Value);

    public static Cidr Parse(string text) =>
        TryParse(text, out var cidr) ? cidr : throw new FormatException($"'{text}' is not a CIDR");

    /// <summary>Parses <c>address/prefix</c> leniently (leading zeros allowed, host bits kept).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Cidr cidr)
    {
        cidr = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var slash = text.LastIndexOf('/');
        if (slash <= 0 || slash == text.Length - 1)
        {
            return false;
        }

        if (!IpParser.TryParse(text.AsSpan(0, slash), out var ip))
        {
            return false;
        }

        var prefixText = text.AsSpan(slash + 1);
        foreach (var c in prefixText)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        if (prefixText.Length > 5 || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix > ip.Bits)
        {
            return false;
        }

        cidr = new Cidr(ip, prefix);
        return true;
    }

    /// <summary>Formats as Go's <c>IPNet.String()</c>: the masked network, a slash and the prefix length.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Network}/{PrefixLength}");
}
