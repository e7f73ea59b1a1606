using System.Globalization;
using System.Text;
using Whereabouts.Core.Config;
using Whereabouts.Core.Net;

namespace Whereabouts.Core.Allocation;

/// <summary>
/// The addresses one range may hand out: the usable window (never the network or all-ones address, narrowed by
/// range_start and range_end) minus the blocked intervals (excludes and the gateway), kept sorted and merged so that
/// allocation can jump over them instead of stepping through addresses.
/// </summary>
public sealed class AllocationRange
{
    private readonly IpInterval[] _blocked;
    private readonly IpInterval[] _free;
    private readonly UInt128[] _freeBefore;

    private AllocationRange(RangeConfig config, Ip? gateway, IpInterval window, IpInterval[] blocked)
    {
        Config = config;
        Gateway = gateway;
        Window = window;
        _blocked = blocked;
        (_free, _freeBefore, FreeCount) = ComputeFree(window, blocked);
    }

    public RangeConfig Config { get; }

    public Cidr Subnet => Config.Subnet;

    public IpFamily Family => Config.Subnet.Family;

    /// <summary>The gateway when it lies in this range's subnet.</summary>
    public Ip? Gateway { get; }

    /// <summary>First and last address of the usable window.</summary>
    public IpInterval Window { get; }

    public Ip First => new(Window.First, Family);

    public Ip Last => new(Window.Last, Family);

    /// <summary>Excluded and gateway addresses inside the window, sorted and merged.</summary>
    public IReadOnlyList<IpInterval> Blocked => _blocked;

    /// <summary>The free segments of the window, sorted.</summary>
    internal ReadOnlySpan<IpInterval> FreeSegments => _free;

    /// <summary>The number of addresses this range can hand out.</summary>
    public UInt128 FreeCount { get; }

    public static AllocationRange Create(RangeConfig config, Ip? gateway)
    {
        ArgumentNullException.ThrowIfNull(config);
        var subnet = config.Subnet;
        var window = UsableWindow.Compute(subnet, config.RangeStart, config.RangeEnd);
        var inSubnetGateway = gateway is { } g && subnet.Contains(g) ? g : (Ip?)null;

        var pieces = new List<IpInterval>(config.Excludes.Count + 2);
        if (config.Slice is { } slice)
        {
            if (slice.Range.Family != subnet.Family || !subnet.Contains(slice.Range.Network) || slice.Range.PrefixLength < subnet.PrefixLength)
            {
                throw new ArgumentException($"slice {slice.Range} is not part of range {subnet}", nameof(config));
            }

            window = SliceWindow(window, slice, pieces);
        }

        foreach (var exclude in config.Excludes)
        {
            if (exclude.Family == subnet.Family)
            {
                AddClipped(pieces, exclude.ToInterval(), window);
            }
        }

        if (inSubnetGateway is { } gw)
        {
            AddClipped(pieces, new IpInterval(gw.Value, gw.Value), window);
        }

        return new AllocationRange(config, inSubnetGateway, window, Merge(pieces));
    }

    /// <summary>
    /// The window narrowed to the slice's usable addresses. When nothing is left (a range_start past the slice, or a
    /// hand-made slice too small to have usable addresses), the window is kept and blocked as a whole, so the range
    /// reports itself full rather than widening again.
    /// </summary>
    private static IpInterval SliceWindow(IpInterval window, NodeSlice slice, List<IpInterval> pieces)
    {
        if (!UsableWindow.HasUsableAddresses(slice.Range))
        {
            pieces.Add(window);
            return window;
        }

        var usable = UsableWindow.Full(slice.Range);
        var first = usable.First > window.First ? usable.First : window.First;
        var last = usable.Last < window.Last ? usable.Last : window.Last;
        if (first <= last)
        {
            return new IpInterval(first, last);
        }

        pieces.Add(window);
        return window;
    }

