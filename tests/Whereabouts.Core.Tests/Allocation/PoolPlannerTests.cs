using Whereabouts.Core.Allocation;
using Whereabouts.Core.Tests.Support;
using static Whereabouts.Core.Tests.Support.Addr;

namespace Whereabouts.Core.Tests.Allocation;

public sealed class PoolPlannerTests
{
    private static readonly AllocationOwner Owner = new("c1", "ns/a", "eth0");
    private static readonly PoolAllocation Other = new("c9", "ns/b", "eth0");

    private static Dictionary<UInt128, PoolAllocation> Pool(params (int Offset, PoolAllocation Allocation)[] entries) =>
        entries.ToDictionary(e => (UInt128)e.Offset, e => e.Allocation);

    private static AssignPlan Assign(
        Dictionary<UInt128, PoolAllocation> pool, string? requested = null, string[]? elsewhere = null, string? end = null, string[]? exclude = null, string? gateway = null) =>
        PoolPlanner.Assign(
            Ranges.Of("10.0.0.0/24", end: end, exclude: exclude, gateway: gateway),
            Ip("10.0.0.0"),
            pool,
            Owner,
            requested is null ? null : Ip(requested),
            elsewhere is null ? null : Ips(elsewhere));

    [Fact]
    public void Assign_EmptyPool_AllocatesTheFirstAddress()
    {
        var plan = Assign(Pool());

        Assert.Equal(AssignOutcome.Allocated, plan.Outcome);
        Assert.True(plan.Succeeded);
        Assert.Equal(Ip("10.0.0.1"), plan.Address);
        Assert.Equal(new Dictionary<UInt128, PoolAllocation> { [1] = Owner.ToAllocation() }, plan.Change.Upserts);
        Assert.Empty(plan.Change.Removals);
    }

    [Fact]
    public void Assign_PoolWithOthers_SkipsTheirAddressesAndTheGateway()
    {
        var plan = Assign(Pool((1, Other), (3, Other with { PodRef = "ns/c" })), gateway: "10.0.0.2");

        Assert.Equal(Ip("10.0.0.4"), plan.Address);
        Assert.Equal([(UInt128)4], plan.Change.Upserts.Keys);
    }

    [Fact]
    public void Assign_SameOwnerAlreadyHolds_ReusesWithoutChange()
    {
        var plan = Assign(Pool((1, Other), (5, Owner.ToAllocation())));

        Assert.Equal(AssignOutcome.Reused, plan.Outcome);
        Assert.Equal(Ip("10.0.0.5"), plan.Address);
        Assert.True(plan.Change.IsEmpty);
    }

    [Fact]
    public void Assign_SamePodNewContainer_ReusesAndUpdatesTheContainerId()
    {
        // A StatefulSet pod re-created under the same name gets its address back (upstream §4.4).
        var plan = Assign(Pool((5, new PoolAllocation("old-container", "ns/a", "eth0"))));

        Assert.Equal(AssignOutcome.Reused, plan.Outcome);
        Assert.Equal(Ip("10.0.0.5"), plan.Address);
        Assert.Equal(new Dictionary<UInt128, PoolAllocation> { [5] = Owner.ToAllocation() }, plan.Change.Upserts);
        Assert.Empty(plan.Change.Removals);
    }

    [Fact]
    public void Assign_SamePodOtherInterface_AllocatesASecondAddress()
    {
        var plan = Assign(Pool((1, Owner.ToAllocation() with { IfName = "net1" })));

        Assert.Equal(AssignOutcome.Allocated, plan.Outcome);
        Assert.Equal(Ip("10.0.0.2"), plan.Address);
        Assert.Empty(plan.Change.Removals);
    }

    public static TheoryData<string?, string[]?, string?, string[]?, string?, string> StaleCases => new()
    {
        // requested, takenElsewhere, range_end, exclude, gateway, expected new address (the stale entry sits at .20)
        { null, null, "10.0.0.10", null, null, "10.0.0.1" }, // the range was narrowed
        { null, null, null, ["10.0.0.16/28"], null, "10.0.0.1" }, // a new exclude covers it
        { null, null, null, null, "10.0.0.20", "10.0.0.1" }, // it became the gateway
        { null, ["10.0.0.20", "10.0.0.1"], null, null, null, "10.0.0.2" }, // another pool's pod holds it
        { "10.0.0.9", null, null, null, null, "10.0.0.9" }, // a different address is requested
    };

