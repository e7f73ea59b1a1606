using System.Globalization;
using System.Text;

namespace Whereabouts.Core.Net;

/// <summary>
/// Formats addresses the way Go's <c>net.IP.String()</c> does. Upstream derives persisted object names from that
/// text, so the exact spelling matters: lowercase hex, no leading zeros, the longest run of two or more zero groups
/// (the first one on a tie) compressed to <c>::</c>, and IPv4-mapped addresses printed as dotted IPv4.
/// </summary>
internal static class IpFormatter
{
    private static readonly UInt128 V4MappedPrefix = (UInt128)0xFFFF << 32;

    public static string Format(Ip ip)
    {
        if (ip.Family == IpFamily.V4)
        {
            return FormatV4((uint)ip.Value);
        }

        if (ip.Value >> 32 == V4MappedPrefix >> 32)
        {
            return FormatV4((uint)ip.Value);
        }

        Span<ushort> groups = stackalloc ushort[8];
        var v = ip.Value;
        for (var i = 7; i >= 0; i--)
        {
            groups[i] = (ushort)(v & 0xFFFF);
            v >>= 16;
        }

        var (runStart, runEnd) = LongestZeroRun(groups);
        var sb = new StringBuilder(39);
        for (var i = 0; i < 8; i++)
        {
            if (i == runStart)
            {
                sb.Append("::");
                i = runEnd - 1;
                continue;
            }

            if (sb.Length > 0 && sb[^1] != ':')
            {
                sb.Append(':');
            }

            sb.Append(groups[i].ToString("x", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    private static (int Start, int End) LongestZeroRun(ReadOnlySpan<ushort> groups)
    {
        int bestStart = -1, bestEnd = -1;
        for (var i = 0; i < groups.Length; i++)
        {
            var j = i;
            while (j < groups.Length && groups[j] == 0)
            {
                j++;
            }

            if (j > i && j - i > bestEnd - bestStart)
            {
                bestStart = i;
                bestEnd = j;
                i = j;
            }
        }

        // A single zero group is never compressed.
        return bestEnd - bestStart >= 2 ? (bestStart, bestEnd) : (-1, -1);
    }

    private static string FormatV4(uint v) =>
        string.Create(CultureInfo.InvariantCulture, $"{v >> 24}.{(v >> 16) & 0xFF}.{(v >> 8) & 0xFF}.{v & 0xFF}");
}
