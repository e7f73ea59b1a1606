using System.Globalization;
using System.Text;
using Whereabouts.Core.Net;

namespace Whereabouts.Core.Naming;

/// <summary>
/// Names of the IPPool, OverlappingRangeIPReservation and NodeSlicePool objects. They are persisted state shared with
/// upstream whereabouts, so they are exactly upstream's wherever upstream's are valid Kubernetes names.
/// </summary>
/// <remarks>
/// Upstream writes the address with ':' and '/' turned into '-' (appending '0' after a trailing ':'), prefixed by
/// <c>network_name-</c> and, for node slices, <c>node-</c>. Some of those names are not valid object names, and the API
/// server rejects them, so upstream could never allocate from such ranges. For those we choose, once and for all:
/// <list type="number">
/// <item>an address that starts with <c>::</c> is written with its leading zero group (<c>::1</c> as <c>0::1</c>, giving
/// <c>0--1</c>); Go never prints that spelling, so it cannot collide with an upstream name;</item>
/// <item>if the name is still invalid (an upper-case or underscored <c>network_name</c>, or over 253 characters), it
/// is lower-cased, every other invalid character becomes '-', leading and trailing '-' and '.' are dropped, it is
/// cut to fit, and <c>-</c> plus the 8-hex-digit FNV-1a hash of upstream's name is appended, so distinct
/// inputs stay distinct.</item>
/// </list>
/// </remarks>
public static class ObjectNames
{
    private const int HashSuffixLength = 9;

    /// <summary>The IPPool name for a range (a CIDR, host bits dropped).</summary>
    public static string IpPool(Cidr range, string? networkName = null, string? nodeName = null)
    {
        var rangeText = range.ToString();
        var upstream = Prefix(networkName, nodeName) + Normalize(rangeText);
        if (Dns1123.IsSubdomain(upstream))
        {
            return upstream;
        }

        var expanded = Prefix(networkName, nodeName) + Normalize(ExpandLeadingZeroGroup(rangeText));
        return Dns1123.IsSubdomain(expanded) ? expanded : Sanitize(expanded, upstream);
    }

    /// <summary>The OverlappingRangeIPReservation name for an address.</summary>
    public static string OverlappingReservation(Ip address, string? networkName = null)
    {
        var text = address.ToString();
        var upstream = Prefix(networkName, null) + Normalize(text);
        if (Dns1123.IsSubdomain(upstream))
        {
            return upstream;
        }

        var expanded = Prefix(networkName, null) + Normalize(ExpandLeadingZeroGroup(text));
        return Dns1123.IsSubdomain(expanded) ? expanded : Sanitize(expanded, upstream);
    }

    /// <summary>The NodeSlicePool name: <c>network_name</c> when set, else the CNI network name.</summary>
    public static string NodeSlicePool(string? networkName, string cniNetworkName) =>
        string.IsNullOrEmpty(networkName) ? cniNetworkName : networkName;

    private static string Prefix(string? networkName, string? nodeName)
    {
        var prefix = string.IsNullOrEmpty(networkName) ? string.Empty : networkName + "-";
        return string.IsNullOrEmpty(nodeName) ? prefix : prefix + nodeName + "-";
    }

    private static string Normalize(string text)
    {
        if (text.EndsWith(':'))
        {
            text += "0";
        }

        return text.Replace(':', '-').Replace('/', '-');
    }

    private static string ExpandLeadingZeroGroup(string text) => text.StartsWith("::", StringComparison.Ordinal) ? "0" + text : text;

    private static string Sanitize(string candidate, string upstream)
    {
        var sb = new StringBuilder(candidate.Length);
        foreach (var c in candidate.ToLowerInvariant())
        {
            sb.Append(Dns1123.IsAlphanumeric(c) || c is '-' or '.' ? c : '-');
        }

        var body = sb.ToString().Trim('-', '.');
        var maxBody = Dns1123.MaxSubdomainLength - HashSuffixLength;
        if (body.Length > maxBody)
        {
            body = body[..maxBody].TrimEnd('-', '.');
        }

        // Dots next to dashes would leave empty or dash-edged labels.
        while (body.Contains(".-", StringComparison.Ordinal) || body.Contains("-.", StringComparison.Ordinal) || body.Contains("..", StringComparison.Ordinal))
        {
            body = body.Replace(".-", "-", StringComparison.Ordinal).Replace("-.", "-", StringComparison.Ordinal).Replace("..", ".", StringComparison.Ordinal);
        }

        var hash = Fnv1a(upstream).ToString("x8", CultureInfo.InvariantCulture);
        return body.Length == 0 ? hash : body + "-" + hash;
    }

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}