    [Theory]
    [MemberData(nameof(StaleCases))]
    public void Assign_OwnedAddressNoLongerAllowed_ReplacesItInTheSameChange(
        string? requested, string[]? elsewhere, string? end, string[]? exclude, string? gateway, string expected)
    {
        var pool = Pool((20, Owner.ToAllocation() with { ContainerId = "old" }));

        var plan = Assign(pool, requested, elsewhere, end, exclude, gateway);

        Assert.Equal(AssignOutcome.Allocated, plan.Outcome);
        Assert.Equal(Ip(expected), plan.Address);
        var offset = Ip(expected).OffsetFrom(Ip("10.0.0.0"));
        Assert.Equal(new Dictionary<UInt128, PoolAllocation> { [offset] = Owner.ToAllocation() }, plan.Change.Upserts);
        Assert.Equal([(UInt128)20], plan.Change.Removals);
        Assert.Equal(new Dictionary<UInt128, PoolAllocation> { [offset] = Owner.ToAllocation() }, plan.Change.ApplyTo(pool));
    }

    [Fact]
    public void Assign_RequestedAddressAlreadyOwned_Reuses()
    {
        var plan = Assign(Pool((9, Owner.ToAllocation())), requested: "10.0.0.9");

        Assert.Equal(AssignOutcome.Reused, plan.Outcome);
        Assert.True(plan.Change.IsEmpty);
    }

    [Fact]
    public void Assign_RequestedFree_AllocatesIt()
    {
        var plan = Assign(Pool((1, Other)), requested: "10.0.0.77");

        Assert.Equal(AssignOutcome.Allocated, plan.Outcome);
        Assert.Equal(Ip("10.0.0.77"), plan.Address);
        Assert.Equal([(UInt128)77], plan.Change.Upserts.Keys);
    }

    [Fact]
    public void Assign_RequestedHeldInThisPool_ReportsTakenWithHolder()
    {
        var plan = Assign(Pool((9, Other)), requested: "10.0.0.9");

        Assert.Equal(AssignOutcome.RequestedTaken, plan.Outcome);
        Assert.False(plan.Succeeded);
        Assert.Equal(Ip("10.0.0.9"), plan.Address);
        Assert.Equal(Other, plan.Holder);
        Assert.True(plan.Change.IsEmpty);
    }

    [Fact]
    public void Assign_RequestedHeldElsewhere_ReportsTakenWithoutHolder()
    {
        var plan = Assign(Pool(), requested: "10.0.0.9", elsewhere: ["10.0.0.9"]);

        Assert.Equal(AssignOutcome.RequestedTaken, plan.Outcome);
        Assert.Null(plan.Holder);
        Assert.True(plan.Change.IsEmpty);
    }

    [Theory]
    [InlineData("10.0.0.0")] // network
    [InlineData("10.0.0.255")] // all-ones
    [InlineData("10.0.1.1")] // outside the subnet
    [InlineData("10.0.0.11")] // after range_end
    [InlineData("10.0.0.4")] // excluded
    [InlineData("10.0.0.1")] // the gateway
    [InlineData("::ffff:10.0.0.5")] // the other family
    public void Assign_RequestedNotHandedOut_ReportsNotAllowed(string requested)
    {
        var plan = Assign(Pool(), requested, end: "10.0.0.10", exclude: ["10.0.0.4/31"], gateway: "10.0.0.1");

        Assert.Equal(AssignOutcome.RequestedNotAllowed, plan.Outcome);
        Assert.Equal(Ip(requested), plan.Address);
        Assert.True(plan.Change.IsEmpty);
    }

    [Fact]
    public void Assign_TakenElsewhere_SkipsThoseAddresses()
    {
        var plan = Assign(Pool((2, Other)), elsewhere: ["10.0.0.1", "10.0.0.3", "2001::1"]);

        Assert.Equal(Ip("10.0.0.4"), plan.Address);
    }

    [Fact]
    public void Assign_TakenElsewhereHoldsOwnedAddress_MovesAway()
    {
        var plan = Assign(Pool((1, Owner.ToAllocation())), elsewhere: ["10.0.0.1"]);

        Assert.Equal(AssignOutcome.Allocated, plan.Outcome);
        Assert.Equal(Ip("10.0.0.2"), plan.Address);
        Assert.Equal([(UInt128)1], plan.Change.Removals);
    }

    [Fact]
    public void Assign_Full_ReportsExhaustedWithoutChange()
    {
        var plan = PoolPlanner.Assign(Ranges.Of("10.0.0.0/30"), Ip("10.0.0.0"), Pool((1, Other), (2, Other with { IfName = "net1" })), Owner);

        Assert.Equal(AssignOutcome.Exhausted, plan.Outcome);
        Assert.Null(plan.Address);
        Assert.True(plan.Change.IsEmpty);
        Assert.False(plan.Succeeded);
    }

