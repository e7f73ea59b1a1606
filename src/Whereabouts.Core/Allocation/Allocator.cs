using System.Numerics;
using Whereabouts.Core.Net;

namespace Whereabouts.Core.Allocation;

/// <summary>
/// Finds the lowest free address of a range.
/// </summary>
/// <remarks>
/// Excludes and the gateway are sorted, merged intervals, so the free part of the window is a short list of segments.
/// Every free address has a rank: its position among the free addresses. With n reservations, one of the ranks
/// 0..n is unused (pigeonhole), so the answer is the lowest rank missing from a bitmap of n+1 bits, mapped back to an
/// address. The cost is O(n log k) for n reservations and k excluded intervals, whatever the size of the range:
/// an IPv6 /48 with one free address at its end costs the same as a /24.
/// </remarks>
public static class Allocator
{
    /// <summary>The lowest free address, or null when every address of the range is reserved or blocked.</summary>
    /// <param name="range">The range to allocate from.</param>
    /// <param name="reserved">Values of reserved addresses of the range's family; values outside the range are ignored, duplicates are fine.</param>
    public static Ip? FindLowestFree(AllocationRange range, ReadOnlySpan<UInt128> reserved) => FindFree(range, reserved, 0);

    /// <summary>
    /// The free address after skipping the <paramref name="skip"/> lowest ones (or the highest free address when there
    /// are fewer), or null when none is free. Writers that collided on the lowest address spread out this way instead of
    /// all racing for the next one.
    /// </summary>
    public static Ip? FindFree(AllocationRange range, ReadOnlySpan<UInt128> reserved, int skip) => FindFree(range, reserved, skip, UInt128.Zero);

    /// <summary>
    /// As <see cref="FindFree(AllocationRange, ReadOnlySpan{UInt128}, int)"/>, with the range's usable addresses read as
    /// a ring that begins at rank <paramref name="start"/> (taken modulo their number) and wraps around to the lowest:
    /// writers that share a pool but start at different points fill different parts of it instead of all racing for
    /// its lowest free address.
    /// </summary>
    public static Ip? FindFree(AllocationRange range, ReadOnlySpan<UInt128> reserved, int skip, UInt128 start)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        var total = range.FreeCount;
        if (total == UInt128.Zero)
        {
            return null;
        }

        start %= total;

        var candidates = (UInt128)(uint)reserved.Length + 1 + (uint)skip;
        var width = (int)(total < candidates ? total : candidates);
        var bits = new ulong[(width + 63) / 64];
        foreach (var value in reserved)
        {
            if (range.RankOf(value) is { } rank && RingPosition(rank, start, total) is var position && position < (UInt128)(uint)width)
            {
                var r = (int)position;
                bits[r >> 6] |= 1UL << (r & 63);
            }
        }

        var found = -1;
        var toSkip = skip;
        for (var word = 0; word < bits.Length; word++)
        {
            var free = ~bits[word];
            while (free != 0)
            {
                var rank = (word << 6) + BitOperations.TrailingZeroCount(free);
                if (rank >= width)
                {
                    break;
                }

                found = rank;
                if (toSkip-- == 0)
                {
                    return AtRingPosition(range, rank, start, total);
                }

                free &= free - 1;
            }
        }

        return found < 0 ? null : AtRingPosition(range, found, start, total);
    }

    private static UInt128 RingPosition(UInt128 rank, UInt128 start, UInt128 total) =>
        rank >= start ? rank - start : total - start + rank;

    private static Ip AtRingPosition(AllocationRange range, int position, UInt128 start, UInt128 total)
    {
        var offset = (UInt128)(uint)position;
        var rank = offset < total - start ? start + offset : offset - (total - start);
        return new Ip(range.AddressOfRank(rank), range.Family);
    }

    /// <inheritdoc cref="FindLowestFree(AllocationRange, ReadOnlySpan{UInt128})"/>
    public static Ip? FindLowestFree(AllocationRange range, IEnumerable<Ip> reserved)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(reserved);
        var values = reserved.Where(ip => ip.Family == range.Family).Select(ip => ip.Value).ToArray();
        return FindLowestFree(range, values);
    }
}
