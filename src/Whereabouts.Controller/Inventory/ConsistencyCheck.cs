using Whereabouts.Controller.Reconcile;
using Whereabouts.Core.Naming;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Controller.Inventory;

/// <summary>
/// <c>ipam check</c>'s rules over one <see cref="ClusterInventory"/> read with reservations and pods. It only reports;
/// what <c>reconcile</c> would release is the subset of kind <see cref="Problem.PodGone"/> and
/// <see cref="Problem.PodFinished"/>, and unused reservations old enough.
/// </summary>
internal sealed class ConsistencyCheck
{
    private readonly ClusterInventory _inventory;
    private readonly PodDirectory _pods;
    private readonly DateTimeOffset _now;
    private readonly TimeSpan _reservationGrace;
    private readonly List<Problem> _problems = [];

    private ConsistencyCheck(ClusterInventory inventory, DateTimeOffset now, TimeSpan reservationGrace)
    {
        _inventory = inventory;
        _pods = inventory.Pods ?? throw new ArgumentException("the inventory was read without pods", nameof(inventory));
        _now = now;
        _reservationGrace = reservationGrace;
    }

    /// <summary>Every problem, ordered by kind, pool and address.</summary>
    /// <param name="inventory">Read with reservations and pods.</param>
    /// <param name="now">The current time, to leave alone reservations an ADD in flight just made.</param>
    /// <param name="reservationGrace">How young a reservation without allocation may be (an ADD writes the reservation before the pool).</param>
    public static IReadOnlyList<Problem> Run(ClusterInventory inventory, DateTimeOffset now, TimeSpan reservationGrace)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var check = new ConsistencyCheck(inventory, now, reservationGrace);
        foreach (var line in inventory.Problems)
        {
            check._problems.Add(new Problem(Problem.Unreadable, null, null, null, line));
        }