    [Fact]
    public void Assign_Ipv6HighOffsets_KeysAreFull128BitOffsets()
    {
        var range = Ranges.Of("2001:db8::/48", start: "2001:db8:0:1::");
        var taken = new Dictionary<UInt128, PoolAllocation> { [UInt128.One << 64] = Other };

        var plan = PoolPlanner.Assign(range, Ip("2001:db8::"), taken, Owner);

        Assert.Equal(Ip("2001:db8:0:1::1"), plan.Address);
        Assert.Equal([(UInt128.One << 64) + 1], plan.Change.Upserts.Keys);
    }

    [Fact]
    public void Assign_OwnerWithoutPodRef_MatchesByContainer()
    {
        var anonymous = new AllocationOwner("c1", "", "eth0");
        var pool = Pool((3, anonymous.ToAllocation()));

        var same = PoolPlanner.Assign(Ranges.Of("10.0.0.0/24"), Ip("10.0.0.0"), pool, anonymous);
        var otherContainer = PoolPlanner.Assign(Ranges.Of("10.0.0.0/24"), Ip("10.0.0.0"), pool, anonymous with { ContainerId = "c2" });

        Assert.Equal(AssignOutcome.Reused, same.Outcome);
        Assert.Equal(Ip("10.0.0.3"), same.Address);
        Assert.Equal(AssignOutcome.Allocated, otherContainer.Outcome);
        Assert.Equal(Ip("10.0.0.1"), otherContainer.Address);
    }

    [Fact]
    public void Assign_PoolBaseAboveNetwork_AllocatesFromTheBase()
    {
        // A hand-made pool whose spec.range keeps host bits: offsets count from that address, so nothing below it.
        var plan = PoolPlanner.Assign(Ranges.Of("10.0.0.0/24"), Ip("10.0.0.16"), Pool(), Owner);

        Assert.Equal(Ip("10.0.0.16"), plan.Address);
        Assert.Equal([UInt128.Zero], plan.Change.Upserts.Keys);
    }

    [Theory]
    [InlineData("10.0.0.16", "10.0.0.10")]
    [InlineData("10.0.0.255", null)]
    public void Assign_PoolBaseAboveTheWindow_IsExhausted(string poolBase, string? end)
    {
        var plan = PoolPlanner.Assign(Ranges.Of("10.0.0.0/24", end: end), Ip(poolBase), Pool(), Owner);

        Assert.Equal(AssignOutcome.Exhausted, plan.Outcome);
        Assert.Null(plan.Address);
    }

    [Fact]
    public void PlanRelease_MatchesContainerAndInterface_NotThePod()
    {
        var pool = Pool(
            (7, new PoolAllocation("c1", "ns/b", "eth0")),
            (1, new PoolAllocation("c1", "ns/a", "eth0")),
            (2, new PoolAllocation("c1", "ns/a", "net1")),
            (3, new PoolAllocation("c2", "ns/a", "eth0")));

        Assert.Equal([(UInt128)1, 7], PoolPlanner.PlanRelease(pool, "c1", "eth0"));
        Assert.Equal([(UInt128)2], PoolPlanner.PlanRelease(pool, "c1", "net1"));
        Assert.Empty(PoolPlanner.PlanRelease(pool, "c3", "eth0"));
        Assert.Empty(PoolPlanner.PlanRelease(pool, "c1", "eth1"));
    }

    [Fact]
    public void ApplyTo_Change_LeavesTheInputUntouched()
    {
        var pool = Pool((1, Other), (2, Owner.ToAllocation()));
        var change = new PoolChange(new Dictionary<UInt128, PoolAllocation> { [3] = Owner.ToAllocation() }, [(UInt128)2]);

        var applied = change.ApplyTo(pool);

        Assert.Equal(new Dictionary<UInt128, PoolAllocation> { [1] = Other, [3] = Owner.ToAllocation() }, applied);
        Assert.Equal(2, pool.Count);
        Assert.True(pool.ContainsKey(2));
        Assert.True(PoolChange.None.IsEmpty);
        Assert.Equal([(UInt128)4], PoolChange.Remove([4]).Removals);
    }

    [Theory]
    [InlineData("10.0.0.0", "0", "10.0.0.0")]
    [InlineData("0.0.0.0", "4294967040", "255.255.255.0")]
    [InlineData("2001:db8::", "18446744073709551616", "2001:db8:0:1::")]
    public void AddressOf_Offset_AddsToTheBase(string poolBase, string offset, string expected)
    {
        Assert.Equal(Ip(expected), PoolPlanner.AddressOf(Ip(poolBase), UInt128.Parse(offset, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void AddressOf_OffsetPastTheFamily_IsNull()
    {
        Assert.Null(PoolPlanner.AddressOf(Ip("10.0.0.0"), uint.MaxValue));
        Assert.Null(PoolPlanner.AddressOf(Ip("ffff::"), UInt128.MaxValue));
    }
}
