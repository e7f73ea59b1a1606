using Whereabouts.Core.Allocation;
using Whereabouts.Core.Config;
using Whereabouts.Core.Net;

namespace Whereabouts.Core.Tests.Support;

/// <summary>Builds allocation ranges directly from a <see cref="RangeConfig"/>, bypassing the reader.</summary>
internal static class Ranges
{
    public static AllocationRange Of(
        string subnet, string? start = null, string? end = null, string[]? exclude = null, string? gateway = null) =>
        AllocationRange.Create(Config(subnet, start, end, exclude), gateway is null ? null : Addr.Ip(gateway));

    public static RangeConfig Config(string subnet, string? start = null, string? end = null, string[]? exclude = null) =>
        new(
            Addr.Cidr(subnet).Masked,
            start is null ? null : Addr.Ip(start),
            end is null ? null : Addr.Ip(end),
            [.. (exclude ?? []).Select(ExcludeOf)],
            "range");

    private static Cidr ExcludeOf(string text) =>
        Cidr.TryParse(text, out var cidr) ? cidr : new Cidr(Addr.Ip(text), Addr.Ip(text).Bits);
}
