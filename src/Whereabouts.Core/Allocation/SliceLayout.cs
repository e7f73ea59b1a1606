using System.Globalization;
using Whereabouts.Core.Net;

namespace Whereabouts.Core.Allocation;

/// <summary>
/// How a range is cut into node slices: <c>2^(size - prefix)</c> consecutive prefixes of the slice size from the
/// network address up, for IPv4 and IPv6 alike. A slice must leave at least one usable address (upstream hands out
/// only a slice's first to last usable address), and the slices must fit in one NodeSlicePool object.
/// </summary>
public static class SliceLayout
{
    /// <summary>
    /// The most slices one range may be cut into. Every slice is an entry of the NodeSlicePool's status, and the object
    /// has to stay well below the API server's request size limit (about 1.5 MB); 8192 entries of the longest IPv6 form
    /// take about 700 kB, and no cluster has that many nodes.
    /// </summary>
    public const int MaxSlices = 8192;

    /// <summary>Reads <c>node_slice_size</c>: <c>"/22"</c> or <c>"22"</c> (one leading '/' is dropped, as upstream).</summary>
    public static bool TryParseSize(string? text, out int prefix)
    {
        prefix = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var digits = text.StartsWith('/') ? text[1..] : text;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out prefix)
            && prefix <= 128;
    }

    /// <summary>Why <paramref name="range"/> cannot be cut into slices of <paramref name="slicePrefix"/>, or null when it can.</summary>
    public static string? Problem(Cidr range, int slicePrefix)
    {
        var subnet = range.Masked;
        if (slicePrefix > range.Address.Bits)
        {
            return $"/{slicePrefix} is not a prefix length of an {Family(range)} range such as {subnet}";
        }

        if (slicePrefix < range.PrefixLength)
        {
            return $"slices of /{slicePrefix} are larger than the range {subnet}: the slice size must be /{range.PrefixLength} or longer";
        }

        if (!UsableWindow.HasUsableAddresses(new Cidr(subnet.Network, slicePrefix)))
        {
            return $"slices of /{slicePrefix} have no usable address (a slice's first and last address are not handed out): use /{UsableWindow.MaxUsablePrefix(range.Family)} or shorter";
        }

        var bits = slicePrefix - range.PrefixLength;
        if (bits > 13)
        {
            return $"{subnet} cut into /{slicePrefix} gives 2^{bits} slices, more than the {MaxSlices} one NodeSlicePool can hold: use /{range.PrefixLength + 13} or shorter";
        }

        return null;
    }

    /// <summary>The number of slices, once <see cref="Problem"/> has said the layout is valid.</summary>
    public static int Count(Cidr range, int slicePrefix) => 1 << (slicePrefix - range.PrefixLength);

    /// <summary>Every slice, in ascending order.</summary>
    /// <exception cref="ArgumentException">The layout is not valid (see <see cref="Problem"/>).</exception>
    public static IReadOnlyList<Cidr> Divide(Cidr range, int slicePrefix)
    {
        if (Problem(range, slicePrefix) is { } problem)
        {
            throw new ArgumentException(problem, nameof(slicePrefix));
        }

        var count = Count(range, slicePrefix);
        var step = UInt128.One << (range.Address.Bits - slicePrefix);
        var network = range.Network;
        var slices = new Cidr[count];
        for (var i = 0; i < count; i++)
        {
            slices[i] = new Cidr(network with { Value = network.Value + (step * (uint)i) }, slicePrefix);
        }

        return slices;
    }

    private static string Family(Cidr range) => range.Family == IpFamily.V4 ? "IPv4" : "IPv6";
}
