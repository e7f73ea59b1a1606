using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Whereabouts.Cni;

/// <summary>
/// Go-style address parsing. <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> also takes forms Go rejects
/// ("10" as 0.0.0.10, "1.2.3", "[::1]:80", scope ids), which would let malformed results through.
/// </summary>
internal static class CniAddressParser
{
    public static bool TryParseIp(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return text.IndexOfAny(['[', ']', '%', ' ']) < 0
                && IPAddress.TryParse(text, out address)
                && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        var parts = text.Split('.');
        if (parts.Length != 4 || !parts.All(IsOctet))
        {
            return false;
        }

        address = IPAddress.Parse(text);
        return true;
    }

    /// <summary>Parses <c>address/prefix</c>, keeping host bits (<c>10.0.0.5/24</c> stays 10.0.0.5).</summary>
    public static bool TryParseCidr(string text, [NotNullWhen(true)] out IPAddress? address, out int prefixLength)
    {
        prefixLength = 0;
        address = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !TryParseIp(text[..slash], out var ip))
        {
            return false;
        }

        var prefix = text[(slash + 1)..];
        var bits = ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefix.Length is 0 or > 3
            || !prefix.All(char.IsAsciiDigit)
            || !int.TryParse(prefix, NumberStyles.None, CultureInfo.InvariantCulture, out prefixLength)
            || prefixLength > bits)
        {
            prefixLength = 0;
            return false;
        }

        address = ip;
        return true;
    }

    /// <summary>The family of a route destination's address part, or null when it is not an address.</summary>
    public static AddressFamily? FamilyOfCidr(string cidr) =>
        TryParseCidr(cidr, out var address, out _) ? address.AddressFamily : null;

    private static bool IsOctet(string part) =>
        part.Length is >= 1 and <= 3
        && part.All(char.IsAsciiDigit)
        && (part.Length == 1 || part[0] != '0')
        && int.Parse(part, CultureInfo.InvariantCulture) <= 255;
}
