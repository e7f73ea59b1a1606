namespace Whereabouts.Core.Net;

/// <summary>
/// Lenient address parsing, compatible with upstream's "sloppy" parser: IPv4 octets may have leading zeros and are
/// read as decimal (never octal), IPv6 groups may have leading zeros. Zones and other decorations are rejected.
/// </summary>
internal static class IpParser
{
    public static bool TryParse(ReadOnlySpan<char> text, out Ip ip)
    {
        ip = default;
        if (text.IsEmpty)
        {
            return false;
        }

        if (text.Contains(':'))
        {
            if (TryParseV6(text, out var v6))
            {
                ip = Ip.V6(v6);
                return true;
            }

            return false;
        }

        if (TryParseV4(text, out var v4))
        {
            ip = Ip.V4(v4);
            return true;
        }

        return false;
    }

    internal static bool TryParseV4(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        var octets = 0;
        var i = 0;
        while (true)
        {
            var start = i;
            uint octet = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                octet = (octet * 10) + (uint)(text[i] - '0');
                if (octet > 255)
                {
                    return false;
                }

                i++;
            }

            if (i == start)
            {
                return false;
            }

            value = (value << 8) | octet;
            octets++;
            if (i == text.Length)
            {
                return octets == 4;
            }

            if (text[i] != '.' || octets == 4)
            {
                return false;
            }

            i++;
        }
    }

    private static bool TryParseV6(ReadOnlySpan<char> text, out UInt128 value)
    {
        value = UInt128.Zero;
        Span<ushort> groups = stackalloc ushort[8];
        var count = 0;
        var ellipsis = -1;
        var i = 0;

        if (text.StartsWith("::"))
        {
            ellipsis = 0;
            i = 2;
            if (i == text.Length)
            {
                return true;
            }
        }

        while (i < text.Length)
        {
            // An embedded dotted IPv4 tail fills the last two groups.
            var rest = text[i..];
            if (rest.IndexOf('.') >= 0 && rest.IndexOf(':') < 0)
            {
                if (count > 6 || !TryParseV4(rest, out var v4))
                {
                    return false;
                }

                groups[count++] = (ushort)(v4 >> 16);
                groups[count++] = (ushort)v4;
                i = text.Length;
                break;
            }

            var start = i;
            uint group = 0;
            while (i < text.Length && char.IsAsciiHexDigit(text[i]))
            {
                group = (group << 4) | HexValue(text[i]);
                if (group > 0xFFFF)
                {
                    return false;
                }

                i++;
            }

            if (i == start || count == 8)
            {
                return false;
            }

            groups[count++] = (ushort)group;
            if (i == text.Length)
            {
                break;
            }

            if (text[i] != ':')
            {
                return false;
            }

            i++;
            if (i < text.Length && text[i] == ':')
            {
                if (ellipsis >= 0)
                {
                    return false;
                }

                ellipsis = count;
                i++;
                if (i == text.Length)
                {
                    break;
                }
            }
            else if (i == text.Length)
            {
                // A single trailing colon.
                return false;
            }
        }

        if (ellipsis >= 0)
        {
            if (count == 8)
            {
                return false;
            }

            var shift = 8 - count;
            for (var j = count - 1; j >= ellipsis; j--)
            {
                groups[j + shift] = groups[j];
            }

            for (var j = ellipsis; j < ellipsis + shift; j++)
            {
                groups[j] = 0;
            }
        }
        else if (count != 8)
        {
            return false;
        }

        for (var j = 0; j < 8; j++)
        {
            value = (value << 16) | groups[j];
        }

        return true;
    }

    private static uint HexValue(char c) => c switch
    {
        >= '0' and <= '9' => (uint)(c - '0'),
        >= 'a' and <= 'f' => (uint)(c - 'a' + 10),
        _ => (uint)(c - 'A' + 10),
    };
}