        check.CheckAllocations();
        check.CheckHeldInTwoPools();
        check.CheckReservations();
        return [.. check._problems
            .OrderBy(static p => p.Kind, StringComparer.Ordinal)
            .ThenBy(static p => p.Pool, StringComparer.Ordinal)
            .ThenBy(static p => p.Ip is { } ip && Ip.TryParse(ip, out var parsed) ? parsed : default)
            .ThenBy(static p => p.Detail, StringComparer.Ordinal)];
    }

    private static string PoolOf(PoolUsage pool) => pool.Namespace + "/" + pool.Name;

    private static string Owner(string podRef, string ifName) => ifName.Length == 0 ? podRef : $"{podRef} ({ifName})";

    private void CheckAllocations()
    {
        foreach (var pool in _inventory.Pools)
        {
            foreach (var entry in pool.Entries)
            {
                var ip = entry.Address?.ToString();
                var allocation = entry.Allocation;
                var verdict = AllocationVerdict.For(allocation, _pods);
                if (verdict.Release)
                {
                    var gone = verdict.Reason == AllocationVerdict.PodGone;
                    _problems.Add(new Problem(
                        gone ? Problem.PodGone : Problem.PodFinished,
                        ip,
                        allocation.PodRef,
                        PoolOf(pool),
                        gone
                            ? $"pod {allocation.PodRef} does not exist; container {allocation.ContainerId} still holds the address"
                            : $"pod {allocation.PodRef} has finished ({verdict.Reason}) and still holds the address"));
                }

                if (!entry.InWindow)
                {
                    _problems.Add(new Problem(
                        Problem.OutsideWindow,
                        ip,
                        allocation.PodRef,
                        PoolOf(pool),
                        entry.Address is null ? $"offset {entry.Offset} lies beyond the last address of the family"
                        : pool.Window is { } window ? $"{ip} is not in the pool's window {window.Describe()}"
                        : $"range {pool.Range} has no usable address"));
                }
            }
        }
    }

    private void CheckHeldInTwoPools()
    {
        var holders = new Dictionary<(string Namespace, string Network, Ip Address), List<(PoolUsage Pool, PoolEntry Entry)>>();
        foreach (var pool in _inventory.Pools.Where(static p => p.NetworkNames.Count == 1))
        {
            foreach (var entry in pool.Entries)
            {
                if (entry.Address is not { } address)
                {
                    continue;
                }

                var key = (pool.Namespace, pool.NetworkNames[0], address);
                if (!holders.TryGetValue(key, out var list))
                {
                    list = [];
                    holders[key] = list;
                }

                list.Add((pool, entry));
            }
        }

        foreach (var ((_, network, address), list) in holders.Where(static h => h.Value.Count > 1))
        {
            var first = list[0];
            foreach (var (pool, entry) in list.Skip(1))
            {
                var a = first.Entry.Allocation;
                var b = entry.Allocation;
                if (a.PodRef == b.PodRef && a.IfName == b.IfName)
                {
                    continue;
                }

                var networkText = network.Length == 0 ? "the unnamed network" : $"network {network}";
                _problems.Add(new Problem(
                    Problem.HeldTwice,
                    address.ToString(),
                    b.PodRef,
                    PoolOf(pool),
                    $"{address} is allocated in two pools of {networkText}: to {Owner(a.PodRef, a.IfName)} in {PoolOf(first.Pool)} and to {Owner(b.PodRef, b.IfName)} in {PoolOf(pool)}"));
            }
        }
    }

    private void CheckReservations()
    {
        var reservations = _inventory.Reservations.ToDictionary(static r => (r.Namespace, r.Reservation.Name), static r => r.Reservation);
        var used = new HashSet<(string Namespace, string Name)>();
        var protectedPods = new HashSet<(string Namespace, string PodRef)>();
        foreach (var pool in _inventory.Pools)
        {
            var networks = pool.NetworkNames;
            foreach (var entry in pool.Entries)
            {
                if (networks.Count == 0 || entry.Address is not { } address)
                {
                    // No reservation name can be derived: such a pool keeps every reservation of its pods in use.
                    protectedPods.Add((pool.Namespace, entry.Allocation.PodRef));
                    continue;
                }

                var names = networks.Select(n => ObjectNames.OverlappingReservation(address, n.Length == 0 ? null : n)).Distinct(StringComparer.Ordinal).ToList();
                used.UnionWith(names.Select(n => (pool.Namespace, n)));
                if (pool.Reserves)
                {
                    CheckReservationOf(pool, entry, address, names, reservations);
                }
            }
        }

        foreach (var ((@namespace, name), reservation) in reservations)
        {
            if (used.Contains((@namespace, name)) || protectedPods.Contains((@namespace, reservation.PodRef))
                || reservation.CreatedAt is not { } created || _now - created < _reservationGrace)
            {
                continue;
            }

            var parsed = ReservationNames.TryParseAddress(name, out var address, out var network);
            _problems.Add(new Problem(
                Problem.ReservationWithoutAllocation,
                parsed ? address.ToString() : null,
                reservation.PodRef,
                null,
                $"reservation {@namespace}/{name} of {Owner(reservation.PodRef, reservation.IfName)} has no allocation in any pool")
            {
                Network = parsed ? network ?? string.Empty : null,
            });
        }
    }

    private void CheckReservationOf(
        PoolUsage pool, PoolEntry entry, Ip address, List<string> names, Dictionary<(string Namespace, string Name), Reservation> reservations)
    {
        var allocation = entry.Allocation;
        var found = names.Select(n => reservations.GetValueOrDefault((pool.Namespace, n))).OfType<Reservation>().ToList();
        if (found.Count == 0)
        {
            _problems.Add(new Problem(
                Problem.AllocationWithoutReservation,
                address.ToString(),
                allocation.PodRef,
                PoolOf(pool),
                $"no reservation {pool.Namespace}/{names[0]}: another pool of the network may hand {address} out again"));
            return;
        }

        if (!found.Any(r => r.IsOwnedBy(allocation.PodRef, allocation.IfName)))
        {
            var holder = found[0];
            _problems.Add(new Problem(
                Problem.HeldTwice,
                address.ToString(),
                allocation.PodRef,
                PoolOf(pool),
                $"{address} is allocated to {Owner(allocation.PodRef, allocation.IfName)} in {PoolOf(pool)} but reservation {pool.Namespace}/{holder.Name} is held by {Owner(holder.PodRef, holder.IfName)}"));
        }
    }
}
