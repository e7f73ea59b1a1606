using CsCheck;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Core.Tests.Support;

namespace Whereabouts.Core.Tests.Properties;

public sealed class AllocatorProperties
{
    [Fact]
    public void FindLowestFree_SmallRanges_MatchesBruteForce()
    {
        AllocationScenario.Small.Sample(
            scenario =>
            {
                var chosen = Allocator.FindLowestFree(scenario.Range, scenario.Reserved);

                Assert.Equal(scenario.BruteForceLowestFree(), chosen);
            },
            iter: 3000);
    }

    [Fact]
    public void FindLowestFree_LargeRanges_MatchesAWalkOverExcludes()
    {
        AllocationScenario.Large.Sample(
            scenario =>
            {
                var chosen = Allocator.FindLowestFree(scenario.Range, scenario.Reserved);

                Assert.Equal(scenario.WalkLowestFree(), chosen);
            },
            iter: 3000);
    }

    [Fact]
    public void FindLowestFree_AnyRange_NeverHandsOutWhatIsNotFree()
    {
        Gen.OneOf(AllocationScenario.Small, AllocationScenario.Large).Sample(
            scenario =>
            {
                var range = scenario.Range;
                if (Allocator.FindLowestFree(range, scenario.Reserved) is not { } ip)
                {
                    return;
                }

                var (first, last) = scenario.Window();
                Assert.Equal(scenario.Subnet.Family, ip.Family);
                Assert.InRange(ip.Value, first, last);
                Assert.NotEqual(scenario.Subnet.Network, ip);
                Assert.NotEqual(scenario.Subnet.Last, ip);
                Assert.DoesNotContain(scenario.Excludes, x => x.Contains(ip));
                Assert.NotEqual(scenario.Gateway, ip);
                Assert.DoesNotContain(ip, scenario.Reserved);
                Assert.True(range.Allows(ip));
            },
            iter: 3000);
    }

    /// <summary>From any start, the first free address in ring order: the lowest free one at or after the start, else the lowest free one.</summary>
    [Fact]
    public void FindFree_FromAnyStart_FirstFreeInRingOrder()
    {
        AllocationScenario.Small.Select(Gen.UInt, (scenario, start) => (scenario, start)).Sample(
            t =>
            {
                var (scenario, start) = t;
                var range = scenario.Range;
                var (first, last) = scenario.Window();
                var usable = Enumerable.Range(0, (int)(last - first + 1))
                    .Select(i => new Ip(first + (uint)i, scenario.Subnet.Family))
                    .Where(range.Allows)
                    .ToList();
                var reserved = scenario.Reserved.Select(static ip => ip.Value).ToArray();
                Ip? expected = null;
                if (usable.Count > 0)
                {
                    var from = (int)(start % (uint)usable.Count);
                    expected = usable.Skip(from).Concat(usable.Take(from)).Cast<Ip?>().FirstOrDefault(ip => !scenario.Reserved.Contains(ip!.Value));
                }

                Assert.Equal(expected, Allocator.FindFree(range, reserved, 0, start));
            },
            iter: 2000);
    }

    [Fact]
    public void FindLowestFree_SmallRanges_NothingOnlyWhenEveryAddressIsTaken()
    {
        AllocationScenario.Small.Sample(
            scenario =>
            {
                var range = scenario.Range;
                var (first, last) = scenario.Window();
                var free = Enumerable.Range(0, (int)(last - first + 1))
                    .Select(i => new Ip(first + (uint)i, scenario.Subnet.Family))
                    .Count(ip => range.Allows(ip) && !scenario.Reserved.Contains(ip));

                Assert.Equal(free == 0, Allocator.FindLowestFree(range, scenario.Reserved) is null);
                Assert.Equal(scenario.BruteForceLowestFree() is null, free == 0);
            },
            iter: 1000);
    }

    [Fact]
    public void Assign_PoolAndTakenElsewhere_AllocatesTheOracleAddress()
    {
        Gen.OneOf(AllocationScenario.Small, AllocationScenario.Large).Sample(
            scenario =>
            {
                // The first half of the reservations sit in the pool (as offsets), the rest are held by other pools.
                var network = scenario.Subnet.Network;
                var half = scenario.Reserved.Length / 2;
                var pool = new Dictionary<UInt128, PoolAllocation>();
                var elsewhere = new List<Ip>(scenario.Reserved[half..]);
                foreach (var ip in scenario.Reserved[..half])
                {
                    if (ip >= network)
                    {
                        pool[ip.OffsetFrom(network)] = new PoolAllocation("other", "ns/other", "eth0");
                    }
                    else
                    {
                        elsewhere.Add(ip);
                    }
                }

                var plan = PoolPlanner.Assign(scenario.Range, network, pool, new AllocationOwner("c", "ns/p", "eth0"), takenElsewhere: elsewhere);

                var expected = scenario.WalkLowestFree();
                Assert.Equal(expected, plan.Address);
                if (expected is { } address)
                {
                    Assert.Equal(AssignOutcome.Allocated, plan.Outcome);
                    Assert.Equal([address.OffsetFrom(network)], plan.Change.Upserts.Keys);
                    Assert.Empty(plan.Change.Removals);
                }
                else
                {
                    Assert.Equal(AssignOutcome.Exhausted, plan.Outcome);
                    Assert.True(plan.Change.IsEmpty);
                }
            },
            iter: 2000);
    }
}
