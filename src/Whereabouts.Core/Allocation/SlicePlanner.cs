using Whereabouts.Core.Net;

namespace Whereabouts.Core.Allocation;

/// <summary>
/// Keeps every live node assigned a slice without moving what is in use. Unlike upstream, which re-slices from scratch
/// when the range or size changes, an assignment that still matches a slice of the new layout stays; one that does not
/// moves only when its slice holds no live allocation, and is otherwise kept as it is (pinned) and reported. A deleted
/// node's slice is freed only once it holds no live allocation. New nodes take the lowest free slice, in name order.
/// </summary>
public static class SlicePlanner
{
    /// <param name="range">The network's range (the first range of its configuration).</param>
    /// <param name="slicePrefix">The slice size as a prefix length; the layout must be valid (<see cref="SliceLayout.Problem"/>).</param>
    /// <param name="current">The stored <c>status.allocations</c> (any layout, free entries included or not).</param>
    /// <param name="liveNodes">The nodes that exist.</param>
    /// <param name="inUse">True when the node's slice pool holds an allocation of a live pod.</param>
    public static SlicePlan Plan(
        Cidr range, int slicePrefix, IReadOnlyList<SliceAssignment> current, IReadOnlyCollection<string> liveNodes, Func<SliceAssignment, bool> inUse)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(liveNodes);
        ArgumentNullException.ThrowIfNull(inUse);
        var layout = SliceLayout.Divide(range, slicePrefix);
        var live = new HashSet<string>(liveNodes, StringComparer.Ordinal);
        var owners = new Dictionary<Cidr, string>();
        var pinned = new List<SliceAssignment>();
        var retained = new List<SliceAssignment>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var layoutSet = layout.ToHashSet();

        // Assignments in use first, so that a node listed twice keeps the slice it uses.
        foreach (var entry in current.Where(static e => !e.IsFree).OrderBy(e => inUse(e) ? 0 : 1))
        {
            var slice = entry.Slice.Masked;
            if (placed.Contains(entry.NodeName))
            {
                continue;
            }

            var busy = inUse(entry);
            if (!live.Contains(entry.NodeName) && !busy)
            {
                continue;
            }

            if (layoutSet.Contains(slice) && !owners.ContainsKey(slice) && !OverlapsPinned(slice, pinned))
            {
                owners[slice] = entry.NodeName;
            }
            else if (busy && !owners.Keys.Any(o => Overlaps(o, slice)) && !OverlapsPinned(slice, pinned))
            {
                pinned.Add(entry with { Slice = slice });
            }
            else
            {
                continue;
            }

            placed.Add(entry.NodeName);
            if (!live.Contains(entry.NodeName))
            {
                retained.Add(entry with { Slice = slice });
            }
        }

        var usable = layout.Where(s => !OverlapsPinned(s, pinned)).ToList();
        var free = new Queue<Cidr>(usable.Where(s => !owners.ContainsKey(s)));
        var unassigned = new List<string>();
        foreach (var node in live.Where(n => !placed.Contains(n)).Order(StringComparer.Ordinal))
        {
            if (free.TryDequeue(out var slice))
            {
                owners[slice] = node;
            }
            else
            {
                unassigned.Add(node);
            }
        }

        var slices = usable.Select(s => new SliceAssignment(owners.GetValueOrDefault(s, string.Empty), s))
            .Concat(pinned)
            .OrderBy(static a => a.Slice.Network.Value)
            .ToList();
        return new SlicePlan(slices, unassigned, pinned, retained);
    }

    private static bool OverlapsPinned(Cidr slice, List<SliceAssignment> pinned) => pinned.Exists(p => Overlaps(p.Slice, slice));

    private static bool Overlaps(Cidr a, Cidr b) =>
        a.Family == b.Family && a.Network.Value <= b.Last.Value && b.Network.Value <= a.Last.Value;
}
