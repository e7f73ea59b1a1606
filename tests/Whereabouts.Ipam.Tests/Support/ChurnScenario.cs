using Whereabouts.Core.Config;
using Whereabouts.Core.Naming;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Ipam.Tests.Support;

/// <summary>
/// Owners that come and go on two networks whose IPv4 ranges overlap (one pool each, one set of cluster-wide
/// reservations), and the invariants the store must keep whatever they do.
/// </summary>
/// <remarks>
/// Even owners use <see cref="Left"/>: 10.0.0.0/28 up to .12, .4-.7 excluded, gateway .1. Odd owners use
/// <see cref="Right"/>: a small IPv6 range first, then 10.0.0.0/29 with gateway .6, so running out of IPv4 addresses
/// undoes an IPv6 allocation.
/// </remarks>
internal static class ChurnScenario
{
    public const int Owners = 8;

    public static readonly IpamConfig Left =
        Configs.Of(Configs.Range("10.0.0.0/28", end: "10.0.0.12", excludes: "10.0.0.4/30")) with { Gateway = Ip.Parse("10.0.0.1") };

    public static readonly IpamConfig Right =
        Configs.Of(Configs.Range("fd00::/125", excludes: ["fd00::3", "fd00::4"]), Configs.Range("10.0.0.0/29")) with { Gateway = Ip.Parse("10.0.0.6") };

    /// <summary>What each pool may hand out, by pool name.</summary>
    private static readonly Dictionary<string, AllocationRange> RangesByPool = new[] { Left, Right }
        .SelectMany(config =>
        {
            var gateways = GatewaySelector.ForRanges(config.Ranges, config.Gateway, []);
            return config.Ranges.Select((range, i) => (PoolKey.For(range.Subnet, config.PoolNetworkName).Name, AllocationRange.Create(range, gateways[i])));
        })
        .ToDictionary(p => p.Name, p => p.Item2);

    public static IpamOptions Options { get; } = Services.Fast with
    {
        // Backoff is covered elsewhere; here retries are immediate so that thousands of steps stay fast.
        InitialBackoff = TimeSpan.Zero,
        MaxBackoff = TimeSpan.Zero,
    };

    public static IpamConfig ConfigOf(int owner) => owner % 2 == 0 ? Left : Right;

    public static AllocationOwner OwnerOf(int owner, int generation) => new($"c{owner}-{generation}", $"ns/pod{owner}", "net1");

    /// <summary>Transient faults on a share of all calls, and concurrent writers before a share of pool writes.</summary>
    public static void InjectTrouble(FakeIpamStore store, int faultPercent, int conflictPercent, int seed)
    {
        var random = new Random(seed);
        store.FaultPolicy = _ =>
        {
            lock (random)
            {
                return random.Next(100) < faultPercent ? new Errors.StoreUnavailableException("injected") : null;
            }
        };
        store.Pools.BeforeUpdate = async (snapshot, _) =>
        {
            bool race;
            lock (random)
            {
                race = random.Next(100) < conflictPercent;
            }

            if (race)
            {
                store.Pools.Touch(snapshot.Key.Name);
            }

            // Lets other callers run between this caller's read and its write.
            await Task.Yield();
        };
    }

    public static void StopTrouble(FakeIpamStore store)
    {
        store.FaultPolicy = null;
        store.Pools.BeforeUpdate = null;
    }

    /// <summary>No address is held by two pod interfaces, in any pool, and no pool holds what its range may not hand out.</summary>
    public static void AssertPoolsSound(FakeIpamStore store)
    {
        var entries = store.Pools.Entries();
        foreach (var byAddress in entries.GroupBy(e => e.Address))
        {
            var holders = byAddress.Select(e => (e.Allocation.PodRef, e.Allocation.IfName)).Distinct().ToList();
            Assert.True(holders.Count == 1, $"{byAddress.Key} is held by {string.Join(", ", holders)}");
        }

        foreach (var entry in entries)
        {
            Assert.True(RangesByPool[entry.Pool].Allows(entry.Address), $"pool {entry.Pool} handed out {entry.Address}, which its range does not allow");
        }
    }

    /// <summary>Every pool entry is covered by a cluster-wide reservation of its own pod (true whenever no call is running).</summary>
    public static void AssertReservationsCoverPools(FakeIpamStore store)
    {
        foreach (var entry in store.Pools.Entries())
        {
            var reservation = store.Reservations.Peek(ObjectNames.OverlappingReservation(entry.Address));
            Assert.True(
                reservation is not null && reservation.IsOwnedBy(entry.Allocation.PodRef, entry.Allocation.IfName),
                $"{entry.Address} in pool {entry.Pool} belongs to {entry.Allocation.PodRef} but its reservation is {reservation?.PodRef ?? "missing"}");
        }
    }

    /// <summary>A successful ADD returned one address per range that the range allows, each recorded in its pool for this very container.</summary>
    public static void AssertResult(FakeIpamStore store, IpamConfig config, AllocationOwner owner, IReadOnlyList<AllocatedAddress> result)
    {
        Assert.Equal(config.Ranges, result.Select(a => a.Range));
        var entries = store.Pools.Entries();
        foreach (var address in result)
        {
            var pool = PoolKey.For(address.Range.Subnet, config.PoolNetworkName).Name;
            Assert.True(RangesByPool[pool].Allows(address.Address), $"{address.Address} handed out by {pool}");
            Assert.Contains(entries, e => e.Pool == pool && e.Address == address.Address && e.Allocation == owner.ToAllocation());
        }
    }
}