    /// <summary>True when <paramref name="ip"/> may be handed out by this range.</summary>
    public bool Allows(Ip ip) => ip.Family == Family && Window.Contains(ip.Value) && !IsBlocked(ip.Value);

    internal bool IsBlocked(UInt128 value)
    {
        var lo = 0;
        var hi = _blocked.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (value < _blocked[mid].First)
            {
                hi = mid - 1;
            }
            else if (value > _blocked[mid].Last)
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The rank of a free address among all free addresses, or null when it is not free-able.</summary>
    internal UInt128? RankOf(UInt128 value)
    {
        var lo = 0;
        var hi = _free.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (value < _free[mid].First)
            {
                hi = mid - 1;
            }
            else if (value > _free[mid].Last)
            {
                lo = mid + 1;
            }
            else
            {
                return _freeBefore[mid] + (value - _free[mid].First);
            }
        }

        return null;
    }

    /// <summary>The free address with the given rank (0 is the lowest).</summary>
    internal UInt128 AddressOfRank(UInt128 rank)
    {
        var lo = 0;
        var hi = _free.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) >>> 1;
            if (_freeBefore[mid] <= rank)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return _free[lo].First + (rank - _freeBefore[lo]);
    }

    /// <summary>A one-line description for messages: the subnet, the window, excludes and gateway.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Subnet} (usable {First}-{Last}");
        if (Config.Slice is { } slice)
        {
            sb.Append(CultureInfo.InvariantCulture, $" in slice {slice.Range} of node {slice.NodeName}");
        }

        if (Config.Excludes.Count > 0)
        {
            sb.Append(", excluding ").AppendJoin(", ", Config.Excludes.Select(FormatExclude));
        }

        if (Gateway is { } gw)
        {
            sb.Append(CultureInfo.InvariantCulture, $", gateway {gw}");
        }

        return sb.Append(')').ToString();
    }

    public override string ToString() => Describe();

    private static string FormatExclude(Cidr c) =>
        c.PrefixLength == c.Address.Bits ? c.Address.ToString() : c.Masked.ToString();

    private static void AddClipped(List<IpInterval> pieces, IpInterval interval, IpInterval window)
    {
        var first = interval.First > window.First ? interval.First : window.First;
        var last = interval.Last < window.Last ? interval.Last : window.Last;
        if (first <= last)
        {
            pieces.Add(new IpInterval(first, last));
        }
    }

    private static IpInterval[] Merge(List<IpInterval> pieces)
    {
        pieces.Sort(static (a, b) => a.First.CompareTo(b.First));
        var merged = new List<IpInterval>(pieces.Count);
        foreach (var piece in pieces)
        {
            if (merged.Count > 0)
            {
                var last = merged[^1];
                if (last.Last == UInt128.MaxValue || piece.First <= last.Last + 1)
                {
                    if (piece.Last > last.Last)
                    {
                        merged[^1] = last with { Last = piece.Last };
                    }

                    continue;
                }
            }

            merged.Add(piece);
        }

        return [.. merged];
    }

    private static (IpInterval[] Free, UInt128[] FreeBefore, UInt128 Total) ComputeFree(IpInterval window, IpInterval[] blocked)
    {
        var free = new List<IpInterval>(blocked.Length + 1);
        var cursor = window.First;
        var exhausted = false;
        foreach (var b in blocked)
        {
            if (b.First > cursor)
            {
                free.Add(new IpInterval(cursor, b.First - 1));
            }

            if (b.Last == window.Last)
            {
                exhausted = true;
                break;
            }

            cursor = b.Last + 1;
        }

        if (!exhausted && cursor <= window.Last)
        {
            free.Add(new IpInterval(cursor, window.Last));
        }

        var before = new UInt128[free.Count];
        var total = UInt128.Zero;
        for (var i = 0; i < free.Count; i++)
        {
            before[i] = total;
            total += free[i].Count;
        }

        return ([.. free], before, total);
    }
}
