using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;

namespace Whereabouts.Core.Config;

/// <summary>
/// Turns a range entry into a <see cref="RangeConfig"/>: the CIDR form (host bits dropped) or the
/// <c>start-end/prefix</c> dash form, then range_start, range_end and exclude, applied the way upstream applies them.
/// </summary>
internal static class RangeReader
{
    /// <param name="key">The key of the entry (<c>range</c> for the legacy top-level range, <c>ipRanges[i]</c>).</param>
    /// <param name="rangeKey">The key of the range text itself.</param>
    /// <param name="range">The range text.</param>
    /// <param name="start">range_start text.</param>
    /// <param name="end">range_end text.</param>
    /// <param name="excludes">exclude entries.</param>
    /// <param name="lenientBounds">
    /// True for the legacy top-level keys, where upstream silently drops a range_start or range_end that is not an
    /// address (we warn); false inside ipRanges, where upstream rejects the configuration.
    /// </param>
    /// <param name="issues">Where issues go.</param>
    public static RangeConfig? Read(
        string key,
        string rangeKey,
        string range,
        (string Key, string? Text) start,
        (string Key, string? Text) end,
        (string Key, List<string>? Items) excludes,
        bool lenientBounds,
        ConfigIssues issues)
    {
        var rangeStart = ParseBound(start, lenientBounds, issues);
        var rangeEnd = ParseBound(end, lenientBounds, issues);

        Cidr subnet;
        var dash = range.Split('-', 2);
        if (dash.Length == 2)
        {
            if (!Ip.TryParse(dash[0], out var dashStart))
            {
                issues.Error(rangeKey, $"invalid range start IP: {dash[0]}");
                return null;
            }

            if (!Cidr.TryParse(dash[1], out var dashCidr))
            {
                issues.Error(rangeKey, $"invalid CIDR '{dash[1]}' in range '{range}': expected start-end/prefix, e.g. 192.168.1.5-192.168.1.25/24");
                return null;
            }

            if (!dashCidr.Contains(dashStart))
            {
                issues.Error(rangeKey, $"invalid range start for CIDR {dashCidr}: {dashStart}");
                return null;
            }

            if (start.Text is not null || end.Text is not null)
            {
                issues.Warning(rangeKey, $"the start-end form of '{range}' sets the range's bounds; range_start and range_end are ignored");
            }

            subnet = dashCidr.Masked;
            rangeStart = dashStart;
            rangeEnd = dashCidr.Address;
            start = (rangeKey, dash[0]);
            end = (rangeKey, dashCidr.Address.ToString());
        }
        else if (Cidr.TryParse(range, out var cidr))
        {
            subnet = cidr.Masked;
        }
        else
        {
            issues.Error(rangeKey, $"invalid CIDR '{range}': expected a prefix such as 192.168.1.0/24 or 2001:db8::/64, or start-end/prefix");
            return null;
        }

        if (!UsableWindow.HasUsableAddresses(subnet))
        {
            var max = UsableWindow.MaxUsablePrefix(subnet.Family);
            issues.Error(rangeKey, $"range {subnet} has no usable addresses: the network and all-ones addresses are never handed out, so the prefix must be /{max} or shorter");
            return null;
        }

        var full = UsableWindow.Full(subnet);
        rangeStart = ApplyStart(rangeStart, start.Key, subnet, full, issues);
        var first = rangeStart?.Value ?? full.First;
        rangeEnd = ApplyEnd(rangeEnd, end.Key, subnet, full, first, issues);

        return new RangeConfig(subnet, rangeStart, rangeEnd, ReadExcludes(excludes, subnet, issues), key);
    }

    private static Ip? ParseBound((string Key, string? Text) bound, bool lenient, ConfigIssues issues)
    {
        if (string.IsNullOrEmpty(bound.Text))
        {
            return null;
        }

        if (Ip.TryParse(bound.Text, out var ip))
        {
            return ip;
        }

        if (lenient)
        {
            issues.Warning(bound.Key, $"'{bound.Text}' is not an IP address; ignored");
        }
        else
        {
            issues.Error(bound.Key, $"'{bound.Text}' is not an IP address");
        }

        return null;
    }

    private static Ip? ApplyStart(Ip? start, string key, Cidr subnet, IpInterval full, ConfigIssues issues)
    {
        if (start is not { } s)
        {
            return null;
        }

        if (s.Family == subnet.Family && full.Contains(s.Value))
        {
            return s;
        }

        issues.Warning(key, $"{s} is not a usable address of {subnet} ({Format(full, subnet)}); ignored, the range starts at {new Ip(full.First, subnet.Family)}");
        return null;
    }

    private static Ip? ApplyEnd(Ip? end, string key, Cidr subnet, IpInterval full, UInt128 first, ConfigIssues issues)
    {
        if (end is not { } e)
        {
            return null;
        }

        if (e.Family == subnet.Family && e.Value >= first && e.Value <= full.Last)
        {
            return e;
        }

        var why = e.Family == subnet.Family && e.Value < first && full.Contains(e.Value)
            ? $"lies before the range's start {new Ip(first, subnet.Family)}"
            : $"is not a usable address of {subnet} ({Format(full, subnet)})";
        issues.Warning(key, $"{e} {why}; ignored, the range ends at {new Ip(full.Last, subnet.Family)}");
        return null;
    }

    private static List<Cidr> ReadExcludes((string Key, List<string>? Items) excludes, Cidr subnet, ConfigIssues issues)
    {
        var result = new List<Cidr>();
        if (excludes.Items is null)
        {
            return result;
        }

        for (var i = 0; i < excludes.Items.Count; i++)
        {
            var text = excludes.Items[i];
            var itemKey = JsonFields.Index(excludes.Key, i);
            Cidr cidr;
            if (Cidr.TryParse(text, out var parsed))
            {
                cidr = parsed;
            }
            else if (Ip.TryParse(text, out var single))
            {
                cidr = new Cidr(single, single.Bits);
            }
            else
            {
                issues.AllocationError(itemKey, $"could not parse exclude range '{text}': expected a CIDR or an IP address");
                continue;
            }

            if (cidr.Family != subnet.Family)
            {
                issues.Warning(itemKey, $"{text} is IPv{(int)cidr.Family} but the range {subnet} is IPv{(int)subnet.Family}; ignored");
                continue;
            }

            result.Add(cidr);
        }

        return result;
    }

    private static string Format(IpInterval window, Cidr subnet) =>
        $"{new Ip(window.First, subnet.Family)}-{new Ip(window.Last, subnet.Family)}";
}
