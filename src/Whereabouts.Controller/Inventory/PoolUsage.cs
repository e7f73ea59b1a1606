using Whereabouts.Core.Allocation;
using Whereabouts.Core.Config;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Controller.Inventory;

/// <summary>
/// How full one IPPool is, measured against the window the plugin allocates from: the pool's range narrowed by the
/// range_start, range_end, exclude and gateway of the NetworkAttachmentDefinition that uses it, computed by the
/// allocator's own <see cref="AllocationRange"/>. Without such a definition the whole range's usable window counts.
/// <c>ipam show</c>, <c>ipam check</c> and the pool metrics all read pools through this type.
/// </summary>
internal sealed class PoolUsage
{
    private PoolUsage(string @namespace, PoolSnapshot snapshot, Cidr range, IReadOnlyList<PoolNetwork> networks, AllocationRange? window, IReadOnlyList<PoolEntry> entries)
    {
        Namespace = @namespace;
        Snapshot = snapshot;
        Range = range;
        Networks = networks;
        Window = window;
        Entries = entries;
        Used = (UInt128)entries.Count(static e => e.InWindow);
    }

    public string Namespace { get; }

    public string Name => Snapshot.Key.Name;

    /// <summary>The pool as read.</summary>
    public PoolSnapshot Snapshot { get; }

    /// <summary>Its <c>spec.range</c>, masked.</summary>
    public Cidr Range { get; }

    /// <summary>The NetworkAttachmentDefinitions whose ranges map to this pool; the window is the first one's.</summary>
    public IReadOnlyList<PoolNetwork> Networks { get; }

    /// <summary>The addresses the pool may hand out; null when its range has no usable address.</summary>
    public AllocationRange? Window { get; }

    /// <summary>True when no NetworkAttachmentDefinition names the pool, so <see cref="Window"/> is the whole range's.</summary>
    public bool WholeRange => Networks.Count == 0;

    /// <summary>True when the definitions using this pool give it different windows (the first one's is used).</summary>
    public bool WindowsDisagree => Networks.Skip(1).Any(n => !n.SameWindow(Networks[0]));

    /// <summary>The readable allocations, in offset order.</summary>
    public IReadOnlyList<PoolEntry> Entries { get; }

    /// <summary>Every allocation, including those whose key cannot be read.</summary>
    public int Allocated => Entries.Count + Snapshot.UnreadableKeys.Count;

    /// <summary>Addresses the window can hand out in all.</summary>
    public UInt128 Capacity => Window?.FreeCount ?? UInt128.Zero;

    /// <summary>Allocations of addresses inside the window.</summary>
    public UInt128 Used { get; }

    public UInt128 Free => Capacity > Used ? Capacity - Used : UInt128.Zero;

    /// <summary>Used over capacity, 0..1; 1 for a pool that can hand out nothing.</summary>
    public double UsageRatio => Capacity == UInt128.Zero ? 1 : Math.Min(1, (double)Used / (double)Capacity);

    /// <summary>The window in words: <c>10.0.0.2-10.0.0.100</c>, or <c>-</c> when the range has none.</summary>
    public string WindowText => Window is { } w ? $"{w.First}-{w.Last}" : "-";

    /// <summary>The network names this pool's reservations are made under (empty for none).</summary>
    public IReadOnlyList<string> NetworkNames =>
        Networks.Count > 0
            ? [.. Networks.Select(static n => n.NetworkName).Distinct(StringComparer.Ordinal)]
            : [.. (Reconcile.ReservationNames.NetworkNameCandidates(Name, Range) ?? []).Select(static n => n ?? string.Empty)];

    /// <summary>False only when every definition using the pool turns overlapping-range reservations off.</summary>
    public bool Reserves => Networks.Count == 0 || Networks.Any(static n => n.Config.EnableOverlappingRanges);

    public static PoolUsage From(string @namespace, PoolSnapshot snapshot, NetworkDirectory networks)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(networks);
        var range = snapshot.Key.Range.Masked;
        var users = networks.For(snapshot.Key.Name);
        var window = users.Count > 0
            ? users[0].Range
            : NetworkDirectory.WindowOf(new RangeConfig(range, null, null, [], "range"), null);
        var entries = snapshot.Allocations
            .OrderBy(static a => a.Key)
            .Select(a => PoolPlanner.AddressOf(snapshot.Base, a.Key) is { } address
                ? new PoolEntry(a.Key, address, a.Value, window?.Allows(address) == true)
                : new PoolEntry(a.Key, null, a.Value, false))
            .ToList();
        return new PoolUsage(@namespace, snapshot, range, users, window, entries);
    }

    /// <summary>True when <paramref name="network"/> is this pool's <c>network_name</c> or the (<c>namespace/</c>)name of a definition using it.</summary>
    public bool BelongsTo(string network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Networks.Any(n => n.NetworkName == network || n.Definition.Name == network || n.Definition.ToString() == network)
            || (Networks.Count == 0 && NetworkNames.Contains(network, StringComparer.Ordinal));
    }
}
