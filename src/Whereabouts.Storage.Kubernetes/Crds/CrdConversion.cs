using System.Globalization;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>The one mapping between the CRD objects and the store's snapshots, reservations and offsets.</summary>
public static class CrdConversion
{
    /// <summary>Formats an offset as an allocation key: plain decimal, as upstream's <c>%d</c>.</summary>
    public static string FormatOffset(UInt128 offset) => offset.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads an allocation key. All 128 bits are kept (upstream stops at 2^63). Only the canonical spelling is accepted:
    /// a key such as <c>"05"</c> would name a different JSON member than the <c>"5"</c> we would write, so it is unreadable.
    /// </summary>
    public static bool TryParseOffset(string key, out UInt128 offset) =>
        UInt128.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out offset)
        && (key.Length == 1 || key[0] != '0');

    public static PoolAllocation ToAllocation(IPAllocation allocation)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        return new PoolAllocation(allocation.Id ?? string.Empty, allocation.PodRef ?? string.Empty, allocation.IfName ?? string.Empty);
    }

    public static IPAllocation ToCrd(PoolAllocation allocation)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        return new IPAllocation { Id = allocation.ContainerId, PodRef = allocation.PodRef, IfName = allocation.IfName };
    }

    /// <summary>The pool as a snapshot; its key is <paramref name="key"/>, or derived from the object when null.</summary>
    /// <exception cref="StoreDataException">The object has no readable <c>spec.range</c> or no resourceVersion.</exception>
    public static PoolSnapshot ToSnapshot(IPPool pool, PoolKey? key = null) => ToSnapshot(pool, key, null);

    /// <summary>
    /// The pool as a snapshot, sharing with <paramref name="previous"/> every allocation that did not change, so that a
    /// cache that keeps many versions of a pool in turn keeps each allocation once.
    /// </summary>
    /// <exception cref="StoreDataException">The object has no readable <c>spec.range</c> or no resourceVersion.</exception>
    public static PoolSnapshot ToSnapshot(IPPool pool, PoolKey? key, IReadOnlyDictionary<UInt128, PoolAllocation>? previous)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var name = pool.Metadata?.Name ?? key?.Name ?? "(unnamed)";
        var rangeText = pool.Spec?.Range;
        if (!Cidr.TryParse(rangeText, out var range))
        {
            throw new StoreDataException($"IPPool {Describe(pool)} has an invalid spec.range '{rangeText}'");
        }

        var version = pool.Metadata?.ResourceVersion;
        if (string.IsNullOrEmpty(version))
        {
            throw new StoreDataException($"IPPool {Describe(pool)} has no metadata.resourceVersion");
        }

        if (pool.ReadAllocations is { } read)
        {
            return new PoolSnapshot(key ?? new PoolKey(name, range.Masked), range.Address, version, read.Allocations)
            {
                UnreadableKeys = read.UnreadableKeys,
            };
        }

        var allocations = new Dictionary<UInt128, PoolAllocation>(pool.Spec?.Allocations?.Count ?? 0);
        var unreadable = new List<string>();
        foreach (var (offsetKey, allocation) in pool.Spec?.Allocations ?? [])
        {
            if (allocation is not null && TryParseOffset(offsetKey, out var offset))
            {
                allocations[offset] = previous is not null && previous.TryGetValue(offset, out var known) && Matches(known, allocation)
                    ? known
                    : ToAllocation(allocation);
            }
            else
            {
                unreadable.Add(offsetKey);
            }
        }

        return new PoolSnapshot(key ?? new PoolKey(name, range.Masked), range.Address, version, allocations)
        {
            UnreadableKeys = unreadable,
        };
    }

    /// <summary>The reservation as the store hands it out; reservations of upstream v0.5 have no ifname (read as empty).</summary>
    /// <exception cref="StoreDataException">The object has no spec.podref or no resourceVersion.</exception>
    public static Reservation ToReservation(OverlappingRangeIPReservation reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        var metadata = reservation.Metadata;
        var version = metadata?.ResourceVersion;
        if (string.IsNullOrEmpty(version))
        {
            throw new StoreDataException($"OverlappingRangeIPReservation {Describe(reservation)} has no metadata.resourceVersion");
        }

        var spec = reservation.Spec ?? throw new StoreDataException($"OverlappingRangeIPReservation {Describe(reservation)} has no spec");
        return new Reservation(
            metadata!.Name ?? string.Empty,
            spec.PodRef ?? string.Empty,
            spec.IfName ?? string.Empty,
            string.IsNullOrEmpty(spec.ContainerId) ? null : spec.ContainerId,
            version,
            metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null,
            metadata.Uid);
    }

    /// <summary>A new reservation object for <paramref name="owner"/>.</summary>
    public static OverlappingRangeIPReservation NewReservation(string name, AllocationOwner owner) => new()
    {
        Metadata = new()
        {
            Name = name,
            Labels = new Dictionary<string, string> { [ReservationLabels.ContainerId] = ReservationLabels.ValueFor(owner.ContainerId) },
        },
        Spec = new OverlappingRangeIPReservationSpec { ContainerId = owner.ContainerId, PodRef = owner.PodRef, IfName = owner.IfName },
    };

    /// <summary>A new, empty pool object (what upstream creates: name, range, empty allocations).</summary>
    public static IPPool NewPool(PoolKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new IPPool
        {
            Metadata = new() { Name = key.Name },
            Spec = new IPPoolSpec { Range = key.Range.ToString(), Allocations = [] },
        };
    }

    private static bool Matches(PoolAllocation known, IPAllocation read) =>
        known.ContainerId == (read.Id ?? string.Empty) && known.PodRef == (read.PodRef ?? string.Empty) && known.IfName == (read.IfName ?? string.Empty);

    private static string Describe(WhereaboutsObject obj) =>
        obj.Metadata is { } m ? $"{m.NamespaceProperty}/{m.Name}" : "(no metadata)";
}
